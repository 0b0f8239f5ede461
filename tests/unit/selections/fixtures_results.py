"""Helpers for the results-import tests: candidates with valid IINs, CSV and XLSX files in memory."""

import csv
import io
import uuid
from collections.abc import Iterator, Sequence
from datetime import date

import openpyxl
from hypothesis import assume
from hypothesis import strategies as st

from portal.rules.iin import check_digit
from portal.selections.results_import import Candidate, ResultStage

DIGITS = "0123456789"


def iin_from_prefix(prefix: str) -> str | None:
    """The valid IIN with these 11 digits, or None when the prefix has no check digit."""
    digit = check_digit(prefix)
    return None if digit is None else f"{prefix}{digit}"


def iins(start: int = 0) -> Iterator[str]:
    """Valid IINs of men born on 15 May 1990, serials from `start` up (deterministic)."""
    serial = start
    while True:
        iin = iin_from_prefix(f"9005153{serial:04d}")
        serial += 1
        if iin is not None:
            yield iin


def candidates(
    count: int, stage: ResultStage = ResultStage.TESTING, *, first: int = 1, iin_start: int = 0
) -> list[Candidate]:
    """`count` admitted applications KZ-71-2025-000001.. in `stage`, each with its own IIN."""
    numbers = iins(iin_start)
    return [
        Candidate(
            application_id=uuid.UUID(int=number),
            reference=f"KZ-71-2025-{number:06d}",
            iin=next(numbers),
            stage=stage,
        )
        for number in range(first, first + count)
    ]


def csv_bytes(
    rows: Sequence[Sequence[str]], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False
) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    prefix = "\ufeff" if bom else ""
    return (prefix + out.getvalue()).encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, title: str = "Results") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return bytes(out.getvalue())


@st.composite
def valid_iins(draw: st.DrawFn) -> str:
    """Any valid IIN (rules.md 5.2): a real birth date, a century digit 1-6, a check digit."""
    century_digit = draw(st.integers(min_value=1, max_value=6))
    start = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}[century_digit]
    birth = draw(st.dates(min_value=date(start, 1, 1), max_value=date(start + 99, 12, 31)))
    serial = draw(st.text(alphabet=DIGITS, min_size=4, max_size=4))
    iin = iin_from_prefix(f"{birth:%y%m%d}{century_digit}{serial}")
    assume(iin is not None)
    assert iin is not None
    return iin
