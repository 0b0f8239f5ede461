"""Cl. 18: what a proposal needs before it is filed, and the member's comment period (rules.md 1.6, 3.6,
A-23, A-24)."""

from datetime import date

import pytest

from portal.rules.calendar import kz_calendar
from portal.rules.exclusion import (
    DEFAULT_COMMENT_WD,
    EVIDENCE_TITLES,
    Caution,
    EvidenceItem,
    Problem,
    cl18_comment_due,
    cl18_evidence_kinds,
    cl18_filing_check,
    cl18_sub_basis,
)
from portal.rules.grounds import EvidenceKind, ExclusionGround

G = ExclusionGround
TERM = (date(2024, 5, 20), date(2026, 5, 20))
TODAY = date(2025, 2, 20)


def check(
    ground: ExclusionGround,
    *evidence: EvidenceItem,
    sub_basis: str = "",
    own: bool = False,
    act_date: date | None = None,
) -> tuple[tuple[Problem, ...], tuple[Caution, ...]]:
    found = cl18_filing_check(
        ground,
        sub_basis=sub_basis,
        evidence=evidence,
        requested_by_member=own,
        act_date=act_date,
        membership_term=TERM,
        today=TODAY,
    )
    assert found.may_file == (not found.problems)
    return found.problems, found.cautions


def test_cl18_every_ground_names_evidence_with_a_title_in_kk_ru_and_en() -> None:
    kinds = cl18_evidence_kinds()
    assert len(kinds) == len(set(kinds)) and {g.evidence for g in G} == set(kinds)
    for kind in kinds:
        title = EVIDENCE_TITLES[kind]
        assert title.kk and title.ru and title.en and title.kk != title.en


@pytest.mark.parametrize("ground", [g for g in G if g != G.AT_OWN_WISH], ids=lambda g: g.clause)
def test_cl18_a_proposal_without_its_grounds_evidence_cannot_be_filed(ground: ExclusionGround) -> None:
    problems, _cautions = check(ground, sub_basis=ground.sub_bases[0].code if ground.sub_bases else "")
    assert Problem.EVIDENCE_MISSING in problems
    # another kind of document is not the ground's evidence
    other = next(k for k in cl18_evidence_kinds() if k != ground.evidence)
    problems, _cautions = check(ground, EvidenceItem(other, date(2025, 1, 5)))
    assert Problem.EVIDENCE_MISSING in problems


def test_a23_cl18_1_the_members_own_request_is_its_own_evidence() -> None:
    assert check(G.AT_OWN_WISH, own=True) == ((), ())
    assert check(G.AT_OWN_WISH) == ((Problem.EVIDENCE_MISSING,), ())
    assert check(G.AT_OWN_WISH, EvidenceItem(EvidenceKind.MEMBER_SIGNED_REQUEST)) == ((), ())


def test_cl18_2_with_the_official_notice_can_be_filed() -> None:
    assert check(G.LOSS_OF_CITIZENSHIP, EvidenceItem(EvidenceKind.OFFICIAL_NOTICE)) == ((), ())


@pytest.mark.parametrize(
    ("ground", "kind"),
    [
        (G.PUBLIC_ORDER_MORALITY_OFFENCE, EvidenceKind.ADMINISTRATIVE_RESOLUTION_IN_FORCE),
        (G.ADMINISTRATIVE_CORRUPTION_OFFENCE, EvidenceKind.ADMINISTRATIVE_RESOLUTION_IN_FORCE),
        (G.LEGAL_INCAPACITY, EvidenceKind.COURT_DECISION_IN_FORCE),
    ],
    ids=["18(6)", "18(7)", "18(10)"],
)
def test_cl18_6_7_10_need_the_date_the_decision_entered_into_force(
    ground: ExclusionGround, kind: EvidenceKind
) -> None:
    assert check(ground, EvidenceItem(kind)) == ((Problem.ENTRY_INTO_FORCE_MISSING,), ())
    assert check(ground, EvidenceItem(kind, date(2025, 3, 1))) == ((Problem.NOT_YET_IN_FORCE,), ())
    assert check(ground, EvidenceItem(kind, date(2025, 2, 1))) == ((), ())


