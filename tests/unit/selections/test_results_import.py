"""Importing stage-2 and stage-3 results (cl. 6(2), 6(3), 10; rules.md R-6(2), R-6(3), A-13, A-14;
issue 6 item 4). Test names start with the clause: cl6 (the import), a13 (absent = no result),
s5_11 (no whole IIN in what the officer sees)."""

import hashlib
import io
import random
import re
import uuid
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.rules.iin import is_valid_iin, mask_iin
from portal.selections import results_import
from portal.selections.results_import import (
    HEADER_ALIASES,
    Candidate,
    ParsedRow,
    Preview,
    ProblemCode,
    ResultStage,
    read_results,
    results_template,
)
from tests.unit.selections.fixtures_results import candidates, csv_bytes, iins, valid_iins, xlsx_bytes

TESTING = ResultStage.TESTING
COMPETENCY = ResultStage.COMPETENCY
CANDIDATES = candidates(3)
A, B, C = CANDIDATES


def preview(
    content: bytes,
    *,
    stage: ResultStage = TESTING,
    people: list[Candidate] = CANDIDATES,
    score_range: tuple[Decimal, Decimal] = (Decimal(0), Decimal(100)),
    max_rows: int = 20_000,
) -> Preview:
    return read_results(
        content, "results.csv", stage=stage, candidates=people, score_range=score_range, max_rows=max_rows
    )


def codes(result: Preview) -> list[tuple[int, ProblemCode]]:
    return [(p.line, p.code) for p in result.problems]


def one_row(*cells: str, header: tuple[str, ...] = ("reference", "score", "absent")) -> bytes:
    return csv_bytes([list(header), list(cells)])


# --- good files ---------------------------------------------------------------------------------


def test_cl6_good_comma_csv_is_importable_with_components() -> None:
    content = csv_bytes(
        [
            ["reference", "law_test", "personal_qualities", "score", "absent"],
            [A.reference, "45", "passed", "87.5", ""],
            [B.reference, "50", "passed", "100", "no"],
            [C.reference, "", "", "", "yes"],
        ]
    )
    result = preview(content)
    assert result.importable
    assert result.complete
    assert result.problems == ()
    assert result.missing == ()
    assert result.rows == (
        ParsedRow(
            2,
            A.application_id,
            A.reference,
            Decimal("87.5"),
            False,
            {"law_test": "45", "personal_qualities": "passed"},
        ),
        ParsedRow(
            3,
            B.application_id,
            B.reference,
            Decimal(100),
            False,
            {"law_test": "50", "personal_qualities": "passed"},
        ),
        ParsedRow(4, C.application_id, C.reference, None, True, {"law_test": "", "personal_qualities": ""}),
    )
    assert result.stage is TESTING
    assert result.file_name == "results.csv"


