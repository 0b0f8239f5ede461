"""The portal's roles (rules.md 2.2) and whether each is granted per region or centrally."""

from enum import StrEnum

from portal.i18n import N_


class Role(StrEnum):
    CANDIDATE = "candidate"  # implicit for any signed-in citizen; never granted
    TU_OFFICER = "tu_officer"
    TU_HEAD = "tu_head"
    SECRETARY = "secretary"
    COMMISSION_MEMBER = "commission_member"
    COMMISSION_CHAIR = "commission_chair"
    COMMISSION_DEPUTY_CHAIR = "commission_deputy_chair"
    OBSERVER = "observer"
    APPOINTING_OFFICIAL = "appointing_official"
    AGENCY_OFFICER = "agency_officer"
    TENANT_ADMIN = "tenant_admin"
    PLATFORM_ADMIN = "platform_admin"


#: Roles held for the whole country (the central Agency, the platform); all others are per region.
CENTRAL_ROLES: frozenset[Role] = frozenset({Role.AGENCY_OFFICER, Role.PLATFORM_ADMIN})
#: Roles an administrator may grant (the candidate role comes with signing in).
GRANTABLE_ROLES: tuple[Role, ...] = tuple(r for r in Role if r != Role.CANDIDATE)

ROLE_LABELS: dict[Role, str] = {
    Role.CANDIDATE: N_("Candidate"),
    Role.TU_OFFICER: N_("Officer of the territorial unit"),
    Role.TU_HEAD: N_("Head of the territorial unit"),
    Role.SECRETARY: N_("Secretary of the commission"),
    Role.COMMISSION_MEMBER: N_("Member of the commission"),
    Role.COMMISSION_CHAIR: N_("Chair of the commission"),
    Role.COMMISSION_DEPUTY_CHAIR: N_("Deputy chair of the commission"),
    Role.OBSERVER: N_("Observer"),
    Role.APPOINTING_OFFICIAL: N_("Appointing official"),
    Role.AGENCY_OFFICER: N_("Officer of the Agency for Civil Service Affairs"),
    Role.TENANT_ADMIN: N_("Administrator of the region"),
    Role.PLATFORM_ADMIN: N_("Platform administrator"),
}


def is_central(role: Role) -> bool:
    return role in CENTRAL_ROLES
