"""The decisions of portal.commission.scoring that need no database (cl. 6(4), 12; rules.md A-12, A-13)."""

import uuid
from fractions import Fraction

import pytest

from portal.applications.models import Application, ApplicationStatus
from portal.commission import scoring
from portal.commission.models import AgendaItem, ItemKind, ItemOutcome, ItemStatus, Recusal
from portal.i18n import set_language
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import InterviewRubric

RUBRIC = scoring.Rubric(
    (
        scoring.Competency("c1", {"kk": "Көшбасшылық", "ru": "Лидерство", "en": "Leadership"}),
        scoring.Competency("c2", {"kk": "Коммуникация", "ru": "Коммуникация"}),
    )
)
A, B, C, D = (uuid.UUID(int=n) for n in range(1, 5))


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def _selection(status: SelectionStatus = SelectionStatus.INTERVIEW, quota: int = 2) -> Selection:
    return Selection(tenant_id="KZ-71", reference="T-1", cycle_year=2025, status=status, quota=quota)


def _application(status: ApplicationStatus = ApplicationStatus.IN_INTERVIEW, name: str = "A") -> Application:
    return Application(
        id=uuid.uuid4(), tenant_id="KZ-71", selection_id=uuid.uuid4(), candidate_iin="900515301234",
        candidate_name=name, reference=f"KZ-71-2025-{name}", status=status,
    )  # fmt: skip


def _item(status: ItemStatus, outcome: ItemOutcome | None = None) -> AgendaItem:
    return AgendaItem(
        tenant_id="KZ-71", meeting_id=uuid.uuid4(), position=1, kind=ItemKind.ENROLMENT, clause="12",
        status=status, outcome=outcome,
    )  # fmt: skip


def test_cl6_4_a_sheet_scores_every_competency_of_the_rubric() -> None:
    form, scores = scoring.read_sheet({"score-c1": "5", "score-c2": "1", "score-x": "9"}, RUBRIC)
    assert form.valid and scores == {"c1": 5, "c2": 1}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score-c1": "5"}, "Give a score for this competency."),
        ({"score-c1": "5", "score-c2": "6"}, "Give a score from 1 to 5."),
        ({"score-c1": "5", "score-c2": "0"}, "Give a score from 1 to 5."),
        ({"score-c1": "5", "score-c2": "-1"}, "Give a score from 1 to 5."),
        ({"score-c1": "5", "score-c2": "x"}, "Give a score from 1 to 5."),
    ],
)
def test_cl6_4_a_missing_or_off_scale_score_is_an_error_on_its_field(
    data: dict[str, str], message: str
) -> None:
    form, scores = scoring.read_sheet(data, RUBRIC)
    assert scores is None and form.errors == {"score-c2": message}
    assert form.get("score-c1") == "5"  # kept for the re-rendered form


def test_cl6_4_a_selection_without_rubric_cannot_be_scored() -> None:
    form, scores = scoring.read_sheet({}, scoring.Rubric(()))
    assert scores is None and "rubric" in form.errors


def test_a12_the_rubric_of_the_selection_with_its_scale() -> None:
    row = InterviewRubric(
        selection_id=uuid.uuid4(), tenant_id="KZ-71", scale_max=7,
        competencies=[{"code": "c1", "kk": "Бір", "ru": "Один"}, {"kk": "no code"}],
    )  # fmt: skip
    rubric = scoring.rubric_from(row)
    assert rubric.codes == ("c1",) and list(rubric.scale) == [1, 2, 3, 4, 5, 6, 7]
    assert rubric.competencies[0].name("en") == "Бір" and rubric.competencies[0].name("ru") == "Один"
    assert scoring.rubric_from(None) == scoring.Rubric(())


