"""Reading the National Commission's approved list (ch. 2-1, cl. 13-1; rules.md R-13-1): every row's
problem is listed before anything is stored; no whole IIN reaches what the officer sees (rules.md 5.11).
Test names start with the clause."""

import hashlib
import re
from datetime import date, datetime

import pytest

from portal.demo.users import make_iin
from portal.reserve.direct_import import ListPreview, ListProblemCode, ListRow, mark_known, read_list
from tests.unit.selections.fixtures_results import csv_bytes, iins, xlsx_bytes

TODAY = date(2025, 2, 20)
HEADER = ["iin", "list number", "approval date"]
P1, P2, P3 = (iin for iin, _ in zip(iins(100), range(3), strict=False))


def read(content: bytes) -> ListPreview:
    return read_list(content, "list.csv", today=TODAY)


def codes(preview: ListPreview) -> list[tuple[int, ListProblemCode]]:
    return [(p.line, p.code) for p in preview.problems]


def test_cl13_1_a_clean_list_is_read_with_its_hash() -> None:
    content = csv_bytes([HEADER, [P1, "17", "2024-03-23"], [P2, "17", "23.03.2024"]])
    preview = read(content)
    assert preview.importable and not preview.problems
    assert preview.sha256 == hashlib.sha256(content).hexdigest()
    assert [(r.line, r.iin, r.list_number, r.approved_on) for r in preview.rows] == [
        (2, P1, "17", date(2024, 3, 23)),
        (3, P2, "17", date(2024, 3, 23)),
    ]
    assert preview.summary() == [("17", date(2024, 3, 23), 2)]


def test_cl13_1_headers_in_kazakh_and_russian_in_any_order() -> None:
    content = csv_bytes(
        [["Дата утверждения", "ЖСН", "Тізім нөмірі"], ["2024-03-23", P1, "№ 5"]], delimiter=";"
    )
    preview = read(content)
    assert preview.importable
    assert preview.rows[0].list_number == "№ 5"


def test_cl13_1_xlsx_date_cells_and_numeric_iins_with_a_lost_leading_zero() -> None:
    young = make_iin(date(2001, 5, 5), False, 1234)  # born in 2001: the IIN starts with 0
    cell = datetime(2024, 3, 23)  # noqa: DTZ001 - a spreadsheet date cell has no time zone
    content = xlsx_bytes([HEADER, [int(young), "17", cell]])
    preview = read_list(content, "list.xlsx", today=TODAY)
    assert preview.importable, preview.problems
    assert preview.rows[0].approved_on == date(2024, 3, 23)
    assert preview.rows[0].iin == young


def test_cl13_1_every_kind_of_row_problem_in_one_file() -> None:
    content = csv_bytes(
        [
            HEADER,
            ["12345", "17", "2024-03-23"],  # 2: not 12 digits
            [P1[:-1] + str((int(P1[-1]) + 1) % 10), "17", "2024-03-23"],  # 3: wrong check digit
            [P1, "17", "2024-03-23"],  # 4: fine
            [P1, "18", "2024-03-23"],  # 5: the same person again
            [P2, "17", "31.02.2024"],  # 6: no such date
            [P3, "", "2024-03-23"],  # 7: no list number
            [P3, "17", "2025-02-21"],  # 8: approved after today
            ["", "x" * 81, "yesterday"],  # 9: no IIN, a list number too long, not a date
        ]
    )
    preview = read(content)
    assert not preview.importable
    assert [r.line for r in preview.rows] == [4]
    assert codes(preview) == [
        (2, ListProblemCode.BAD_IIN),
        (3, ListProblemCode.BAD_IIN),
        (5, ListProblemCode.DUPLICATE),
        (6, ListProblemCode.BAD_DATE),
        (7, ListProblemCode.MISSING_LIST_NUMBER),
        (8, ListProblemCode.BAD_DATE),
        (9, ListProblemCode.BAD_IIN),
        (9, ListProblemCode.MISSING_LIST_NUMBER),
        (9, ListProblemCode.BAD_DATE),
    ]
    assert "already on row 4" in preview.problems[2].detail
    assert "after today" in preview.problems[5].detail


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", ListProblemCode.EMPTY_FILE),
        (csv_bytes([HEADER]), ListProblemCode.EMPTY_FILE),
        (b"%PDF-1.7 not a list", ListProblemCode.UNREADABLE_FILE),
        (csv_bytes([["iin", "list number"], [P1, "17"]]), ListProblemCode.MISSING_COLUMN),
        (
            csv_bytes([["iin", "iin", "list", "approved on"], [P1, P1, "17", "2024-03-23"]]),
            ListProblemCode.MISSING_COLUMN,
        ),
    ],
)
def test_cl13_1_file_problem(content: bytes, code: ListProblemCode) -> None:
    preview = read(content)
    assert not preview.importable
    assert {p.code for p in preview.problems} == {code}


def test_cl13_1_too_many_rows() -> None:
    content = csv_bytes([HEADER, [P1, "17", "2024-03-23"], [P2, "17", "2024-03-23"]])
    preview = read_list(content, "list.csv", today=TODAY, max_rows=1)
    assert codes(preview) == [(3, ListProblemCode.TOO_MANY_ROWS)]


def test_cl13_1_every_problem_code_has_a_case() -> None:
    # the file codes above, the row codes in test_cl13_1_every_kind_of_row_problem_in_one_file
    assert set(ListProblemCode) == {
        ListProblemCode.BAD_IIN,
        ListProblemCode.DUPLICATE,
        ListProblemCode.BAD_DATE,
        ListProblemCode.MISSING_LIST_NUMBER,
        ListProblemCode.UNREADABLE_FILE,
        ListProblemCode.MISSING_COLUMN,
        ListProblemCode.EMPTY_FILE,
        ListProblemCode.TOO_MANY_ROWS,
    }


def test_cl13_1_a_person_already_on_the_approved_list_is_a_duplicate() -> None:
    preview = read(csv_bytes([HEADER, [P1, "17", "2024-03-23"], [P2, "17", "2024-03-23"]]))
    marked = mark_known(preview, {("17", P2), ("99", P1)})
    assert [r.iin for r in marked.rows] == [P1]
    assert codes(marked) == [(3, ListProblemCode.DUPLICATE)]
    assert "already on the approved list '17'" in marked.problems[0].detail
    assert mark_known(preview, set()) is preview


def test_s5_11_no_whole_iin_in_any_problem_detail() -> None:
    wrong = P1[:-1] + str((int(P1[-1]) + 1) % 10)
    content = csv_bytes([HEADER, [wrong, "17", "2024-03-23"], [P2, P3, P3], [P2, "17", "2024-03-23"]])
    preview = read(content)
    assert preview.problems
    for problem in preview.problems:
        assert not re.search(r"[0-9]{9,}", problem.detail), problem


def test_cl13_1_rows_keep_the_iin_out_of_their_repr() -> None:
    row = ListRow(2, P1, "17", date(2024, 3, 23))
    assert P1 not in repr(row)