def test_cl6_semicolon_windows_1251_cyrillic_headers_and_decimal_commas() -> None:
    content = csv_bytes(
        [
            ["Регистрационный номер", "ИИН", "Балл", "Неявка", "Тестирование"],
            [A.reference, "", "87,5", "нет", "40,5"],
            ["", B.iin, "66,25", "", ""],
            [C.reference.lower(), "", "", "да", ""],
        ],
        delimiter=";",
        encoding="cp1251",
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # really Windows-1251
    result = preview(content)
    assert result.importable, result.problems
    assert [(r.reference, r.score, r.absent) for r in result.rows] == [
        (A.reference, Decimal("87.5"), False),
        (B.reference, Decimal("66.25"), False),
        (C.reference, None, True),
    ]
    assert result.rows[0].components == {"Тестирование": "40,5"}


def test_cl6_kazakh_headers_utf8_bom_tab_separated() -> None:
    content = csv_bytes(
        [["Тіркеу нөмірі", "Ұпай", "Келмеді"], [A.reference, "70", "жоқ"], [B.reference, "", "иә"]],
        delimiter="\t",
        bom=True,
    )
    result = preview(content)
    assert result.importable, result.problems
    assert [(r.score, r.absent) for r in result.rows] == [(Decimal(70), False), (None, True)]
    assert result.missing == (C.reference,)


def test_cl6_utf16_tab_text_as_saved_by_excel() -> None:
    content = csv_bytes([["ЖСН", "Балл"], [A.iin, "55,5"]], delimiter="\t", encoding="utf-16")
    result = preview(content)
    assert result.importable, result.problems
    assert result.rows[0].score == Decimal("55.5")


def test_cl6_xlsx_built_with_openpyxl() -> None:
    leading_zero = Candidate(uuid.UUID(int=99), "KZ-71-2025-000099", "061211600012", TESTING)
    content = xlsx_bytes(
        [
            ["IIN", "Score (0-100)", "Absent", "law_test"],
            [A.iin, 87.5, None, 40],
            [int(leading_zero.iin), 90, False, 41.5],  # a spreadsheet dropped the leading zero
            [int(B.iin), None, True, None],
            [None, None, None, None],  # a blank row is skipped, the row numbers stay the sheet's
            [C.iin, "77,25", "no", "x"],
        ]
    )
    result = read_results(content, "results.xlsx", stage=TESTING, candidates=[*CANDIDATES, leading_zero])
    assert result.importable, result.problems
    assert [(r.line, r.reference, r.score, r.absent) for r in result.rows] == [
        (2, A.reference, Decimal("87.5"), False),
        (3, leading_zero.reference, Decimal(90), False),
        (4, B.reference, None, True),
        (6, C.reference, Decimal("77.25"), False),
    ]
    assert [r.components for r in result.rows] == [
        {"law_test": "40"},
        {"law_test": "41.5"},
        {"law_test": ""},
        {"law_test": "x"},
    ]


def test_cl6_xlsx_first_sheet_only() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["reference", "score"])
    workbook.active.append([A.reference, 10])
    other = workbook.create_sheet("Other")
    other.append(["reference", "score"])
    other.append(["KZ-71-2025-000999", 10])
    out = io.BytesIO()
    workbook.save(out)
    result = preview(out.getvalue())
    assert result.importable
    assert [r.reference for r in result.rows] == [A.reference]


def test_cl6_template_round_trip() -> None:
    """The template lists the candidates of the stage by reference (no IIN), ready to fill."""
    other = candidates(1, COMPETENCY, first=50, iin_start=500)
    template = results_template(TESTING, [*CANDIDATES, *other])
    assert template.startswith(b"\xef\xbb\xbf")
    text = template.decode("utf-8-sig")
    assert text.splitlines()[0] == "reference;law_test;personal_qualities;score;absent"
    assert other[0].reference not in text
    assert all(c.iin not in text for c in CANDIDATES)
    header, *lines = text.splitlines()
    assert lines == [f"{c.reference};;;;" for c in CANDIDATES]
    first, second, third = (line.split(";")[0] for line in lines)
    filled = "\r\n".join([header, f"{first};40;passed;80;", f"{second};41;passed;81,5;", f"{third};;;;да"])
    result = preview(filled.encode("utf-8"))
    assert result.complete, result.problems
    assert results_template(COMPETENCY, other).decode("utf-8-sig").splitlines() == [
        "reference;score;absent",
        f"{other[0].reference};;",
    ]


@pytest.mark.parametrize(
    ("column", "alias"), [(column, alias) for column, aliases in HEADER_ALIASES.items() for alias in aliases]
)
def test_cl6_every_header_alias_is_accepted_in_any_case(column: str, alias: str) -> None:
    headers = {"reference": "reference", "score": "score", "absent": "absent"}
    if column == "iin":
        headers.pop("reference")
    headers[column] = f"  {alias.upper().replace(' ', '_')} (see note) "
    values = {
        "reference": A.reference,
        "iin": A.iin,
        "score": "" if column == "absent" else "50",
        "absent": "x" if column == "absent" else "",
    }
    content = csv_bytes([list(headers.values()), [values[name] for name in headers]])
    result = preview(content)
    assert result.importable, result.problems
    assert result.rows[0].application_id == A.application_id
    assert result.rows[0].components == {}


