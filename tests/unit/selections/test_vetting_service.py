"""The decisions of portal.selections.vetting that need no database (cl. 11, 13(3), A-RC-4(1))."""

import uuid
from datetime import date

import pytest

from portal.applications.models import Application, ApplicationStatus
from portal.i18n import set_language
from portal.rules.vetting import CHECK_ITEMS, Conclusion
from portal.selections import vetting
from portal.selections.stage_models import ProposalDecision, RemovalProposal, VettingCheck, VettingStatus

TODAY = date(2025, 2, 20)
CODES = [item.code for item in CHECK_ITEMS]


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def _check(code: str, status: VettingStatus = VettingStatus.PENDING, **values: object) -> VettingCheck:
    return VettingCheck(
        id=uuid.uuid4(), tenant_id="KZ-71", application_id=uuid.uuid4(), item=code, status=status, **values
    )


def _application(name: str = "A", reference: str = "KZ-71-2025-000001") -> Application:
    return Application(
        tenant_id="KZ-71",
        selection_id=uuid.uuid4(),
        candidate_iin="900515301234",
        candidate_name=name,
        reference=reference,
        status=ApplicationStatus.IN_VETTING,
    )


def test_cl11_the_checklist_lists_every_art_16_3_item_and_unrecorded_ones_are_pending() -> None:
    lines = vetting._lines({}, {}, today=TODAY, reply_wd=10)
    assert [line.item.code for line in lines] == CODES
    assert {line.status for line in lines} == {VettingStatus.PENDING}
    assert not any(line.overdue for line in lines)
    assert lines[3].authority("ru") == CHECK_ITEMS[3].authority.ru  # the usual body by default


def test_a_rc_4_1_a_request_without_reply_after_ten_working_days_is_overdue() -> None:
    checks = {
        "health": _check("health", requested_on=date(2025, 2, 3)),  # due 2025-02-17
        "criminal_record": _check("criminal_record", requested_on=date(2025, 2, 3), reply_reference="No. 5"),
        "incapacity": _check("incapacity", requested_on=date(2025, 2, 14), authority="Суд"),  # due 02-28
    }
    lines = {line.item.code: line for line in vetting._lines(checks, {}, today=TODAY, reply_wd=10)}
    assert lines["health"].overdue and lines["health"].due == date(2025, 2, 17)
    assert not lines["criminal_record"].overdue  # replied
    assert not lines["incapacity"].overdue and lines["incapacity"].authority("kk") == "Суд"


def test_cl11_conclusion_from_recorded_checks() -> None:
    assert vetting.conclusion_of({}) == Conclusion.PENDING
    clear = {code: _check(code, VettingStatus.CLEAR) for code in CODES}
    assert vetting.conclusion_of(clear) == Conclusion.CLEARED
    clear["corruption_crime"] = _check("corruption_crime", VettingStatus.ADVERSE)
    assert vetting.conclusion_of(clear) == Conclusion.NON_COMPLIANT


def test_cl13_3_the_removal_reason_names_the_ground_and_the_findings_in_each_language() -> None:
    reason = vetting.removal_reason(["criminal_record"])
    assert set(reason) == {"kk", "ru", "en"}
    assert reason["ru"].startswith("Несоответствие кандидата требованиям пункта 3 статьи 16")
    assert "непогашенная" in reason["ru"]
    assert reason["en"].startswith("The candidate's non-compliance with art. 16 para. 3")
    assert (
        vetting.removal_reason([])["en"]
        == "The candidate's non-compliance with art. 16 para. 3 of the Law on Civil Service"
    )


def test_rules_3_1_vetting_closes_only_without_pending_checks_or_waiting_proposals() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert vetting.blockers_of(vetting.State({a: Conclusion.CLEARED}, 0)) == []
    found = vetting.blockers_of(
        vetting.State({a: Conclusion.PENDING, b: Conclusion.NON_COMPLIANT, c: Conclusion.CLEARED}, 1)
    )
    assert found == [
        "1 candidate still has checks pending (clause 11).",
        "1 removal proposal waits for the commission's decision (clause 13(3)).",
    ]
    orphan = vetting.blockers_of(vetting.State({b: Conclusion.NON_COMPLIANT}, 0))
    assert orphan == ["1 non-compliant candidate has no removal proposal."]


def test_the_list_sorts_by_reference_name_or_conclusion_attention_first() -> None:
    def row(name: str, reference: str, conclusion: Conclusion) -> vetting.Row:
        return vetting.Row(_application(name, reference), conclusion, (), 0, 0, None)

    rows = [
        row("Бекова", "KZ-71-2025-000002", Conclusion.CLEARED),
        row("Әлиев", "KZ-71-2025-000003", Conclusion.NON_COMPLIANT),
        row("Ахметов", "KZ-71-2025-000001", Conclusion.PENDING),
    ]
    by = {
        sort: [r.application.reference[-1] for r in sorted(rows, key=lambda r: vetting._sort_key(sort, r))]
        for sort in vetting.Sort
    }
    assert by[vetting.Sort.REFERENCE] == ["1", "2", "3"]
    assert by[vetting.Sort.CONCLUSION] == ["3", "1", "2"]
    assert by[vetting.Sort.NAME] == ["1", "2", "3"]  # А, Б, Ә: the Cyrillic block order


def test_a16_a_waiting_proposal_freezes_the_checklist() -> None:
    application = _application()
    proposal = RemovalProposal(
        tenant_id="KZ-71",
        application_id=application.id,
        ground="13.3",
        items=["criminal_record"],
        proposed_by=uuid.uuid4(),
    )
    lines = vetting._lines({}, {}, today=TODAY, reply_wd=10)
    assert vetting.Checklist(application, lines, Conclusion.PENDING, ()).editable
    frozen = vetting.Checklist(application, lines, Conclusion.NON_COMPLIANT, (proposal,))
    assert frozen.open_proposal is proposal and not frozen.editable
    proposal.decision = ProposalDecision.REJECTED
    assert frozen.open_proposal is None and frozen.editable
    application.status = ApplicationStatus.REMOVED
    assert not frozen.editable
