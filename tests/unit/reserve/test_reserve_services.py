"""The reserve's services without a database: forms, readiness for the agenda, export cells, notices, and
who monitors (issue 8; rules.md 2.2, 3.6, 5.11, A-RC-12)."""

import uuid
from datetime import UTC, date, datetime

import pytest

from portal.auth.policies import ROLE_PERMISSIONS, Permission
from portal.auth.roles import Role
from portal.core.errors import PageError
from portal.reserve.exclusion_models import ExclusionCase, ExclusionStatus
from portal.reserve.exclusions import is_ready
from portal.reserve.forms import read_case, read_evidence, read_filters
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.reserve.monitoring import Labels, cells, safe_text
from portal.reserve.notices import localized
from portal.reserve.queries import MemberRow, Sort, StatusFilter
from portal.rules.grounds import EvidenceKind, ExclusionGround, Titles

TODAY = date(2025, 2, 20)


def test_s2_2_the_monitoring_is_read_by_all_reserve_readers_but_the_appointing_official() -> None:
    monitors = {
        role for role, permissions in ROLE_PERMISSIONS.items() if Permission.MONITOR_RESERVE in permissions
    }
    browsers = {
        role for role, permissions in ROLE_PERMISSIONS.items() if Permission.BROWSE_RESERVE in permissions
    }
    assert monitors == browsers - {Role.APPOINTING_OFFICIAL}
    openers = {
        role for role, permissions in ROLE_PERMISSIONS.items() if Permission.OPEN_EXCLUSION in permissions
    }
    assert openers == {Role.TU_OFFICER, Role.TU_HEAD}  # cl. 18: the territorial unit only


def test_s3_3_list_filters_are_read_strictly() -> None:
    known = {"economy_finance": object()}
    chosen = read_filters(
        direction="economy_finance",
        status="under_review",
        ending_within="90",
        sort="-ends_on",
        page="2",
        known_directions=known,
    )
    assert (chosen.direction, chosen.status, chosen.ending_within) == (
        "economy_finance",
        StatusFilter.UNDER_REVIEW,
        90,
    )
    assert (chosen.sort, chosen.descending, chosen.page) == (Sort.ENDS_ON, True, 2)
    default = read_filters(
        direction=None, status=None, ending_within=None, sort=None, page=None, known_directions={}
    )
    assert (default.status, default.sort, default.descending, default.page) == (
        StatusFilter.ACTIVE,
        Sort.NAME,
        False,
        1,
    )
    for bad in (
        {"direction": "nowhere"},
        {"ending_within": "3651"},
        {"sort": "iin"},
        {"page": "0"},
        {"status": "x"},
    ):
        values = {"direction": None, "status": None, "ending_within": None, "sort": None, "page": None} | bad
        with pytest.raises(PageError):
            read_filters(**values, known_directions=known)


def test_cl18_the_case_form_asks_for_a_limb_only_where_the_ground_has_them() -> None:
    form, fields = read_case({"ground": "18.4", "summary": "Order", "sub_basis": "conviction"}, TODAY)
    assert (
        form.valid
        and fields is not None
        and fields.ground == ExclusionGround.DISCREDITING_DISCIPLINARY_OFFENCE
    )
    assert fields.sub_basis == ""  # 18(4) has no limbs: whatever was sent is dropped
    form, fields = read_case({"ground": "18.11", "summary": "Order"}, TODAY)
    assert fields is None and "sub_basis" in form.errors
    form, fields = read_case({"ground": "18.11", "summary": "Order", "sub_basis": "lc-52-1-15"}, TODAY)
    assert fields is not None and fields.sub_basis == "lc-52-1-15"
    form, fields = read_case({"ground": "18.12", "summary": "x", "act_date": "2030-01-01"}, TODAY)
    assert fields is None and {"ground", "act_date"} <= form.errors.keys()


def test_cl18_evidence_is_one_of_the_cl18_kinds_and_in_force_after_its_date() -> None:
    form, fields = read_evidence({"kind": "court_decision_in_force", "document_date": "2025-01-05"}, TODAY)
    assert fields is not None and fields.kind == EvidenceKind.COURT_DECISION_IN_FORCE
    form, fields = read_evidence({"kind": "document_review"}, TODAY)  # a cl. 13 kind
    assert fields is None and "kind" in form.errors
    form, fields = read_evidence(
        {"kind": "court_decision_in_force", "document_date": "2025-01-05", "in_force_on": "2025-01-01"}, TODAY
    )
    assert fields is None and "in_force_on" in form.errors


def _case(status: ExclusionStatus, due: date | None = None) -> ExclusionCase:
    return ExclusionCase(
        tenant_id="KZ-71",
        membership_id=uuid.uuid4(),
        ground="18.2",
        clause="18(2)",
        status=status,
        created_by=uuid.uuid4(),
        comment_due_on=due,
    )


def test_s3_6_a_case_is_ready_for_the_agenda_once_the_member_could_comment() -> None:
    assert is_ready(_case(ExclusionStatus.OPEN))
    waiting = _case(ExclusionStatus.AWAITING_COMMENT, date(2025, 3, 6))
    assert not is_ready(waiting) and not is_ready(waiting, date(2025, 3, 6))
    assert is_ready(waiting, date(2025, 3, 7))
    for status in (
        ExclusionStatus.DRAFT,
        ExclusionStatus.ON_AGENDA,
        ExclusionStatus.DECIDED,
        ExclusionStatus.MOOT,
    ):
        assert not is_ready(_case(status), date(2030, 1, 1))


def test_s5_11_export_cells_mask_the_iin_and_defuse_formulas() -> None:
    assert safe_text("=1+1") == "'=1+1" and safe_text("-2") == "'-2" and safe_text("Әлия") == "Әлия"
    membership = ReserveMembership(
        tenant_id="KZ-71",
        candidate_iin="900515301234",
        candidate_name="@SUM(A1)",
        direction_code="economy_finance",
        clause="12",
        starts_on=date(2024, 5, 20),
        ends_on=date(2026, 5, 20),
        status=MembershipStatus.ACTIVE,
        counted_in_quota=True,
    )
    labels = Labels(("Name",), {"economy_finance": "Economy"}, {"active": "Active"}, "Yes", "No")
    row = MemberRow(membership, under_review=1, open_proposals=2, appointed=0, consented=False)
    masked = cells(row, labels, today=TODAY, full_iin=False)
    assert masked[:3] == ["'@SUM(A1)", "9005******34", "Economy"]
    assert masked[6:] == [454, "Active", "Yes", 2, 0, "No"]
    assert cells(row, labels, today=TODAY, full_iin=True)[1] == "900515301234"


def test_a32_notices_are_composed_in_every_language_with_dates_and_titles_in_each() -> None:
    texts = localized("%(ground)s until %(due)s", ground=Titles("кк", "рр", "ee"), due=date(2025, 3, 6))
    assert texts["en"] == "ee until 6 March 2025"
    assert texts["kk"].startswith("кк") and texts["ru"].startswith("рр") and "2025" in texts["ru"]
    assert localized("%(at)s", at=datetime(2025, 1, 1, tzinfo=UTC))["en"].startswith("2025-01-01")