@pytest.mark.parametrize(
    "value", ["yes", "YES", "y", "1", "true", "True", "иә", "Иә", "ия", "да", "ДА", "x", "X", "х"]
)
def test_a13_absent_yes_values(value: str) -> None:
    result = preview(one_row(A.reference, "", value))
    assert result.importable, result.problems
    assert (result.rows[0].score, result.rows[0].absent) == (None, True)


@pytest.mark.parametrize(
    "value", ["no", "No", "n", "0", "false", "FALSE", "жоқ", "жок", "нет", "Нет", "", "  "]
)
def test_a13_absent_no_values(value: str) -> None:
    result = preview(one_row(A.reference, "12", value))
    assert result.importable, result.problems
    assert (result.rows[0].score, result.rows[0].absent) == (Decimal(12), False)


def test_a13_absent_is_no_score() -> None:
    """Absent = no result (None), never 0: ranking puts None below every score (rules.md A-13)."""
    result = preview(one_row(A.reference, "", "yes"))
    (row,) = result.rows
    assert row.absent
    assert row.score is None


def test_a13_absent_but_scored_is_refused_not_dropped() -> None:
    assert codes(preview(one_row(A.reference, "0", "yes"))) == [(2, ProblemCode.BAD_ABSENT_FLAG)]
    result = preview(one_row(A.reference, "55", "да"))
    assert result.problems[0].detail.startswith("absent but scored")
    assert result.rows == ()


def test_a13_without_an_absent_column_an_empty_score_is_missing() -> None:
    content = one_row(A.reference, "", header=("reference", "score"))
    assert codes(preview(content)) == [(2, ProblemCode.MISSING_SCORE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", Decimal(0)),
        ("-0", Decimal(0)),
        ("100", Decimal(100)),
        ("87,5", Decimal("87.5")),
        ("87.05", Decimal("87.05")),
        ("87.500", Decimal("87.50")),  # trailing zeros are not decimals
        (" +42 ", Decimal(42)),
    ],
)
def test_cl6_scores_are_decimals_with_at_most_two_places(text: str, expected: Decimal) -> None:
    result = preview(one_row(A.reference, text, ""))
    assert result.importable, result.problems
    assert result.rows[0].score == expected
    assert result.rows[0].score is not None
    assert result.rows[0].score.as_tuple().exponent >= -2  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("87.123", ProblemCode.SCORE_NOT_A_NUMBER),
        ("87,555", ProblemCode.SCORE_NOT_A_NUMBER),
        ("1e2", ProblemCode.SCORE_NOT_A_NUMBER),
        ("NaN", ProblemCode.SCORE_NOT_A_NUMBER),
        ("Infinity", ProblemCode.SCORE_NOT_A_NUMBER),
        ("1,000.5", ProblemCode.SCORE_NOT_A_NUMBER),
        ("87.5.1", ProblemCode.SCORE_NOT_A_NUMBER),
        ("eighty", ProblemCode.SCORE_NOT_A_NUMBER),
        ("#DIV/0!", ProblemCode.SCORE_NOT_A_NUMBER),
        ("٨٧", ProblemCode.SCORE_NOT_A_NUMBER),  # Arabic-Indic digits
        ("-1", ProblemCode.SCORE_OUT_OF_RANGE),
        ("100.01", ProblemCode.SCORE_OUT_OF_RANGE),
        ("1000000", ProblemCode.SCORE_OUT_OF_RANGE),
    ],
)
def test_cl6_bad_scores_are_refused(text: str, code: ProblemCode) -> None:
    assert codes(preview(one_row(A.reference, text, ""))) == [(2, code)]


