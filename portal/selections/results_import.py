"""Reading a stage-2 or stage-3 results file into a preview (cl. 6(2), 6(3), 10; rules.md R-6(2),
R-6(3), R-10, A-13, A-14; issue 6 item 4).

The officer uploads the file; `read_results` lists every row's problem before anything is stored;
a second person approves the preview (four eyes, enforced by the caller, as is R-6(3): competency
results come from a central-Agency role). The SHA-256 of the raw bytes is the provenance. This
module is pure: no framework, no database, no clock, no I/O besides parsing the given bytes.

File format
-----------
CSV or XLSX, told apart by the content, never by the file name:

* XLSX (a ZIP, ``PK\\x03\\x04``): the first worksheet, cell values only (formulas give their
  cached value). A corrupt workbook, an old ``.xls`` or a password-protected one (both are OLE2
  containers) is UNREADABLE_FILE.
* CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode text"), otherwise Windows-1251.
  The delimiter is whichever of ``,`` ``;`` and tab splits the header into the most columns.

The first non-blank row holds the headers (case, spaces, ``_``/``-`` and a trailing remark in
brackets, e.g. ``Score (0-100)``, do not matter); blank rows are skipped; problems give the row
number as a spreadsheet shows it (the header is usually row 1). Columns, in any order:

==============  =========================================================================
column          accepted headers (`HEADER_ALIASES`)
==============  =========================================================================
``reference``   reference, reference number, application reference, тіркеу нөмірі,
                өтініш нөмірі, регистрационный номер, номер заявления
``iin``         iin, жсн, иин
``score``       score, total score, балл, баллы, итоговый балл, ұпай, жалпы ұпай
``absent``      absent, no show, келмеді, неявка (optional)
anything else   kept as text in `ParsedRow.components`, e.g. ``law_test``, ``personal_qualities``
==============  =========================================================================

A header naming the same column twice is MISSING_COLUMN; a column with an empty header is ignored.

A row names its candidate by ``reference`` or by ``iin`` (at least one of the two columns; when a
row fills both they must name the same application). An IIN is checked with `parse_iin`; spaces
inside it are ignored, and a numeric XLSX cell gets back the leading zeros a spreadsheet drops.
``score`` is a number with at most 2 decimals, decimal point or comma (``87,5``), inside
`score_range` (inclusive). ``absent``: yes/no, 1/0, true/false, иә/жоқ, да/нет, x/empty. An absent
candidate has no score (A-13: no result, ranked below every present candidate); a score on an
absent row is refused, never dropped. `results_template` writes a ready-to-fill CSV.

Problem details are for the officer (English; the screen labels the `ProblemCode`) and never
contain a whole IIN (rules.md 5.11): IINs are masked with `mask_iin`, and any long digit run is
masked as a last guard.
"""

import codecs
import csv
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Generator, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from portal.rules.iin import IIN_LENGTH, IinError, InvalidIin, mask_iin, parse_iin

__all__ = [
    "HEADER_ALIASES",
    "Candidate",
    "ParsedRow",
    "Preview",
    "Problem",
    "ProblemCode",
    "ResultStage",
    "read_results",
    "results_template",
]


class ResultStage(StrEnum):
    """The stages whose results are imported (cl. 6(2) testing, cl. 6(3) competency)."""

    TESTING = "testing"
    COMPETENCY = "competency"


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the caller knows about one admitted application of the selection."""

    application_id: uuid.UUID
    reference: str
    iin: str = field(repr=False)
    stage: ResultStage  # the stage the application is in now


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One clean row: `score` is None exactly when `absent` (rules.md A-13)."""

    line: int
    application_id: uuid.UUID
    reference: str
    score: Decimal | None
    absent: bool
    components: dict[str, str]


