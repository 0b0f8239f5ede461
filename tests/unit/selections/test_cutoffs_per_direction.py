"""The cut-off per sector direction (cl. 10; rules.md A-09): each direction with its own number,
ties at the cut within one direction, a stable snapshot hash, and the refusal to fix while a
candidate has no direction (or no number). The database-free parts of portal.selections.cutoffs."""

import asyncio
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from portal.i18n import set_language
from portal.rules.ranking import Ranking, advance
from portal.selections import cutoffs
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection, SelectionStatus
from portal.selections.results_import import ResultStage
from portal.selections.stage_controllers import _cut_parameters
from tests.unit.selections.fixtures_results import candidates

ECONOMY = cutoffs.Direction("economy_finance", {"kk": "Экономика", "ru": "Экономика", "en": "Economy"}, 2)
SOCIAL = cutoffs.Direction("social_sphere", {"kk": "Әлеумет", "ru": "Социальная", "en": "Social"}, 1)
DIRECTIONS = (ECONOMY, SOCIAL)
PEOPLE = candidates(8)
A, B, C, D, E, F, G, H = (c.application_id for c in PEOPLE)
SCORES: dict[uuid.UUID, Decimal | None] = {
    A: Decimal(90),
    B: Decimal(80),
    C: Decimal(80),
    D: Decimal(70),
    E: Decimal(85),
    F: Decimal(60),
    G: None,  # absent
}
OF: dict[uuid.UUID, str | None] = {A: ECONOMY.code, B: ECONOMY.code, C: ECONOMY.code, D: ECONOMY.code}
OF |= {E: SOCIAL.code, F: SOCIAL.code, G: SOCIAL.code}


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def _simulate(
    limits: Mapping[str, int | None] | None = None,
    *,
    scores: dict[uuid.UUID, Decimal | None] = SCORES,
    of: Mapping[uuid.UUID, str | None] = OF,
    include_ties: bool = True,
) -> cutoffs.Simulation:
    cut = cutoffs.Cut(0, None, include_ties, limits or {ECONOMY.code: 2, SOCIAL.code: 1})
    references = {c.application_id: c.reference for c in PEOPLE}
    return cutoffs.rank(scores, cut, directions=DIRECTIONS, candidate_directions=of, references=references)


def _by_code(simulation: cutoffs.Simulation) -> dict[str, cutoffs.DirectionRanking]:
    return {d.direction.code: d for d in simulation.directions}


def _ranking(simulation: cutoffs.Simulation, direction: cutoffs.Direction) -> Ranking[uuid.UUID]:
    ranking = _by_code(simulation)[direction.code].ranking
    assert ranking is not None
    return ranking


def test_cl10_a09_per_direction_mode_only_when_a_direction_has_a_quota() -> None:
    assert cutoffs.per_direction(DIRECTIONS)
    assert not cutoffs.per_direction((cutoffs.Direction("x", {}, None), cutoffs.Direction("y", {}, None)))
    assert not cutoffs.per_direction(())


def test_cl10_a08_a09_a_tie_at_the_cut_inside_one_direction_advances_together() -> None:
    simulation = _simulate()
    economy, social = _ranking(simulation, ECONOMY), _ranking(simulation, SOCIAL)
    assert economy.advanced == (A, B, C)  # B and C share the 2nd place: both advance
    assert set(economy.tied_at_cut) == {B, C} and economy.cut_score == Decimal(80)
    assert social.advanced == (E,) and not social.tied_at_cut
    assert simulation.advanced == {A, B, C, E}
    assert simulation.cut.total == 3  # 2 + 1: what CutOff.advance_count keeps

    strict = _ranking(_simulate(include_ties=False), ECONOMY)
    assert strict.advanced == (A,) and strict.pending_tie_break == (B, C)


def test_cl10_a09_directions_are_cut_independently() -> None:
    base = _simulate()
    wider = _simulate({ECONOMY.code: 4, SOCIAL.code: 1})
    assert _ranking(wider, SOCIAL) == _ranking(base, SOCIAL)
    assert _ranking(wider, ECONOMY).advanced == (A, B, C, D)
    # The 85 of the social direction does not push anyone out of the economy direction, nor
    # does a higher economy score take the social direction's place.
    closed = _simulate({ECONOMY.code: 0, SOCIAL.code: 2})
    assert _ranking(closed, ECONOMY).advanced == ()
    assert _ranking(closed, SOCIAL).advanced == (E, F)


def test_cl10_a27_each_candidate_learns_their_rank_within_their_own_direction() -> None:
    simulation = _simulate()
    assert simulation.place_of(A) == (1, ECONOMY)
    assert simulation.place_of(C) == (2, ECONOMY)
    assert simulation.place_of(D) == (4, ECONOMY)
    assert simulation.place_of(E) == (1, SOCIAL)  # first in the social direction, not 2nd overall
    assert simulation.place_of(F) == (2, SOCIAL)
    assert simulation.place_of(G) == (None, SOCIAL)  # absent: no place