def test_cl18_8_and_11_need_one_of_their_limbs() -> None:
    verdict = EvidenceItem(EvidenceKind.VERDICT_OR_RELEASE_DECISION_IN_FORCE, date(2025, 1, 10))
    problems, _cautions = check(G.CRIME_OR_RELEASE_FROM_LIABILITY, verdict, act_date=date(2024, 9, 1))
    assert problems == (Problem.SUB_BASIS_MISSING,)
    problems, _cautions = check(
        G.CRIME_OR_RELEASE_FROM_LIABILITY, verdict, sub_basis="lc-52-1-9", act_date=date(2024, 9, 1)
    )
    assert problems == (Problem.SUB_BASIS_MISSING,)  # a limb of 18(11) is not one of 18(8)
    order = EvidenceItem(EvidenceKind.DISMISSAL_OR_TERMINATION_ORDER)
    assert check(G.NEGATIVE_GROUNDS_DISMISSAL, order)[0] == (Problem.SUB_BASIS_MISSING,)
    assert check(G.NEGATIVE_GROUNDS_DISMISSAL, order, sub_basis="negative-grounds") == ((), ())
    assert (
        cl18_sub_basis(G.NEGATIVE_GROUNDS_DISMISSAL, "lc-52-1-8") is None
    )  # absence is not cited (R-18(11))


def test_a24_cl18_8_the_act_must_be_dated_and_a_date_outside_the_membership_is_a_warning() -> None:
    verdict = EvidenceItem(EvidenceKind.VERDICT_OR_RELEASE_DECISION_IN_FORCE, date(2025, 1, 10))
    ground, limb = G.CRIME_OR_RELEASE_FROM_LIABILITY, "conviction"
    assert check(ground, verdict, sub_basis=limb) == ((Problem.ACT_DATE_MISSING,), ())
    assert check(ground, verdict, sub_basis=limb, act_date=date(2025, 3, 1)) == (
        (Problem.ACT_DATE_IN_FUTURE,),
        (),
    )
    assert check(ground, verdict, sub_basis=limb, act_date=date(2024, 9, 1)) == ((), ())
    before = check(ground, verdict, sub_basis=limb, act_date=date(2024, 5, 19))
    assert before == ((), (Caution.ACT_OUTSIDE_MEMBERSHIP,))


def test_cl18_4_and_5_warn_that_they_apply_to_civil_servants_only() -> None:
    order = EvidenceItem(EvidenceKind.DISCIPLINARY_ORDER)
    assert check(G.DISCREDITING_DISCIPLINARY_OFFENCE, order) == ((), (Caution.CIVIL_SERVANTS_ONLY,))
    result = EvidenceItem(EvidenceKind.ASSESSMENT_RESULT_AND_ORDER)
    assert check(G.DEMOTION_OR_DISMISSAL_AFTER_ASSESSMENT, result) == ((), (Caution.CIVIL_SERVANTS_ONLY,))


def test_s0_2_an_unverified_cited_text_is_flagged() -> None:
    order = EvidenceItem(EvidenceKind.DISMISSAL_OR_TERMINATION_ORDER)
    assert check(G.NEGATIVE_GROUNDS_DISMISSAL, order, sub_basis="lc-52-1-12")[1] == (
        Caution.TEXT_UNCONFIRMED,
    )
    assert check(G.NEGATIVE_GROUNDS_DISMISSAL, order, sub_basis="lc-52-1-9")[1] == ()
    verdict = EvidenceItem(EvidenceKind.VERDICT_OR_RELEASE_DECISION_IN_FORCE, date(2025, 1, 10))
    cpc_36 = check(G.CRIME_OR_RELEASE_FROM_LIABILITY, verdict, sub_basis="cpc-36", act_date=date(2024, 9, 1))
    assert cpc_36 == ((), (Caution.TEXT_UNCONFIRMED,))


def test_s3_6_the_member_comments_within_ten_working_days_by_default() -> None:
    calendar = kz_calendar([2025])
    assert DEFAULT_COMMENT_WD == 10
    assert cl18_comment_due(date(2025, 2, 20), calendar) == date(2025, 3, 6)
    # Nauryz (21-25 March 2025 with the weekend days carried over) is not counted
    assert cl18_comment_due(date(2025, 3, 18), calendar) == date(2025, 4, 4)
    assert cl18_comment_due(date(2025, 3, 18), calendar, comment_wd=3) == date(2025, 3, 26)
    with pytest.raises(ValueError, match="at least 1 working day"):
        cl18_comment_due(date(2025, 3, 18), calendar, comment_wd=0)