class ProblemCode(StrEnum):
    UNKNOWN_CANDIDATE = "unknown_candidate"
    DUPLICATE = "duplicate"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    SCORE_NOT_A_NUMBER = "score_not_a_number"
    MISSING_SCORE = "missing_score"
    WRONG_STAGE = "wrong_stage"
    BAD_IIN = "bad_iin"
    MISSING_IDENTIFIER = "missing_identifier"
    BAD_ABSENT_FLAG = "bad_absent_flag"
    UNREADABLE_FILE = "unreadable_file"
    MISSING_COLUMN = "missing_column"  # also a header naming the same column twice
    EMPTY_FILE = "empty_file"
    TOO_MANY_ROWS = "too_many_rows"


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row (or the file: line 0) cannot be imported; `detail` never holds a whole IIN."""

    line: int
    code: ProblemCode
    detail: str


@dataclass(frozen=True, slots=True)
class Preview:
    """What the officer and the approver see before anything is stored (issue 6 item 4)."""

    stage: ResultStage
    sha256: str
    file_name: str
    rows: tuple[ParsedRow, ...]  # the clean rows, in file order
    problems: tuple[Problem, ...]  # in file order; line 0 = the whole file
    missing: tuple[str, ...]  # references of candidates in this stage that have no row, sorted

    @property
    def importable(self) -> bool:
        """No problem at all: the preview may be approved."""
        return not self.problems

    @property
    def complete(self) -> bool:
        """Importable and every candidate in the stage has a row (rules.md 3.2, A-13)."""
        return self.importable and not self.missing


# --- headers ----------------------------------------------------------------------------------

REFERENCE: Final = "reference"
IIN: Final = "iin"
SCORE: Final = "score"
ABSENT: Final = "absent"

#: Accepted headers per column, already normalised (see `_header_key`).
HEADER_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    REFERENCE: (
        "reference",
        "reference number",
        "application reference",
        "тіркеу нөмірі",
        "өтініш нөмірі",
        "регистрационный номер",
        "номер заявления",
    ),
    IIN: ("iin", "жсн", "иин"),
    SCORE: ("score", "total score", "балл", "баллы", "итоговый балл", "ұпай", "жалпы ұпай"),
    ABSENT: ("absent", "no show", "келмеді", "неявка"),
}
_COLUMN_OF_ALIAS: Final = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}

#: Extra columns the template offers per stage (R-6(2): two components of the testing stage).
_TEMPLATE_COMPONENTS: Final = {
    ResultStage.TESTING: ("law_test", "personal_qualities"),
    ResultStage.COMPETENCY: (),
}

_ABSENT_YES: Final = frozenset({"yes", "y", "1", "true", "иә", "ия", "да", "x", "х"})  # x Latin, х Cyrillic
_ABSENT_NO: Final = frozenset({"no", "n", "0", "false", "жоқ", "жок", "нет", ""})


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where each column is (0-based); `components` keeps the headers as written."""

    reference: int | None
    iin: int | None
    score: int
    absent: int | None
    components: tuple[tuple[str, int], ...]


type _Row = tuple[int, tuple[object, ...]]  # (spreadsheet row number, cell values)