def test_cl6_4_scores_change_until_the_candidate_is_put_to_the_vote() -> None:
    selection, application = _selection(), _application()
    assert scoring.lock_reason(selection, application, []) is None
    assert scoring.lock_reason(selection, application, [_item(ItemStatus.PENDING)]) is None
    # Nothing decided without quorum: the candidate comes back and may be rescored.
    assert (
        scoring.lock_reason(selection, application, [_item(ItemStatus.CLOSED, ItemOutcome.NO_QUORUM)]) is None
    )
    assert "is voting on this candidate" in (
        scoring.lock_reason(selection, application, [_item(ItemStatus.OPEN)]) or ""
    )
    decided = scoring.lock_reason(selection, application, [_item(ItemStatus.CLOSED, ItemOutcome.REJECTED)])
    assert decided == "The commission has decided on this candidate: the scores are fixed."
    enrolled = _application(ApplicationStatus.ENROLLED)
    assert scoring.lock_reason(selection, enrolled, []) == decided


def test_cl6_4_scores_are_given_at_the_interview_stage_only() -> None:
    for status in (SelectionStatus.VETTING, SelectionStatus.CONSIDERATION, SelectionStatus.COMPLETED):
        reason = scoring.lock_reason(_selection(status), _application(), [])
        assert reason == "Scores can be given while the selection is at the interview stage."


def test_a12_a_recused_members_sheet_and_retired_competencies_do_not_count() -> None:
    sheets = {A: {"c1": 5, "c2": 5, "old": 1}, B: {"c1": 1, "c2": 1}}
    assert scoring.counted(sheets, {B}, RUBRIC) == {A: {"c1": 5, "c2": 5}}


def test_a12_standing_may_score_unless_recused_or_locked() -> None:
    recusal = Recusal(tenant_id="KZ-71", member_id=A, reason="cousin", recorded_by=A)
    assert scoring.Standing({}, None, None).may_score
    assert not scoring.Standing({}, recusal, None).may_score
    assert not scoring.Standing({}, None, "locked").may_score
    assert scoring.Standing({"c1": 1, "c2": 2}, None, None).complete(RUBRIC)
    assert not scoring.Standing({"c1": 1}, None, None).complete(RUBRIC)


def _candidate(name: str) -> scoring.Candidate:
    return scoring.Candidate(_application(name=name), f"C-{name}")


def test_a12_calibration_flags_the_outlier_and_averages_complete_sheets() -> None:
    sheets = {A: {"c1": 5, "c2": 4}, B: {"c1": 5, "c2": 4}, C: {"c1": 1, "c2": 4}, D: {"c1": 3}}
    names = {A: "Aliya", B: "Berik", C: "Saule", D: "Yerlan"}
    cal = scoring.calibrate(_candidate("X"), RUBRIC, sheets, names, points=2)
    c1, c2 = cal.rows
    assert c1.spread is not None and (c1.spread.count, c1.spread.low, c1.spread.high) == (4, 1, 5)
    assert [o.name for o in c1.outliers] == ["Saule"] and c2.outliers == ()
    assert cal.flagged == 1 and cal.sheets == 4 and cal.complete == 3
    assert cal.average == Fraction(23, 6)  # (4.5 + 4.5 + 2.5) / 3; Yerlan's half sheet does not count
    assert dict(cal.member_means) == {
        "Aliya": Fraction(9, 2),
        "Berik": Fraction(9, 2),
        "Saule": Fraction(5, 2),
    }
    stricter = scoring.calibrate(_candidate("X"), RUBRIC, sheets, names, points=Fraction(1, 2))
    assert len(stricter.rows[0].outliers) > 1


def test_a12_recommendation_ranks_by_averaged_score_ties_share_a_rank_unscored_last() -> None:
    full = {A: {"c1": 4, "c2": 4}}
    cals = [
        scoring.calibrate(_candidate("low"), RUBRIC, {A: {"c1": 2, "c2": 2}}, {}, points=2),
        scoring.calibrate(_candidate("none"), RUBRIC, {}, {}, points=2),
        scoring.calibrate(_candidate("top1"), RUBRIC, full, {}, points=2),
        scoring.calibrate(_candidate("top2"), RUBRIC, full, {}, points=2),
    ]
    ranked = scoring.rank(cals, quota=1)
    assert [r.candidate_name for r in ranked] == ["top1", "top2", "low", "none"]
    assert [r.rank for r in ranked] == [1, 1, 3, None]
    # The quota is 1, but both tied with the last place are within it (rules.md A-08).
    assert [r.within_quota for r in ranked] == [True, True, False, False]
    assert ranked[0].average == 4 and ranked[-1].average is None and ranked[-1].sheets == 0