def test_cl10_without_direction_quotas_the_whole_selection_is_ranked_as_before() -> None:
    overall = cutoffs.rank(SCORES, cutoffs.Cut(3), candidate_directions=OF)
    assert not overall.per_direction and overall.directions == ()
    assert overall.ranking == advance(SCORES, 3)
    assert overall.advanced == {A, E, B, C}  # the 80s tie at the 3rd place overall
    assert overall.place_of(E) == (2, None)
    data, _ = cutoffs.snapshot(overall)
    assert set(data) == {"advanced", "not_advanced", "tied_at_cut", "cut_score", "ranks", "scores"}


def test_cl10_a09_the_snapshot_holds_every_direction_and_its_hash_is_stable() -> None:
    data, digest = cutoffs.snapshot(_simulate())
    directions = cast(dict[str, dict[str, object]], data["directions"])
    assert set(directions) == {ECONOMY.code, SOCIAL.code}
    assert directions[ECONOMY.code]["limit"] == 2 and directions[SOCIAL.code]["limit"] == 1
    assert directions[ECONOMY.code]["advanced"] == [str(A), str(B), str(C)]
    assert directions[SOCIAL.code]["ranks"] == {str(E): 1, str(F): 2}
    assert data["advance_total"] == 3 and len(digest) == 64
    # The same ranking reached from inputs in another order hashes the same...
    reordered = dict(reversed(list(SCORES.items())))
    assert cutoffs.snapshot(_simulate(scores=reordered))[1] == digest
    assert cutoffs.snapshot(_simulate({SOCIAL.code: 1, ECONOMY.code: 2}))[1] == digest
    # ...and any other number or score changes it.
    assert cutoffs.snapshot(_simulate({ECONOMY.code: 3, SOCIAL.code: 1}))[1] != digest
    assert cutoffs.snapshot(_simulate(scores=SCORES | {F: Decimal("60.5")}))[1] != digest


def test_cl10_a09_a_candidate_without_a_direction_is_listed_and_the_fix_is_refused() -> None:
    simulation = _simulate(scores=SCORES | {H: Decimal(99)})  # H has no direction
    assert simulation.unplaced == {H: None}
    assert H not in simulation.advanced  # never ranked anywhere, no crash
    with pytest.raises(TransitionRefused) as refused:
        cutoffs.check_ranked(simulation)
    assert refused.value.message == (
        "1 candidate has no sector direction or no number to advance in their direction: "
        "every candidate is ranked within their own direction (clause 10)."
    )


def test_cl10_a09_a_direction_without_a_number_leaves_its_candidates_unranked() -> None:
    simulation = _simulate({ECONOMY.code: 2, SOCIAL.code: None})
    assert simulation.unplaced == {E: SOCIAL.code, F: SOCIAL.code, G: SOCIAL.code}
    assert _by_code(simulation)[SOCIAL.code].ranking is None
    assert simulation.cut.total == 2
    with pytest.raises(TransitionRefused, match="3 candidates have no sector direction"):
        cutoffs.check_ranked(simulation)


def test_cl10_a09_fix_refuses_before_recording_anything() -> None:
    selection = Selection(
        tenant_id="KZ-71",
        reference="KZ-71-2025-01",
        cycle_year=2025,
        status=SelectionStatus.TESTING,
        quota=3,
        contact_email="tu@example.kz",
        intake_start=date(2025, 1, 6),
        intake_end=date(2025, 2, 4),
    )
    simulation = _simulate(scores=SCORES | {H: Decimal(50)})
    untouchable = cast(AsyncSession, object())  # any use of the session would fail
    mail = cutoffs.Mail("Region", "Selection", "http://127.0.0.1", {})
    with pytest.raises(TransitionRefused, match="ranked within their own direction"):
        asyncio.run(
            cutoffs.fix(
                untouchable,
                selection,
                ResultStage.TESTING,
                simulation,
                protocol="No. 3",
                actor=uuid.uuid4(),
                mail=mail,
                now=datetime(2025, 4, 10, tzinfo=UTC),
            )
        )


def test_cl10_a09_the_numbers_default_to_the_quotas_and_bad_ones_are_reported() -> None:
    cut, form = _cut_parameters({}, DIRECTIONS, include_ties=True)
    assert cut.limits == {ECONOMY.code: 2, SOCIAL.code: 1} and form.valid
    cut, form = _cut_parameters(
        {"advance_economy_finance": "5", "min_score": "55,5"}, DIRECTIONS, include_ties=False
    )
    assert cut.limits == {ECONOMY.code: 5, SOCIAL.code: 1} and cut.min_score == Decimal("55.5")
    assert not cut.include_ties and form.valid
    cut, form = _cut_parameters(
        {"advance_economy_finance": "-1", "advance_social_sphere": "two", "min_score": "NaN"},
        DIRECTIONS,
        include_ties=True,
    )
    assert cut.limits == {ECONOMY.code: 2, SOCIAL.code: 1} and cut.min_score is None  # the defaults
    assert form.errors == {
        "advance_economy_finance": "Enter a whole number of places, 0 or more.",
        "advance_social_sphere": "Enter a whole number of places, 0 or more.",
        "min_score": "Enter a number for the minimum score, for example 60 or 60.5.",
    }
    overall, form = _cut_parameters({"advance": "7"}, (), include_ties=True)
    assert overall.limits == {} and overall.advance == 7 and overall.total == 7 and form.valid