class _Refused(Exception):  # noqa: N818 - internal signal, never escapes read_results
    """The whole file is refused before any row is read."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__(problems)
        self.problems = problems


def _header_key(value: object) -> str:
    """Case, spacing, ``_``/``-`` and a bracketed remark do not matter: "Score (0-100)" -> "score"."""
    text = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", _text(value))
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter  # lazy, as below

    return str(get_column_letter(index + 1))


def _map_header(line: int, cells: Sequence[object]) -> _Layout:
    """Find the columns of the header row; refuse a header without identifier or score."""
    found: dict[str, list[int]] = {}
    components: list[tuple[str, int]] = []
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        if not key:
            continue  # an unnamed column is ignored
        column = _COLUMN_OF_ALIAS.get(key)
        if column is None:
            components.append((" ".join(_text(cell).split()), index))
            key = f"component {key}"
        found.setdefault(column or key, []).append(index)

    problems = [
        _problem(
            line,
            ProblemCode.MISSING_COLUMN,
            f"the column {_echo(name.removeprefix('component '))!r} appears more than once "
            f"(columns {', '.join(_column_letter(i) for i in where)})",
        )
        for name, where in found.items()
        if len(where) > 1
    ]
    if REFERENCE not in found and IIN not in found:
        problems.append(
            _problem(line, ProblemCode.MISSING_COLUMN, "no identifier column: add 'reference' or 'iin'")
        )
    if SCORE not in found:
        problems.append(_problem(line, ProblemCode.MISSING_COLUMN, "no 'score' column"))
    if problems:
        raise _Refused(*problems)

    def first(column: str) -> int | None:
        return found[column][0] if column in found else None

    return _Layout(
        reference=first(REFERENCE),
        iin=first(IIN),
        score=found[SCORE][0],
        absent=first(ABSENT),
        components=tuple(components),
    )


# --- reading the bytes ------------------------------------------------------------------------

_XLSX_MAGIC: Final = b"PK\x03\x04"
_REFUSED_MAGIC: Final = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an old Excel .xls or a password-protected workbook: "
    "save it as .xlsx without a password, or as CSV",
    b"PK\x05\x06": "an empty ZIP archive, not an Excel workbook",
    b"MZ": "a program, not a CSV or XLSX file",
    b"\x7fELF": "a program, not a CSV or XLSX file",
    b"%PDF": "a PDF, not a CSV or XLSX file",
}
#: Declared unpacked size above which a workbook is refused (a ZIP bomb; 20,000 rows need ~10 MB).
_MAX_XLSX_UNPACKED: Final = 256 * 1024 * 1024
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _rows(content: bytes) -> Generator[_Row]:
    """(spreadsheet row number, cell values) of every row, blank ones included."""
    if content.startswith(_XLSX_MAGIC):
        return _xlsx_rows(content)
    for magic, why in _REFUSED_MAGIC.items():
        if content.startswith(magic):
            raise _Refused(_problem(0, ProblemCode.UNREADABLE_FILE, why))
    return _csv_rows(_decode(content))


def _decode(content: bytes) -> str:
    """UTF-8 (BOM optional), UTF-16 with BOM, else Windows-1251; binary content is refused."""
    try:
        if content.startswith(codecs.BOM_UTF8):
            text = content[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = content.decode("utf-16")
        else:
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                text = content.decode("cp1251")
    except UnicodeDecodeError:
        raise _Refused(
            _problem(0, ProblemCode.UNREADABLE_FILE, "not a text file in UTF-8 or Windows-1251")
        ) from None
    if _CONTROL.search(text):
        raise _Refused(_problem(0, ProblemCode.UNREADABLE_FILE, "binary content, not a CSV or XLSX file"))
    return text


def _sniff_delimiter(text: str) -> str:
    """Whichever of , ; and tab splits the first non-blank line into the most fields (, on a tie)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    best, most = ",", 0
    for delimiter in (",", ";", "\t"):
        fields = len(next(csv.reader([header], delimiter=delimiter), []))
        if fields > most:
            best, most = delimiter, fields
    return best