def test_cl6_score_range_is_the_callers() -> None:
    content = csv_bytes([["reference", "score"], [A.reference, "30"], [B.reference, "31"]])
    result = preview(content, score_range=(Decimal(0), Decimal(30)))
    assert codes(result) == [(3, ProblemCode.SCORE_OUT_OF_RANGE)]
    assert result.problems[0].detail == "31 is outside 0-30"


def test_cl6_xlsx_three_decimals_and_non_numbers_are_refused() -> None:
    content = xlsx_bytes(
        [
            ["reference", "score"],
            [A.reference, 87.123],
            [B.reference, True],
            [C.reference, date(2025, 1, 1)],
        ]
    )
    assert codes(preview(content)) == [
        (2, ProblemCode.SCORE_NOT_A_NUMBER),
        (3, ProblemCode.SCORE_NOT_A_NUMBER),
        (4, ProblemCode.SCORE_NOT_A_NUMBER),
    ]


# --- one row (or file) for each ProblemCode -------------------------------------------------------

OTHER_STAGE = candidates(1, COMPETENCY, first=40, iin_start=400)[0]
D = candidates(1, first=41, iin_start=410)[0]
PEOPLE = [*CANDIDATES, OTHER_STAGE, D]
HEADER = ["reference", "iin", "score", "absent"]

ROW_CASES: dict[ProblemCode, list[str]] = {
    ProblemCode.UNKNOWN_CANDIDATE: ["KZ-71-2025-000777", "", "50", ""],
    ProblemCode.SCORE_OUT_OF_RANGE: [B.reference, "", "101", ""],
    ProblemCode.SCORE_NOT_A_NUMBER: [C.reference, "", "fifty", ""],
    ProblemCode.MISSING_SCORE: ["", A.iin, "", ""],
    ProblemCode.WRONG_STAGE: [OTHER_STAGE.reference, "", "50", ""],
    ProblemCode.BAD_IIN: ["", A.iin[:-1] + str((int(A.iin[-1]) + 1) % 10), "50", ""],
    ProblemCode.MISSING_IDENTIFIER: ["", "", "50", ""],
    ProblemCode.BAD_ABSENT_FLAG: ["", D.iin, "", "maybe"],
    ProblemCode.DUPLICATE: [A.reference, "", "50", ""],  # A is on the MISSING_SCORE row before
}
FILE_CASES: dict[ProblemCode, tuple[bytes, int]] = {  # (content, max_rows)
    ProblemCode.UNREADABLE_FILE: (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 64, 20_000),
    ProblemCode.MISSING_COLUMN: (csv_bytes([["name", "score"], ["Aru", "50"]]), 20_000),
    ProblemCode.EMPTY_FILE: (b"", 20_000),
    ProblemCode.TOO_MANY_ROWS: (
        csv_bytes([["reference", "score"], *([c.reference, "50"] for c in CANDIDATES)]),
        2,
    ),
}


def test_cl6_every_problem_code_has_a_case() -> None:
    assert set(ROW_CASES) | set(FILE_CASES) == set(ProblemCode)
    assert not set(ROW_CASES) & set(FILE_CASES)


def test_cl6_a_row_for_each_row_problem_in_one_file() -> None:
    rows = [HEADER, *ROW_CASES.values()]
    result = preview(csv_bytes(rows), people=PEOPLE)
    expected = [(line, code) for line, code in enumerate(ROW_CASES, start=2)]
    assert codes(result) == expected
    assert result.rows == ()
    assert not result.importable
    assert all(p.detail for p in result.problems)


@pytest.mark.parametrize("code", list(FILE_CASES))
def test_cl6_file_problem(code: ProblemCode) -> None:
    content, max_rows = FILE_CASES[code]
    result = preview(content, max_rows=max_rows)
    assert [p.code for p in result.problems] == [code]
    assert result.rows == ()
    assert not result.importable


