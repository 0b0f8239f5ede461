"""portal.rules.scoring: the structured interview's scores (cl. 6(4), 12; rules.md A-12)."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.rules.scoring import (
    DEFAULT_OUTLIER_POINTS,
    DEFAULT_SCALE_MAX,
    average_score,
    complete,
    member_average,
    outliers,
    spread,
    valid_score,
)

CODES = ("c1", "c2", "c3", "c4")
score = st.integers(min_value=1, max_value=DEFAULT_SCALE_MAX)
sheet = st.fixed_dictionaries(dict.fromkeys(CODES, score))
sheets = st.dictionaries(st.integers(min_value=1, max_value=50), sheet, min_size=1, max_size=12)
panel = st.dictionaries(st.integers(min_value=1, max_value=50), score, max_size=12)


def test_a12_defaults_are_a_one_to_five_scale_and_two_points() -> None:
    assert DEFAULT_SCALE_MAX == 5 and DEFAULT_OUTLIER_POINTS == 2


@pytest.mark.parametrize(
    ("value", "ok"), [(1, True), (5, True), (0, False), (6, False), (True, False), (2.0, False), ("3", False)]
)
def test_cl6_4_a_score_is_a_whole_number_on_the_scale(value: object, ok: bool) -> None:
    assert valid_score(value) is ok


def test_cl6_4_the_scale_follows_the_rubric() -> None:
    assert valid_score(7, scale_max=10) and not valid_score(7)


def test_a12_average_is_the_mean_of_the_members_means() -> None:
    # A member's mean weighs the same whatever the number of competencies on the sheet.
    assert average_score({"a": {"c1": 5, "c2": 4}, "b": {"c1": 1}}) == Fraction(11, 4)
    assert average_score({}) is None


def test_a12_only_complete_sheets_count_when_the_competencies_are_given() -> None:
    sheets_ = {"a": {"c1": 5, "c2": 5}, "b": {"c1": 1}}
    assert average_score(sheets_, ("c1", "c2")) == 5
    assert average_score({"b": {"c1": 1}}, ("c1", "c2")) is None
    assert complete({"c1": 1, "c2": 2, "old": 3}, ("c1", "c2")) and not complete({}, ())


def test_a12_a_competency_no_longer_in_the_rubric_is_ignored() -> None:
    assert member_average({"c1": 4, "gone": 1}, ("c1",)) == 4
    with pytest.raises(ValueError, match="empty"):
        member_average({"gone": 1}, ("c1",))


def test_a12_outlier_is_more_than_the_distance_from_the_others_mean() -> None:
    # 5, 5, 1: the 1 is 4 from the others' mean (5); each 5 is exactly 2 from (5 + 1) / 2 = 3: not flagged.
    assert outliers({"a": 5, "b": 5, "c": 1}) == {"c"}
    assert outliers({"a": 5, "b": 5, "c": 1}, points=Decimal("1.5")) == {"a", "b", "c"}
    assert outliers({"a": 5, "b": 1}, points=3) == {"a", "b"}
    assert outliers({"a": 5}) == frozenset() and outliers({}) == frozenset()
    with pytest.raises(ValueError, match="negative"):
        outliers({"a": 1, "b": 5}, points=-1)


def test_a12_spread_of_the_members_scores() -> None:
    found = spread([5, 5, 1])
    assert found is not None
    assert (found.count, found.low, found.high, found.mean, found.range) == (3, 1, 5, Fraction(11, 3), 4)
    assert found.std == pytest.approx(1.8856, abs=1e-4)
    assert spread([]) is None


@given(sheets)
def test_a12_average_lies_within_the_scale_and_between_the_members_means(
    found: dict[int, dict[str, int]],
) -> None:
    average = average_score(found, CODES)
    means = [member_average(s) for s in found.values()]
    assert average is not None
    assert 1 <= min(means) <= average <= max(means) <= DEFAULT_SCALE_MAX


@given(sheets, st.randoms())
def test_a12_average_ignores_the_order_of_members_and_competencies(
    found: dict[int, dict[str, int]], rnd: random.Random
) -> None:
    members = list(found.items())
    rnd.shuffle(members)
    shuffled = {m: dict(reversed(list(s.items()))) for m, s in members}
    assert average_score(shuffled, CODES) == average_score(found, CODES)


@given(sheets)
def test_a12_with_complete_sheets_the_average_is_the_plain_mean_of_every_score(
    found: dict[int, dict[str, int]],
) -> None:
    every = [v for s in found.values() for v in s.values()]
    assert average_score(found, CODES) == Fraction(sum(every), len(every))


@given(sheets, st.integers(min_value=1, max_value=50), st.integers(min_value=1, max_value=DEFAULT_SCALE_MAX))
def test_a12_an_incomplete_sheet_never_changes_the_average(
    found: dict[int, dict[str, int]], member: int, value: int
) -> None:
    before = average_score(found, CODES)
    partial = {**found, 1000 + member: {"c1": value}}
    assert average_score(partial, CODES) == before


@given(panel)
def test_a12_agreeing_members_are_never_outliers(found: dict[int, int]) -> None:
    same = dict.fromkeys(found, 3)
    assert outliers(same) == frozenset()
    found_spread = spread(same.values())
    assert found_spread is None or found_spread.std == 0


@given(panel, st.integers(min_value=0, max_value=5))
def test_a12_outliers_are_within_the_panel_and_shrink_as_the_distance_grows(
    found: dict[int, int], points: int
) -> None:
    flagged = outliers(found, points=points)
    assert flagged <= found.keys()
    assert outliers(found, points=points + 1) <= flagged
    # Nobody is further than the whole scale from anybody: no outlier at that distance.
    assert outliers(found, points=DEFAULT_SCALE_MAX - 1) == frozenset()


@given(panel)
def test_a12_each_outlier_is_more_than_the_distance_from_the_others_mean(found: dict[int, int]) -> None:
    for member in outliers(found):
        others = [v for k, v in found.items() if k != member]
        assert abs(found[member] - Fraction(sum(others), len(others))) > DEFAULT_OUTLIER_POINTS


@given(st.lists(score, min_size=1, max_size=30))
def test_a12_spread_bounds(values: list[int]) -> None:
    found = spread(values)
    assert found is not None
    assert found.low <= found.mean <= found.high and found.count == len(values)
    assert 0 <= found.std <= (found.high - found.low) / 2 + 1e-9