def _csv_rows(text: str) -> Generator[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        for number, record in enumerate(reader, start=1):
            yield number, tuple(record)
    except csv.Error as error:
        raise _Refused(_problem(0, ProblemCode.UNREADABLE_FILE, f"not a valid CSV file ({error})")) from None


def _xlsx_rows(content: bytes) -> Generator[_Row]:
    """The first worksheet, values only, read-only (streamed)."""
    import openpyxl  # lazy: 60 ms at start-up, for the few who upload results

    unreadable = _problem(0, ProblemCode.UNREADABLE_FILE, "the workbook is damaged or not an .xlsx file")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl and zipfile raise a zoo of exceptions on a corrupt file
        raise _Refused(unreadable) from None
    if unpacked > _MAX_XLSX_UNPACKED:
        workbook.close()
        raise _Refused(_problem(0, ProblemCode.UNREADABLE_FILE, "the workbook unpacks to an excessive size"))
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored dimension may be wrong; read every row there is
        yield from enumerate((tuple(row) for row in sheet.iter_rows(values_only=True)), start=1)
    except Exception:  # a damaged sheet shows only while streaming it
        raise _Refused(unreadable) from None
    finally:
        workbook.close()


def _table(content: bytes, max_rows: int) -> tuple[_Row, list[_Row]]:
    """The header row and the non-blank data rows; refuses an empty or an oversized file."""
    header: _Row | None = None
    data: list[_Row] = []
    with closing(_rows(content)) as rows:
        for line, cells in rows:
            if all(not _text(cell) for cell in cells):
                continue
            if header is None:
                header = (line, cells)
            elif len(data) == max_rows:
                detail = f"more than {max_rows} result rows: split the file"
                raise _Refused(_problem(line, ProblemCode.TOO_MANY_ROWS, detail))
            else:
                data.append((line, cells))
    if header is None or not data:
        what = "the file is empty" if header is None else "the file has a header but no result rows"
        raise _Refused(_problem(0, ProblemCode.EMPTY_FILE, what))
    return header, data


# --- cell values ------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as stripped text; whole numbers without ".0", dates in ISO format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


_SCORE_TEXT: Final = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_CENT: Final = Decimal("0.01")


def _parse_score(value: object) -> Decimal | str:
    """A score as Decimal with at most 2 decimals, or why it is not one."""
    text = _text(value)
    if isinstance(value, bool):
        return f"{text} (a yes/no cell) is not a number"
    if isinstance(value, datetime | date | time | timedelta):
        return "a date or time cell is not a number"
    if len(text) > 20 or not _SCORE_TEXT.fullmatch(text):
        return f"{_echo(text)!r} is not a number (use digits and one decimal point or comma)"
    try:
        score = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        return f"{_echo(text)!r} is not a number"
    exponent = score.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        rounded = score.quantize(_CENT)
        if rounded != score:
            return f"{_echo(text)!r} has more than 2 decimals"
        score = rounded  # "87.500" is 87.50
    return score.copy_abs() if score.is_zero() else score


def _absent_flag(value: object) -> bool | None:
    """True, False, or None when the value is not a yes/no."""
    text = _text(value).casefold()
    if text in _ABSENT_YES:
        return True
    if text in _ABSENT_NO:
        return False
    return None


def _iin_text(value: object) -> str:
    """The IIN of a cell: inner spaces ignored; a numeric XLSX cell gets its leading zeros back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = _text(value)
        return text.zfill(IIN_LENGTH) if text.isdigit() else text
    return "".join(_text(value).split())


def _reference_key(value: str) -> str:
    return "".join(value.split()).upper()


def _shape(reference: str) -> str:
    """The shape of a reference: KZ-71-2026-000123 -> AA-99-9999-999999."""
    return re.sub(r"[0-9]", "9", re.sub(r"[^\W\d_]", "A", _reference_key(reference)))


# --- problem details never leak an IIN (rules.md 5.11) ----------------------------------------

_LONG_DIGITS: Final = re.compile(r"[0-9](?:\s*[0-9]){8,}")
_IIN_REASON: Final = {
    IinError.FORMAT: "is not 12 digits",
    IinError.CENTURY: "has a 7th digit other than 1-6",
    IinError.DATE: "does not start with a birth date",
    IinError.CHECKSUM: "has a wrong check digit",
}


def _mask_digits(match: re.Match[str]) -> str:
    digits = re.sub(r"\s", "", match.group())
    return mask_iin(digits) if len(digits) == IIN_LENGTH else "*" * len(digits)


def _problem(line: int, code: ProblemCode, detail: str) -> Problem:
    """Every problem passes here: a run of 9 or more digits is masked, whatever put it there."""
    return Problem(line=line, code=code, detail=_LONG_DIGITS.sub(_mask_digits, detail))


def _echo(value: str) -> str:
    """A cell value quoted in a detail: short, and every digit masked when it holds 9 or more."""
    short = value if len(value) <= 40 else f"{value[:37]}..."
    return re.sub(r"[0-9]", "*", short) if sum(c.isdigit() for c in value) >= 9 else short


# --- rows -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Matcher:
    """Finds the candidate of a row and remembers who was seen (duplicates, missing)."""

    stage: ResultStage
    by_reference: dict[str, Candidate]
    by_iin: dict[str, list[Candidate]]
    #: The shapes of the real references ("AA-99-9999-999999"): an unknown reference of the same
    #: shape is quoted as written; anything else is quoted with its digits masked.
    reference_shapes: frozenset[str]
    seen: dict[uuid.UUID, int] = field(default_factory=dict)

    @classmethod
    def of(cls, stage: ResultStage, candidates: Iterable[Candidate]) -> "_Matcher":
        by_reference: dict[str, Candidate] = {}
        by_iin: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            by_reference[_reference_key(candidate.reference)] = candidate
            by_iin.setdefault(candidate.iin, []).append(candidate)
        shapes = frozenset(_shape(reference) for reference in by_reference)
        return cls(stage=stage, by_reference=by_reference, by_iin=by_iin, reference_shapes=shapes)

    def check(self, line: int, candidate: Candidate) -> list[Problem]:
        """A candidate named twice (the second row is the duplicate), or in another stage."""
        problems: list[Problem] = []
        first = self.seen.setdefault(candidate.application_id, line)
        if first != line:
            detail = f"{candidate.reference} is already on row {first}"
            problems.append(_problem(line, ProblemCode.DUPLICATE, detail))
        if candidate.stage != self.stage:
            detail = f"{candidate.reference} is in stage {candidate.stage}, not {self.stage}"
            problems.append(_problem(line, ProblemCode.WRONG_STAGE, detail))
        return problems

    def by_reference_text(self, line: int, text: str) -> Candidate | Problem:
        candidate = self.by_reference.get(_reference_key(text))
        if candidate is None:
            if _shape(text) in self.reference_shapes:
                detail = f"no admitted application with reference {text!r}"
            else:
                detail = (
                    f"no admitted application with reference {_echo(text)!r} (not shaped like a reference)"
                )
            return _problem(line, ProblemCode.UNKNOWN_CANDIDATE, detail)
        return candidate

    def by_iin_text(self, line: int, text: str) -> Candidate | Problem:
        try:
            parse_iin(text)
        except InvalidIin as error:
            hint = " (a leading zero lost by a spreadsheet?)" if len(text) == IIN_LENGTH - 1 else ""
            return _problem(
                line, ProblemCode.BAD_IIN, f"the IIN {mask_iin(text)} {_IIN_REASON[error.code]}{hint}"
            )
        found = self.by_iin.get(text, [])
        if len(found) > 1:  # one person, several applications: only the stage can tell them apart
            found = [c for c in found if c.stage == self.stage] or found
        if len(found) == 1:
            return found[0]
        why = "several applications have" if found else "no admitted application has"
        return _problem(line, ProblemCode.UNKNOWN_CANDIDATE, f"{why} the IIN {mask_iin(text)}")


def _identify(
    line: int, cells: Sequence[object], layout: _Layout, matcher: _Matcher
) -> Candidate | list[Problem]:
    """The candidate a row names by reference, by IIN, or by both (then they must agree)."""
    reference = _text(_cell(cells, layout.reference))
    iin = _iin_text(_cell(cells, layout.iin))
    if not reference and not iin:
        return [_problem(line, ProblemCode.MISSING_IDENTIFIER, "neither a reference nor an IIN")]
    found: list[Candidate | Problem] = []
    if reference:
        found.append(matcher.by_reference_text(line, reference))
    if iin:
        found.append(matcher.by_iin_text(line, iin))
    problems = [f for f in found if isinstance(f, Problem)]
    if problems:
        return problems
    named = [f for f in found if isinstance(f, Candidate)]
    if len(named) == 2 and named[0] != named[1]:
        detail = f"the reference {named[0].reference} and the IIN {mask_iin(iin)} name different applications"
        return [_problem(line, ProblemCode.UNKNOWN_CANDIDATE, detail)]
    return named[0]


def _cell(cells: Sequence[object], index: int | None) -> object:
    return cells[index] if index is not None and index < len(cells) else None


def _score(
    line: int, cells: Sequence[object], layout: _Layout, score_range: tuple[Decimal, Decimal]
) -> tuple[Decimal | None, bool] | list[Problem]:
    """(score, absent) of a row, or its problems (rules.md A-13: absent = no score)."""
    raw_score = _cell(cells, layout.score)
    raw_absent = _cell(cells, layout.absent)
    scored = bool(_text(raw_score))
    absent = _absent_flag(raw_absent)
    if absent:
        if scored:
            return [_problem(line, ProblemCode.BAD_ABSENT_FLAG, "absent but scored: clear one of the two")]
        return None, True
    problems: list[Problem] = []
    if absent is None:
        detail = f"absent is {_echo(_text(raw_absent))!r}: use yes/no, 1/0, иә/жоқ, да/нет, or x/empty"
        problems.append(_problem(line, ProblemCode.BAD_ABSENT_FLAG, detail))
    if not scored:
        return problems or [_problem(line, ProblemCode.MISSING_SCORE, "no score and not marked absent")]
    score = _parse_score(raw_score)
    if isinstance(score, str):
        return [*problems, _problem(line, ProblemCode.SCORE_NOT_A_NUMBER, score)]
    low, high = score_range
    if not low <= score <= high:
        problems.append(_problem(line, ProblemCode.SCORE_OUT_OF_RANGE, f"{score} is outside {low}-{high}"))
    return problems or (score, False)


def _parse_row(
    line: int,
    cells: Sequence[object],
    layout: _Layout,
    matcher: _Matcher,
    score_range: tuple[Decimal, Decimal],
) -> ParsedRow | list[Problem]:
    """One data row: its candidate, its score, and the checks that need the candidate."""
    candidate = _identify(line, cells, layout, matcher)
    result = _score(line, cells, layout, score_range)
    problems = [*(candidate if isinstance(candidate, list) else matcher.check(line, candidate))]
    problems.extend(result if isinstance(result, list) else ())
    if problems or isinstance(candidate, list) or isinstance(result, list):
        return problems
    score, absent = result
    return ParsedRow(
        line=line,
        application_id=candidate.application_id,
        reference=candidate.reference,
        score=score,
        absent=absent,
        components={name: _text(_cell(cells, index)) for name, index in layout.components},
    )


# --- the entry points -------------------------------------------------------------------------


def read_results(
    content: bytes,
    file_name: str,
    *,
    stage: ResultStage,
    candidates: Sequence[Candidate],
    score_range: tuple[Decimal, Decimal] = (Decimal(0), Decimal(100)),
    max_rows: int = 20_000,
) -> Preview:
    """Parse a results file and list every row's problem before anything is stored (cl. 6(2),
    6(3); rules.md R-6(2), R-6(3), A-13; issue 6 item 4). Pure and deterministic.

    `candidates`: the admitted applications of the selection, each with its current stage; a row
    for a candidate in another stage is WRONG_STAGE, a row for nobody in the list is
    UNKNOWN_CANDIDATE. `missing` lists the references in `stage` that no row names.
    """
    matcher = _Matcher.of(stage, candidates)
    rows: list[ParsedRow] = []
    problems: list[Problem] = []
    try:
        (header_line, header), data = _table(content, max_rows)
        layout = _map_header(header_line, header)
    except _Refused as refused:
        problems.extend(refused.problems)
    else:
        for line, cells in data:
            parsed = _parse_row(line, cells, layout, matcher, score_range)
            if isinstance(parsed, ParsedRow):
                rows.append(parsed)
            else:
                problems.extend(parsed)
    missing = sorted(
        c.reference for c in candidates if c.stage == stage and c.application_id not in matcher.seen
    )
    return Preview(
        stage=stage,
        sha256=hashlib.sha256(content).hexdigest(),
        file_name=file_name,
        rows=tuple(rows),
        problems=tuple(problems),
        missing=tuple(missing),
    )


def results_template(stage: ResultStage, candidates: Sequence[Candidate]) -> bytes:
    """A CSV for the officer to fill: one row per candidate in `stage`, by reference (no IIN).

    UTF-8 with BOM and ";" so that Excel with a Kazakh or Russian locale opens it in columns.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([REFERENCE, *_TEMPLATE_COMPONENTS[stage], SCORE, ABSENT])
    blanks = [""] * (len(_TEMPLATE_COMPONENTS[stage]) + 2)
    for reference in sorted(c.reference for c in candidates if c.stage == stage):
        writer.writerow([reference, *blanks])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