def test_cl6_duplicate_is_reported_on_the_second_row_only() -> None:
    content = csv_bytes([["reference", "iin", "score"], [A.reference, "", "50"], ["", A.iin, "60"]])
    result = preview(content)
    assert codes(result) == [(3, ProblemCode.DUPLICATE)]
    assert result.problems[0].detail == f"{A.reference} is already on row 2"
    assert [r.line for r in result.rows] == [2]


def test_cl6_wrong_stage_when_the_candidate_is_still_in_testing() -> None:
    content = one_row(A.reference, "50", "")
    result = preview(content, stage=COMPETENCY)
    assert codes(result) == [(2, ProblemCode.WRONG_STAGE)]
    assert result.problems[0].detail == f"{A.reference} is in stage testing, not competency"
    assert result.missing == ()  # nobody is in the competency stage


def test_cl6_every_problem_of_a_row_is_listed() -> None:
    content = csv_bytes([HEADER, ["KZ-71-2025-000777", "", "abc", "maybe"]])
    assert {p.code for p in preview(content).problems} == {
        ProblemCode.UNKNOWN_CANDIDATE,
        ProblemCode.SCORE_NOT_A_NUMBER,
        ProblemCode.BAD_ABSENT_FLAG,
    }


def test_cl6_reference_and_iin_must_name_the_same_application() -> None:
    agree = csv_bytes([HEADER, [A.reference, A.iin, "50", ""]])
    assert preview(agree).importable
    disagree = csv_bytes([HEADER, [A.reference, B.iin, "50", ""]])
    result = preview(disagree)
    assert codes(result) == [(2, ProblemCode.UNKNOWN_CANDIDATE)]
    assert result.problems[0].detail == (
        f"the reference {A.reference} and the IIN {mask_iin(B.iin)} name different applications"
    )


def test_cl6_an_iin_with_two_applications_is_resolved_by_stage_or_refused() -> None:
    old = Candidate(uuid.UUID(int=500), "KZ-71-2024-000500", A.iin, COMPETENCY)
    content = csv_bytes([["iin", "score"], [A.iin, "50"]])
    assert preview(content, people=[*CANDIDATES, old]).rows[0].application_id == A.application_id
    twin = Candidate(uuid.UUID(int=501), "KZ-71-2024-000501", A.iin, TESTING)
    result = preview(content, people=[*CANDIDATES, twin])
    assert codes(result) == [(2, ProblemCode.UNKNOWN_CANDIDATE)]
    assert "several applications" in result.problems[0].detail
    older = Candidate(uuid.UUID(int=502), "KZ-71-2023-000502", A.iin, COMPETENCY)
    result = preview(content, people=[*CANDIDATES[1:], old, older])
    assert codes(result) == [(2, ProblemCode.UNKNOWN_CANDIDATE)]
    assert result.problems[0].detail == f"several applications have the IIN {mask_iin(A.iin)}"


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("12345", "is not 12 digits"),
        ("90051530123", "is not 12 digits (a leading zero lost by a spreadsheet?)"),
        ("900515701234", "has a 7th digit other than 1-6"),
        ("901315301234", "does not start with a birth date"),
        ("900515301235", "has a wrong check digit"),
    ],
)
def test_cl6_bad_iin_says_why(value: str, detail: str) -> None:
    result = preview(csv_bytes([["iin", "score"], [value, "50"]]))
    assert codes(result) == [(2, ProblemCode.BAD_IIN)]
    assert result.problems[0].detail.endswith(detail)
    assert value not in result.problems[0].detail


def test_cl6_iin_with_spaces_is_accepted() -> None:
    spaced = f"{A.iin[:4]} {A.iin[4:8]} {A.iin[8:]}"
    result = preview(csv_bytes([["iin", "score"], [spaced, "50"]]))
    assert result.importable, result.problems


def test_cl6_missing_candidates_are_listed_sorted_and_only_from_the_stage() -> None:
    people = [*reversed(CANDIDATES), OTHER_STAGE]
    result = preview(one_row(B.reference, "50", ""), people=people)
    assert result.importable
    assert not result.complete
    assert result.missing == (A.reference, C.reference)


