"""Who advances after a stage (cl. 10; rules.md A-08, A-09, A-13, A-40)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.rules.ranking import Ranking, advance, advance_per_direction


def scores(*values: int | None) -> dict[str, Decimal | None]:
    return {f"c{i}": None if v is None else Decimal(v) for i, v in enumerate(values)}


def test_cl10_ties_at_cut_all_advance() -> None:
    r = advance(scores(90, 85, 85, 80), 2)
    assert r.advanced == ("c0", "c1", "c2")
    assert r.not_advanced == ("c3",)
    assert r.tied_at_cut == ("c1", "c2")
    assert r.cut_score == Decimal(85)


def test_cl10_no_tie_exactly_n_advance() -> None:
    r = advance(scores(90, 85, 80), 2)
    assert r.advanced == ("c0", "c1")
    assert r.tied_at_cut == ()
    assert r.cut_score == Decimal(85)


def test_cl10_tie_inside_the_limit_is_not_a_tie_at_the_cut() -> None:
    r = advance(scores(90, 90, 80), 2)
    assert r.advanced == ("c0", "c1")
    assert r.tied_at_cut == ()


def test_cl10_ties_keep_the_same_rank() -> None:
    r = advance(scores(90, 85, 85, 80), 2)
    assert dict(r.ranks) == {"c0": 1, "c1": 2, "c2": 2, "c3": 4}


def test_cl10_highest_results_advance_whatever_the_input_order() -> None:
    r = advance(scores(70, 95, 80, 60, 99), 3)
    assert r.advanced == ("c4", "c1", "c2")
    assert r.not_advanced == ("c0", "c3")


def test_a08_ties_never_broken_by_input_order_or_alphabet() -> None:
    r = advance({"zeta": Decimal(80), "alpha": Decimal(80), "mid": Decimal(90)}, 2, include_ties=False)
    assert r.advanced == ("mid",)
    assert r.pending_tie_break == ("zeta", "alpha")  # input order kept, not alphabetical
    assert r.seats_for_tie_break == 1
    assert set(r.pending_tie_break) <= set(r.not_advanced)


def test_a08_without_ties_the_commission_breaks_the_tie_with_a_second_call() -> None:
    first = advance(scores(90, 85, 85, 85, 80), 3, include_ties=False)
    assert first.advanced == ("c0",)
    assert first.pending_tie_break == ("c1", "c2", "c3")
    assert first.seats_for_tie_break == 2
    sub = {"c1": Decimal("7.5"), "c2": Decimal("9.0"), "c3": Decimal("8.0")}
    second = advance(
        {k: sub[k] for k in first.pending_tie_break}, first.seats_for_tie_break, include_ties=False
    )
    assert second.advanced == ("c2", "c3")
    assert len(first.advanced) + len(second.advanced) == 3


def test_a13_absent_rank_below_every_score_and_never_advance() -> None:
    r = advance(scores(None, 50, None, 10), 5)
    assert r.advanced == ("c1", "c3")
    assert r.not_advanced == ("c0", "c2")
    assert r.absent == ("c0", "c2")
    assert "c0" not in r.ranks


def test_a13_everybody_absent_nobody_advances() -> None:
    r = advance(scores(None, None), 1)
    assert r.advanced == ()
    assert r.cut_score is None


def test_a40_min_score_also_applies() -> None:
    r = advance(scores(90, 70, 60, 50), 3, min_score=Decimal(65))
    assert r.advanced == ("c0", "c1")
    assert r.below_min_score == ("c2", "c3")
    assert r.cut_score == Decimal(70)


def test_a40_min_score_does_not_cut_a_tie_above_it() -> None:
    r = advance(scores(90, 70, 70, 50), 2, min_score=Decimal(60))
    assert r.advanced == ("c0", "c1", "c2")


def test_cl10_limit_zero_nobody_and_negative_refused() -> None:
    assert advance(scores(90), 0).advanced == ()
    with pytest.raises(ValueError, match="negative"):
        advance(scores(90), -1)


def test_cl10_nan_score_refused() -> None:
    with pytest.raises(ValueError, match="NaN"):
        advance({"a": Decimal("NaN")}, 1)


def test_cl10_empty_stage() -> None:
    r: Ranking[str] = advance({}, 3)
    assert (r.advanced, r.not_advanced, r.cut_score) == ((), (), None)


def test_a09_per_direction_is_the_same_call_per_direction() -> None:
    s = scores(90, 80, 70, 95, 60)
    directions = {"c0": "health", "c1": "health", "c2": "health", "c3": "digital", "c4": "digital"}
    result = advance_per_direction(s, directions, {"health": 2, "digital": 1, "energy": 1})
    assert result["health"].advanced == ("c0", "c1")
    assert result["digital"].advanced == ("c3",)
    assert result["energy"].advanced == ()
    assert result["health"] == advance({k: s[k] for k in ("c0", "c1", "c2")}, 2)


def test_a09_candidate_without_a_direction_or_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        advance_per_direction(scores(90), {}, {"health": 1})
    with pytest.raises(ValueError, match="no limit"):
        advance_per_direction(scores(90), {"c0": "energy"}, {"health": 1})


# --- properties ----------------------------------------------------------------------------------

score_maps = st.dictionaries(
    keys=st.integers(min_value=0, max_value=10_000),
    values=st.one_of(st.none(), st.integers(min_value=0, max_value=20).map(Decimal)),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(s=score_maps, limit=st.integers(min_value=0, max_value=45), include_ties=st.booleans())
def test_cl10_nobody_with_a_better_score_is_left_behind(
    s: dict[int, Decimal | None], limit: int, include_ties: bool
) -> None:
    r = advance(s, limit, include_ties=include_ties)
    advanced = set(r.advanced)
    assert advanced.isdisjoint(r.not_advanced)
    assert advanced | set(r.not_advanced) == set(s)
    for winner in r.advanced:
        winner_score = s[winner]
        assert winner_score is not None
        for loser in r.not_advanced:
            loser_score = s[loser]
            assert loser_score is None or loser_score <= winner_score


@settings(max_examples=300, deadline=None)
@given(s=score_maps, limit=st.integers(min_value=0, max_value=45))
def test_cl10_advanced_count_never_below_min_of_limit_and_present(
    s: dict[int, Decimal | None], limit: int
) -> None:
    r = advance(s, limit)
    present = sum(1 for v in s.values() if v is not None)
    assert len(r.advanced) >= min(limit, present)
    # More than the limit only through a tie at the cut (cl. 10 para 3).
    if len(r.advanced) > limit:
        assert r.tied_at_cut
        assert all(s[k] == r.cut_score for k in r.advanced[limit - 1 :])


@settings(max_examples=200, deadline=None)
@given(s=score_maps, limit=st.integers(min_value=1, max_value=45))
def test_a08_without_ties_advanced_plus_seats_is_min_of_limit_and_present(
    s: dict[int, Decimal | None], limit: int
) -> None:
    r = advance(s, limit, include_ties=False)
    present = sum(1 for v in s.values() if v is not None)
    assert len(r.advanced) + r.seats_for_tie_break == min(limit, present)
    assert len(r.advanced) <= limit
    assert r.seats_for_tie_break < len(r.pending_tie_break) or not r.pending_tie_break


@settings(max_examples=200, deadline=None)
@given(
    s=score_maps, limit=st.integers(min_value=0, max_value=45), floor=st.integers(min_value=0, max_value=20)
)
def test_a40_nobody_below_min_score_advances(s: dict[int, Decimal | None], limit: int, floor: int) -> None:
    r = advance(s, limit, min_score=Decimal(floor))
    assert all((v := s[k]) is not None and v >= floor for k in r.advanced)
    qualifying = sum(1 for v in s.values() if v is not None and v >= floor)
    assert len(r.advanced) >= min(limit, qualifying)
