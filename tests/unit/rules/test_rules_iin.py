"""IIN structure and checksum (rules.md 5.2). Test names start with the section: s5_2."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.rules.iin import (
    Iin,
    IinError,
    InvalidIin,
    Sex,
    check_digit,
    has_valid_checksum,
    is_valid_iin,
    mask_iin,
    parse_iin,
)

DIGITS = "0123456789"
prefixes = st.text(alphabet=DIGITS, min_size=11, max_size=11)


def reference_is_valid_checksum(value: str) -> bool:
    """An independent transcription of rules.md 5.2 steps 1-4, for the agreement property."""
    d = [int(c) for c in value]
    k = sum(d[i] * (i + 1) for i in range(11)) % 11
    if k == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        k = sum(d[i] * weights[i] for i in range(11)) % 11
    return k != 10 and k == d[11]


def pass_1(prefix: str) -> int:
    return sum(int(c) * (i + 1) for i, c in enumerate(prefix)) % 11


@st.composite
def structured_prefixes(draw: st.DrawFn) -> tuple[str, date, Sex]:
    """An 11-digit prefix with a real birth date and a century digit 1-6."""
    century_digit = draw(st.integers(min_value=1, max_value=6))
    start = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}[century_digit]
    birth = draw(st.dates(min_value=date(start, 1, 1), max_value=date(start + 99, 12, 31)))
    serial = draw(st.text(alphabet=DIGITS, min_size=4, max_size=4))
    prefix = f"{birth:%y%m%d}{century_digit}{serial}"
    return prefix, birth, Sex.M if century_digit % 2 else Sex.F


# --- worked examples of rules.md 5.2 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "birth", "sex"),
    [
        ("900515301234", date(1990, 5, 15), Sex.M),  # pass 1 gives 4
        ("850808310738", date(1985, 8, 8), Sex.M),  # pass 1 gives 10, pass 2 gives 8
        ("061211600012", date(2006, 12, 11), Sex.F),  # pass 1 gives 10, pass 2 gives 2
    ],
)
def test_s5_2_worked_examples_parse(value: str, birth: date, sex: Sex) -> None:
    iin = parse_iin(value)
    assert iin == Iin(value=value, birth_date=birth, sex=sex)
    assert is_valid_iin(value)


def test_s5_2_worked_example_pass_sums() -> None:
    assert pass_1("90051530123") == 147 % 11 == 4
    assert pass_1("85080831073") == 230 % 11 == 10
    assert check_digit("85080831073") == 206 % 11 == 8
    assert pass_1("06121160001") == 87 % 11 == 10
    assert check_digit("06121160001") == 112 % 11 == 2


@pytest.mark.parametrize("last", list(DIGITS))
def test_s5_2_double_ten_prefix_75010130050_rejects_every_check_digit(last: str) -> None:
    assert check_digit("75010130050") is None
    with pytest.raises(InvalidIin) as excinfo:
        parse_iin("75010130050" + last)
    assert excinfo.value.code is IinError.CHECKSUM


def test_s5_2_mask_example() -> None:
    assert mask_iin("900515301234") == "9005******34"
    assert parse_iin("900515301234").masked == "9005******34"


def test_s5_2_mask_never_leaks_a_malformed_value() -> None:
    assert mask_iin("90051530123") == "*" * 11
    assert mask_iin("") == ""


def test_s5_2_repr_and_str_show_only_the_masked_number() -> None:
    iin = parse_iin("900515301234")
    assert "900515301234" not in repr(iin)
    assert str(iin) == "9005******34"


# --- error codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        "90051530123",
        "9005153012345",
        "90051530123a",
        " 900515301234",
        "900515301234 ",
        "９００５１５３０１２３４",
    ],
)
def test_s5_2_format_is_exactly_12_ascii_digits(value: str) -> None:
    with pytest.raises(InvalidIin) as excinfo:
        parse_iin(value)
    assert excinfo.value.code is IinError.FORMAT
    assert isinstance(excinfo.value, ValueError)


@pytest.mark.parametrize("digit", ["0", "7", "8", "9"])
def test_s5_2_century_digit_must_be_1_to_6(digit: str) -> None:
    with pytest.raises(InvalidIin) as excinfo:
        parse_iin(f"900515{digit}01234")
    assert excinfo.value.code is IinError.CENTURY


@pytest.mark.parametrize("prefix", ["9002303", "9013013", "9004313", "0102293", "9000003", "0002293"])
def test_s5_2_birth_date_must_exist(prefix: str) -> None:
    with pytest.raises(InvalidIin) as excinfo:
        parse_iin(prefix + "01234")
    assert excinfo.value.code is IinError.DATE


def test_s5_2_leap_day_birth_date_is_valid_in_a_leap_year() -> None:
    prefix = "0002295" + "0001"  # 29.02.2000, male, 2000s
    k = check_digit(prefix)
    assert k is not None
    assert parse_iin(prefix + str(k)).birth_date == date(2000, 2, 29)


def test_s5_2_birth_date_not_in_the_future() -> None:
    prefix = "2502205" + "0001"  # 20.02.2025
    k = check_digit(prefix)
    assert k is not None
    value = prefix + str(k)
    assert parse_iin(value, today=date(2025, 2, 20)).birth_date == date(2025, 2, 20)
    with pytest.raises(InvalidIin) as excinfo:
        parse_iin(value, today=date(2025, 2, 19))
    assert excinfo.value.code is IinError.DATE
    assert not is_valid_iin(value, today=date(2025, 2, 19))


def test_s5_2_wrong_check_digit_is_checksum_error() -> None:
    with pytest.raises(InvalidIin) as excinfo:
        parse_iin("900515301235")
    assert excinfo.value.code is IinError.CHECKSUM


@pytest.mark.parametrize(
    ("digit", "year", "sex"),
    [
        (1, 1890, Sex.M),
        (2, 1890, Sex.F),
        (3, 1990, Sex.M),
        (4, 1990, Sex.F),
        (5, 2010, Sex.M),
        (6, 2010, Sex.F),
    ],
)
def test_s5_2_seventh_digit_gives_century_and_sex(digit: int, year: int, sex: Sex) -> None:
    prefix = f"{year % 100:02d}0101{digit}0001"
    k = check_digit(prefix)
    assert k is not None
    iin = parse_iin(prefix + str(k))
    assert (iin.birth_date, iin.sex) == (date(year, 1, 1), sex)


# --- the position-11 weakness, asserted so that nobody "fixes" it -----------------------------


def test_s5_2_position_11_weakness_example_all_ten_validate() -> None:
    for d in DIGITS:
        assert is_valid_iin(f"9005153012{d}4"), d


@settings(max_examples=300, deadline=None)
@given(prefixes)
def test_s5_2_position_11_typo_undetected_whenever_pass_1_is_not_10(prefix: str) -> None:
    k = check_digit(prefix)
    if k is None:
        return
    valid = prefix + str(k)
    variants = [valid[:10] + d + valid[11] for d in DIGITS]
    if pass_1(prefix) != 10:
        assert all(has_valid_checksum(v) for v in variants)
    else:  # pass 2 weighs position 11 by 2, so the typo is caught there
        assert [has_valid_checksum(v) for v in variants].count(True) == 1


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(prefixes)
def test_s5_2_every_prefix_gets_one_check_digit_or_is_rejected_as_double_ten(prefix: str) -> None:
    k = check_digit(prefix)
    valid_last = [d for d in DIGITS if has_valid_checksum(prefix + d)]
    if k is None:
        assert valid_last == []
    else:
        assert valid_last == [str(k)]


@settings(max_examples=300, deadline=None)
@given(structured_prefixes())
def test_s5_2_structured_prefix_parses_or_is_checksum_rejected(case: tuple[str, date, Sex]) -> None:
    prefix, birth, sex = case
    k = check_digit(prefix)
    if k is None:
        for d in DIGITS:
            with pytest.raises(InvalidIin) as excinfo:
                parse_iin(prefix + d)
            assert excinfo.value.code is IinError.CHECKSUM
    else:
        iin = parse_iin(prefix + str(k))
        assert (iin.birth_date, iin.sex) == (birth, sex)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=DIGITS, min_size=12, max_size=12))
def test_s5_2_checksum_agrees_with_an_independent_reference(value: str) -> None:
    assert has_valid_checksum(value) == reference_is_valid_checksum(value)


def test_s5_2_check_digit_rejects_a_malformed_prefix() -> None:
    with pytest.raises(ValueError, match="11 ASCII digits"):
        check_digit("1234")