def test_cl6_a_row_with_a_problem_still_counts_as_present() -> None:
    result = preview(one_row(A.reference, "500", ""))
    assert A.reference not in result.missing
    assert result.missing == (B.reference, C.reference)


def test_cl6_same_file_twice_same_sha256_and_same_preview() -> None:
    content = csv_bytes([["reference", "score"], [A.reference, "50"], ["KZ-1", "x"]])
    first, second = preview(content), preview(content)
    assert first.sha256 == second.sha256 == hashlib.sha256(content).hexdigest()
    assert first == second
    assert preview(content + b"\r\n").sha256 != first.sha256


def test_cl6_sha256_is_kept_for_a_refused_file_too() -> None:
    assert preview(b"").sha256 == hashlib.sha256(b"").hexdigest()


# --- unreadable, empty, headers, size ---------------------------------------------------------


def workbook_bytes() -> bytes:
    return xlsx_bytes([["reference", "score"], [A.reference, 50]])


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"MZ\x90\x00" + bytes(range(256)) * 8, id="renamed-exe"),
        pytest.param(b"\x7fELF\x02\x01\x01" + bytes(200), id="elf"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", id="pdf"),
        pytest.param(random.Random(6).randbytes(4096), id="garbage"),
        pytest.param(bytes(100), id="nul-bytes"),
        pytest.param(workbook_bytes()[:600], id="truncated-xlsx"),
        pytest.param(b"PK\x03\x04" + random.Random(7).randbytes(2000), id="corrupt-zip"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), id="xls-or-password-protected"),
        pytest.param(b"PK\x05\x06" + bytes(18), id="empty-zip"),
    ],
)
def test_cl6_unreadable_file(content: bytes) -> None:
    result = preview(content)
    assert codes(result) == [(0, ProblemCode.UNREADABLE_FILE)]
    assert result.missing == tuple(c.reference for c in CANDIDATES)


def test_cl6_a_zip_that_is_not_a_workbook_is_unreadable() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert codes(preview(out.getvalue())) == [(0, ProblemCode.UNREADABLE_FILE)]


def test_cl6_a_workbook_that_unpacks_too_large_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_import, "_MAX_XLSX_UNPACKED", 1000)
    result = preview(workbook_bytes())
    assert [(p.code, p.detail) for p in result.problems] == [
        (ProblemCode.UNREADABLE_FILE, "the workbook unpacks to an excessive size")
    ]


def test_cl6_password_protected_message_tells_what_to_do() -> None:
    result = preview(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert "password" in result.problems[0].detail


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="zero-bytes"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
        pytest.param(b"\r\n \r\n;;;\r\n", id="blank-lines"),
        pytest.param(b"reference,score\r\n", id="header-only"),
        pytest.param(b"reference;score\r\n;\r\n", id="header-and-blank-row"),
        pytest.param(xlsx_bytes([]), id="empty-xlsx"),
        pytest.param(xlsx_bytes([["reference", "score"]]), id="xlsx-header-only"),
    ],
)
def test_cl6_empty_file(content: bytes) -> None:
    assert codes(preview(content)) == [(0, ProblemCode.EMPTY_FILE)]


@pytest.mark.parametrize(
    ("header", "details"),
    [
        (["score", "absent"], ["no identifier column: add 'reference' or 'iin'"]),
        (["reference", "points"], ["no 'score' column"]),
        (["name", "surname"], ["no identifier column: add 'reference' or 'iin'", "no 'score' column"]),
        (["reference", "score", "Балл"], ["the column 'score' appears more than once (columns B, C)"]),
        (
            ["reference", "score", "law_test", "Law Test"],
            ["the column 'law test' appears more than once (columns C, D)"],
        ),
    ],
)
def test_cl6_header_problems_refuse_the_file(header: list[str], details: list[str]) -> None:
    result = preview(csv_bytes([header, ["x"] * len(header)]))
    assert [(p.line, p.code, p.detail) for p in result.problems] == [
        (1, ProblemCode.MISSING_COLUMN, detail) for detail in details
    ]


