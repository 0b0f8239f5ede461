"""Reading the National Commission's approved list into a preview (ch. 2-1, cl. 13-1; rules.md R-13-1).

The Agency officer uploads the list (CSV or XLSX: IIN, list number, approval date); `read_list`
lists every row's problem before anything is stored; a second Agency officer approves it (four
eyes, enforced by portal.reserve.direct_services). The SHA-256 of the raw bytes is the provenance.
Pure: no framework, no database, no clock.

The file is read by the machinery of the results import (portal.selections.results_import:
content sniffing, encodings, delimiters, XLSX, blank rows, size limits, masking of IINs in
problem details); only the columns and the checks of a row are this module's own. Columns, in any
order (case, spaces, ``_``/``-`` and a bracketed remark do not matter):

==================  ===========================================================================
column              accepted headers (`LIST_HEADER_ALIASES`)
==================  ===========================================================================
``iin``             iin, жсн, иин
``list_number``     list number, list no, list, тізім нөмірі, тізімнің нөмірі, номер списка
``approved_on``     approval date, approved on, date of approval, бекітілген күні, бекіту күні,
                    дата утверждения
==================  ===========================================================================

A date is YYYY-MM-DD, DD.MM.YYYY or a spreadsheet date cell, and not after `today`. A person is
named once per file (DUPLICATE on the second row) and once per list number in the portal (a row
already on an approved list is DUPLICATE too, see `mark_known`).
"""

import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from portal.rules.iin import IIN_LENGTH, InvalidIin, mask_iin, parse_iin
from portal.selections.results_import import (
    _IIN_REASON,
    _LONG_DIGITS,
    HEADER_ALIASES,
    IIN,
    _cell,
    _column_letter,
    _echo,
    _header_key,
    _iin_text,
    _mask_digits,
    _Refused,
    _table,
    _text,
)

__all__ = [
    "LIST_HEADER_ALIASES",
    "LIST_NUMBER_MAX",
    "ListPreview",
    "ListProblem",
    "ListProblemCode",
    "ListRow",
    "mark_known",
    "read_list",
]

LIST_NUMBER: Final = "list_number"
APPROVED_ON: Final = "approved_on"
#: direct_enrolment_entry.list_number is VARCHAR(80).
LIST_NUMBER_MAX: Final = 80

LIST_HEADER_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    IIN: HEADER_ALIASES[IIN],
    LIST_NUMBER: ("list number", "list no", "list", "тізім нөмірі", "тізімнің нөмірі", "номер списка"),
    APPROVED_ON: (
        "approval date",
        "approved on",
        "date of approval",
        "бекітілген күні",
        "бекіту күні",
        "дата утверждения",
    ),
}
_COLUMN_OF_ALIAS: Final = {a: column for column, aliases in LIST_HEADER_ALIASES.items() for a in aliases}
_DOTTED: Final = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


class ListProblemCode(StrEnum):
    BAD_IIN = "bad_iin"
    DUPLICATE = "duplicate"  # twice in the file, or already on an approved list with this number
    BAD_DATE = "bad_date"
    MISSING_LIST_NUMBER = "missing_list_number"  # empty, or longer than LIST_NUMBER_MAX
    # the whole file (line 0 or the header line), as in the results import
    UNREADABLE_FILE = "unreadable_file"
    MISSING_COLUMN = "missing_column"
    EMPTY_FILE = "empty_file"
    TOO_MANY_ROWS = "too_many_rows"


@dataclass(frozen=True, slots=True)
class ListProblem:
    """Why a row (or the file: line 0) cannot be imported; `detail` never holds a whole IIN."""

    line: int
    code: ListProblemCode
    detail: str


@dataclass(frozen=True, slots=True)
class ListRow:
    """One person on the list (cl. 13-1): the cl. 13-2 window runs from `approved_on`."""

    line: int
    iin: str = field(repr=False)
    list_number: str
    approved_on: date

    @property
    def key(self) -> tuple[str, str]:
        return self.list_number, self.iin


@dataclass(frozen=True, slots=True)
class ListPreview:
    """What the uploader and the approver see before anything is stored."""

    sha256: str
    file_name: str
    rows: tuple[ListRow, ...]
    problems: tuple[ListProblem, ...]

    @property
    def importable(self) -> bool:
        return bool(self.rows) and not self.problems

    def summary(self) -> list[tuple[str, date, int]]:
        """(list number, approval date, rows) per list in the file, in file order."""
        counts: dict[tuple[str, date], int] = {}
        for row in self.rows:
            counts[row.list_number, row.approved_on] = counts.get((row.list_number, row.approved_on), 0) + 1
        return [(number, approved, count) for (number, approved), count in counts.items()]


def _problem(line: int, code: ListProblemCode, detail: str) -> ListProblem:
    """Every problem passes here: a run of 9 or more digits is masked (as in the results import)."""
    return ListProblem(line=line, code=code, detail=_LONG_DIGITS.sub(_mask_digits, detail))


