"""Who may do what, where: the permission table of rules.md 2.2 as pure data and one function.

Guards, services and templates all ask `can()`; none of them re-derives a permission from roles.
Regional roles act in their own region only; central roles (the Agency, the platform) act in
every region, but only with their own permissions.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from portal.auth.roles import Role, is_central


class Permission(StrEnum):
    # anyone signed in
    VIEW_OWN_ACCOUNT = "view_own_account"
    APPLY = "apply"  # cl. 8-9, own applications only
    # selections (cl. 3, 7, 13)
    DRAFT_SELECTION = "draft_selection"
    AGREE_SELECTION = "agree_selection"
    PUBLISH_ANNOUNCEMENT = "publish_announcement"
    REVIEW_DOCUMENTS = "review_documents"
    DECIDE_REFUSAL = "decide_refusal"
    IMPORT_RESULTS = "import_results"
    APPROVE_RESULTS_IMPORT = "approve_results_import"
    IMPORT_COMPETENCY_RESULTS = "import_competency_results"
    BACKGROUND_CHECK = "background_check"
    # cl. 11, R-11: the checks are seen by the territorial unit and the commission only; members
    # read the conclusions, the chair, deputy and secretary the checklist and the replies too
    VIEW_VETTING_CONCLUSIONS = "view_vetting_conclusions"
    VIEW_BACKGROUND_CHECK = "view_background_check"
    # commission (cl. 6(4)-(5), 10, 12, 18)
    SCORE_INTERVIEW = "score_interview"
    VOTE = "vote"
    RUN_MEETING = "run_meeting"
    WATCH_INTERVIEW = "watch_interview"
    # reserve and appointments (ch. 3, 4)
    BROWSE_RESERVE = "browse_reserve"
    SUBMIT_PROPOSAL = "submit_proposal"
    DECIDE_CL16_PROPOSAL = "decide_cl16_proposal"
    DECIDE_CL15_CL17_PROPOSAL = "decide_cl15_cl17_proposal"
    OPEN_EXCLUSION = "open_exclusion"
    MANAGE_POSITIONS = "manage_positions"  # cl. 14: the region's corps "B" posts (the cl. 15 flag: A-39)
    # ch. 2-1: the Agency imports the National Commission's lists (rules.md 2.3.2); the commission's
    # secretary, chair and deputy chair and the Agency follow the requests and their due dates (cl. 13-3)
    IMPORT_DIRECT_LIST = "import_direct_list"
    VIEW_DIRECT_REQUESTS = "view_direct_requests"
    # A-RC-12, rules.md 2.2: monitoring of the members by the working body, read by the unit, the
    # commission and the Agency; also reads the exclusion proceedings and their evidence (cl. 18)
    MONITOR_RESERVE = "monitor_reserve"
    # administration
    MANAGE_ROLES = "manage_roles"
    MANAGE_REFERENCE_DATA = "manage_reference_data"


P = Permission
_READ_CHECKS = frozenset({P.VIEW_VETTING_CONCLUSIONS, P.VIEW_BACKGROUND_CHECK})
_DIRECT = frozenset({P.VIEW_DIRECT_REQUESTS})
#: rules.md 2.2 "monitoring of members (A-RC-12)": every reader of the reserve but the appointing official.
_MONITOR = frozenset({P.MONITOR_RESERVE})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CANDIDATE: frozenset({P.VIEW_OWN_ACCOUNT, P.APPLY}),
    Role.TU_OFFICER: frozenset(
        {P.DRAFT_SELECTION, P.PUBLISH_ANNOUNCEMENT, P.REVIEW_DOCUMENTS, P.IMPORT_RESULTS, P.BACKGROUND_CHECK}
        | {P.BROWSE_RESERVE, P.DECIDE_CL16_PROPOSAL, P.OPEN_EXCLUSION}
        | _READ_CHECKS
        | _MONITOR
    ),
    Role.TU_HEAD: frozenset(
        {P.DRAFT_SELECTION, P.PUBLISH_ANNOUNCEMENT, P.REVIEW_DOCUMENTS, P.DECIDE_REFUSAL, P.IMPORT_RESULTS}
        | {
            P.APPROVE_RESULTS_IMPORT,
            P.BACKGROUND_CHECK,
            P.BROWSE_RESERVE,
            P.DECIDE_CL16_PROPOSAL,
            P.OPEN_EXCLUSION,
        }
        | _READ_CHECKS
        | _MONITOR
    ),
    Role.SECRETARY: frozenset({P.DRAFT_SELECTION, P.PUBLISH_ANNOUNCEMENT, P.RUN_MEETING, P.BROWSE_RESERVE})
    | _READ_CHECKS
    | _DIRECT
    | _MONITOR,
    Role.COMMISSION_MEMBER: frozenset(
        {P.SCORE_INTERVIEW, P.VOTE, P.BROWSE_RESERVE, P.VIEW_VETTING_CONCLUSIONS}
    )
    | _MONITOR,
    Role.COMMISSION_CHAIR: frozenset({P.SCORE_INTERVIEW, P.VOTE, P.BROWSE_RESERVE})
    | _READ_CHECKS
    | _DIRECT
    | _MONITOR,
    Role.COMMISSION_DEPUTY_CHAIR: frozenset({P.SCORE_INTERVIEW, P.VOTE, P.BROWSE_RESERVE})
    | _READ_CHECKS
    | _DIRECT
    | _MONITOR,
    Role.OBSERVER: frozenset({P.WATCH_INTERVIEW}),
    Role.APPOINTING_OFFICIAL: frozenset({P.SUBMIT_PROPOSAL, P.BROWSE_RESERVE}),
    Role.AGENCY_OFFICER: frozenset(
        {P.AGREE_SELECTION, P.PUBLISH_ANNOUNCEMENT, P.IMPORT_RESULTS, P.APPROVE_RESULTS_IMPORT}
        | {
            P.IMPORT_COMPETENCY_RESULTS,
            P.BROWSE_RESERVE,
            P.DECIDE_CL15_CL17_PROPOSAL,
            P.MANAGE_REFERENCE_DATA,
        }
        | {P.IMPORT_DIRECT_LIST, P.VIEW_DIRECT_REQUESTS}
        | _MONITOR
    ),
    Role.TENANT_ADMIN: frozenset({P.MANAGE_ROLES, P.MANAGE_POSITIONS}),
    Role.PLATFORM_ADMIN: frozenset({P.MANAGE_ROLES, P.MANAGE_REFERENCE_DATA}),
}


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    #: The region (ISO code), or None for a central role.
    tenant_id: str | None


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in person as the request sees them: identity and the roles in force today."""

    user_id: uuid.UUID
    iin: str
    full_name: str
    birth_date: date
    grants: frozenset[Grant] = field(default_factory=frozenset)

    def roles_in(self, tenant_id: str) -> frozenset[Role]:
        """Roles acting in one region: its own grants, the central ones, and the implicit candidate."""
        return frozenset(
            {Role.CANDIDATE}
            | {g.role for g in self.grants if g.tenant_id == tenant_id or g.tenant_id is None}
        )

    def regions(self) -> frozenset[str]:
        return frozenset(g.tenant_id for g in self.grants if g.tenant_id is not None)


def can(principal: Principal | None, permission: Permission, tenant_id: str | None = None) -> bool:
    """Whether the principal holds the permission in the region (or, for tenant_id None, anywhere centrally).

    A regional grant never reaches another region (rules.md 2.3.1); a central grant reaches all of
    them, with its own permissions only (2.3.2).
    """
    if principal is None:
        return False
    if permission in ROLE_PERMISSIONS[Role.CANDIDATE]:
        return True
    if tenant_id is None:
        roles: Iterable[Role] = (
            g.role for g in principal.grants if g.tenant_id is None or is_central(g.role)
        )
    else:
        roles = principal.roles_in(tenant_id)
    return any(permission in ROLE_PERMISSIONS[role] for role in roles)