def test_cl6_header_is_the_first_non_blank_row_and_lines_are_spreadsheet_rows() -> None:
    content = b"\r\n;\r\nreference;score\r\n\r\n" + f"{A.reference};x\r\n".encode()
    assert codes(preview(content)) == [(5, ProblemCode.SCORE_NOT_A_NUMBER)]


def test_cl6_too_many_rows_refuses_the_whole_file() -> None:
    people = candidates(5)
    content = csv_bytes([["reference", "score"], *([c.reference, "50"] for c in people)])
    assert preview(content, people=people, max_rows=5).importable
    result = preview(content, people=people, max_rows=4)
    assert codes(result) == [(6, ProblemCode.TOO_MANY_ROWS)]
    assert result.rows == ()


def test_cl6_default_limit_is_20000_rows() -> None:
    rows = ["reference,score", *(f"KZ-71-2025-{n:06d},50" for n in range(20_001))]
    result = preview("\n".join(rows).encode())
    assert codes(result) == [(20_002, ProblemCode.TOO_MANY_ROWS)]


def test_cl6_quoted_csv_fields_and_blank_header_columns() -> None:
    content = (
        b'reference,"score",,"note, with comma"\r\n' + f'"{A.reference}","50",ignored,"a ""b"""\r\n'.encode()
    )
    result = preview(content)
    assert result.importable, result.problems
    assert result.rows[0].components == {"note, with comma": 'a "b"'}


def test_cl6_candidate_repr_hides_the_iin() -> None:
    assert A.iin not in repr(A)


# --- no whole IIN in any detail (rules.md 5.11) ---------------------------------------------------


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(iin=valid_iins(), spacing=st.sampled_from(["", " ", "  ", "\u00a0"]))
def test_s5_11_no_whole_iin_in_any_problem_detail(iin: str, spacing: str) -> None:
    wrong_stage = Candidate(uuid.UUID(int=9000), "KZ-71-2025-009000", iin, COMPETENCY)
    people = [*CANDIDATES, wrong_stage]
    spaced = spacing.join((iin[:6], iin[6:]))
    bad_check = iin[:-1] + str((int(iin[-1]) + 1) % 10)
    rows = [
        [*HEADER, "law_test"],
        ["", iin, "50", "", iin],  # wrong stage, by IIN
        ["", iin, "50", ""],  # duplicate, by IIN
        [iin, "", "50", ""],  # an IIN in the reference column
        [spaced, "", "50", ""],
        [f"{iin[:6]}-{iin[6:]}", "", "50", ""],
        [A.reference, iin, "50", ""],  # reference and IIN disagree
        [B.reference, "", iin, ""],  # an IIN in the score column
        [B.reference, "", spaced, ""],
        [C.reference, "", "", iin],  # an IIN in the absent column
        ["", bad_check, "50", ""],  # not a valid IIN, still personal data
        ["", iin[1:], "50", ""],
        ["", iin + "0", "50", ""],
    ]
    result = preview(csv_bytes(rows), people=people)
    assert len(result.problems) >= len(rows) - 1
    for problem in result.problems:
        for secret in (iin, bad_check):
            assert secret not in _digits(problem.detail), problem
    unknown = preview(csv_bytes([["iin", "score"], [iin, "50"]]))
    assert unknown.problems[0].detail == f"no admitted application has the IIN {mask_iin(iin)}"
    header = preview(csv_bytes([["reference", "score", iin, iin], [A.reference, "1", "", ""]]))
    assert all(iin not in _digits(p.detail) for p in header.problems)


def test_s5_11_fixture_iins_are_valid() -> None:
    generated = iins()
    assert all(is_valid_iin(next(generated)) for _ in range(50))