class _HeaderRefused(Exception):  # noqa: N818 - internal signal, never escapes read_list
    def __init__(self, problems: list[ListProblem]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True, slots=True)
class _Layout:
    iin: int
    list_number: int
    approved_on: int


def _map_header(line: int, cells: Sequence[object]) -> _Layout:
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        column = _COLUMN_OF_ALIAS.get(_header_key(cell))
        if column is not None:
            found.setdefault(column, []).append(index)
    problems = [
        _problem(
            line,
            ListProblemCode.MISSING_COLUMN,
            f"the column {name!r} appears more than once "
            f"(columns {', '.join(_column_letter(i) for i in where)})",
        )
        for name, where in found.items()
        if len(where) > 1
    ]
    problems.extend(
        _problem(line, ListProblemCode.MISSING_COLUMN, f"no {name!r} column")
        for name in LIST_HEADER_ALIASES
        if name not in found
    )
    if problems:
        raise _HeaderRefused(problems)
    return _Layout(found[IIN][0], found[LIST_NUMBER][0], found[APPROVED_ON][0])


def _date(value: object, today: date) -> date | str:
    """The approval date of a cell, or why it is not one."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = _text(value)
        if not text:
            return "no approval date"
        dotted = _DOTTED.fullmatch(text)
        try:
            if dotted:
                day = date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
            elif len(text) == len("2024-01-31"):
                day = date.fromisoformat(text)
            else:
                raise ValueError(text)
        except ValueError:
            return f"{_echo(text)!r} is not a date (use YYYY-MM-DD or DD.MM.YYYY)"
    if day > today:
        return f"{day.isoformat()} is after today"
    return day


def _row(line: int, cells: Sequence[object], layout: _Layout, today: date) -> ListRow | list[ListProblem]:
    problems: list[ListProblem] = []
    iin = _iin_text(_cell(cells, layout.iin))
    if not iin:
        problems.append(_problem(line, ListProblemCode.BAD_IIN, "no IIN"))
    else:
        try:
            parse_iin(iin, today=today)
        except InvalidIin as error:
            hint = " (a leading zero lost by a spreadsheet?)" if len(iin) == IIN_LENGTH - 1 else ""
            detail = f"the IIN {mask_iin(iin)} {_IIN_REASON[error.code]}{hint}"
            problems.append(_problem(line, ListProblemCode.BAD_IIN, detail))
    number = " ".join(_text(_cell(cells, layout.list_number)).split())
    if not number:
        problems.append(_problem(line, ListProblemCode.MISSING_LIST_NUMBER, "no list number"))
    elif len(number) > LIST_NUMBER_MAX:
        detail = f"the list number is longer than {LIST_NUMBER_MAX} characters"
        problems.append(_problem(line, ListProblemCode.MISSING_LIST_NUMBER, detail))
    approved = _date(_cell(cells, layout.approved_on), today)
    if isinstance(approved, str):
        problems.append(_problem(line, ListProblemCode.BAD_DATE, approved))
    if problems or isinstance(approved, str):
        return problems
    return ListRow(line=line, iin=iin, list_number=number, approved_on=approved)


def read_list(content: bytes, file_name: str, *, today: date, max_rows: int = 20_000) -> ListPreview:
    """Parse an approved list and list every row's problem before anything is stored (cl. 13-1)."""
    rows: list[ListRow] = []
    problems: list[ListProblem] = []
    seen: dict[str, int] = {}
    try:
        (header_line, header), data = _table(content, max_rows)
        layout = _map_header(header_line, header)
    except _Refused as refused:
        problems.extend(_problem(p.line, ListProblemCode(p.code.value), p.detail) for p in refused.problems)
    except _HeaderRefused as refused:
        problems.extend(refused.problems)
    else:
        for line, cells in data:
            parsed = _row(line, cells, layout, today)
            if isinstance(parsed, list):
                problems.extend(parsed)
                continue
            first = seen.setdefault(parsed.iin, line)
            if first != line:
                detail = f"the IIN {mask_iin(parsed.iin)} is already on row {first}"
                problems.append(_problem(line, ListProblemCode.DUPLICATE, detail))
                continue
            rows.append(parsed)
    return ListPreview(
        sha256=hashlib.sha256(content).hexdigest(),
        file_name=file_name,
        rows=tuple(rows),
        problems=tuple(problems),
    )


def mark_known(preview: ListPreview, known: Collection[tuple[str, str]]) -> ListPreview:
    """Rows already on an approved list with the same number become DUPLICATE problems."""
    again = [row for row in preview.rows if row.key in known]
    if not again:
        return preview
    problems = [
        *preview.problems,
        *(
            _problem(
                row.line,
                ListProblemCode.DUPLICATE,
                f"the IIN {mask_iin(row.iin)} is already on the approved list {_echo(row.list_number)!r}",
            )
            for row in again
        ),
    ]
    return replace(
        preview,
        rows=tuple(row for row in preview.rows if row.key not in known),
        problems=tuple(sorted(problems, key=lambda p: p.line)),
    )
