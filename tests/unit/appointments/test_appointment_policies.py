"""Who decides an appointment proposal and what each state allows (rules.md 2.2, 3.5, A-19, A-34). Pure."""

from portal.appointments import policies
from portal.appointments.models import OPEN_PROPOSAL_STATUSES, ProposalStatus
from portal.auth.policies import ROLE_PERMISSIONS, Permission
from portal.auth.roles import Role
from portal.rules.routing import Addressee

S = ProposalStatus


def _holders(permission: Permission) -> set[Role]:
    return {role for role, granted in ROLE_PERMISSIONS.items() if permission in granted}


def test_a34_cl15_and_cl17_are_decided_by_the_agency_cl16_by_the_territorial_unit() -> None:
    assert _holders(policies.DECIDING_PERMISSION[Addressee.AGENCY]) == {Role.AGENCY_OFFICER}
    assert _holders(policies.DECIDING_PERMISSION[Addressee.TERRITORIAL_UNIT]) == {
        Role.TU_OFFICER,
        Role.TU_HEAD,
    }
    assert _holders(Permission.SUBMIT_PROPOSAL) == {Role.APPOINTING_OFFICIAL}


def test_cl14_the_posts_are_kept_by_the_regions_administrator() -> None:
    assert _holders(Permission.MANAGE_POSITIONS) == {Role.TENANT_ADMIN}


def test_cl15_cl16_a_proposal_is_filed_only_with_the_members_application_and_the_service_record() -> None:
    assert policies.may_submit(S.DRAFT, member_confirmed=True, has_service_record=True)
    assert policies.may_submit(S.RETURNED, member_confirmed=True, has_service_record=True)
    assert not policies.may_submit(S.DRAFT, member_confirmed=False, has_service_record=True)
    assert not policies.may_submit(S.DRAFT, member_confirmed=True, has_service_record=False)
    for status in set(S) - policies.MAY_SUBMIT:
        assert not policies.may_submit(status, member_confirmed=True, has_service_record=True)


def test_rules_3_5_the_states_of_a_proposal() -> None:
    assert {S.SUBMITTED} == policies.MAY_DECIDE
    assert {S.ACCEPTED} == policies.MAY_RECORD_ACT  # the act follows the acceptance
    assert {S.AWAITING_MEMBER} == policies.MAY_ANSWER
    assert policies.MAY_WITHDRAW == OPEN_PROPOSAL_STATUSES  # what is open may be withdrawn
    assert S.APPOINTED not in OPEN_PROPOSAL_STATUSES and S.VOID not in OPEN_PROPOSAL_STATUSES
    assert policies.may_ask_again(S.DRAFT, member_declined=True)
    assert not policies.may_ask_again(S.DRAFT, member_declined=False)
