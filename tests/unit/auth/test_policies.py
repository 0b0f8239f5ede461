"""The permission table of rules.md 2.2 and the region boundary of 2.3 (pure, no HTTP)."""

import uuid
from datetime import date

from portal.auth.policies import ROLE_PERMISSIONS, Grant, Permission, Principal, can
from portal.auth.roles import CENTRAL_ROLES, Role


def person(*grants: Grant) -> Principal:
    return Principal(uuid.uuid4(), "900515301234", "Test Person", date(1990, 5, 15), frozenset(grants))


def test_anonymous_can_nothing() -> None:
    assert not any(can(None, p, "KZ-71") for p in Permission)


def test_every_signed_in_citizen_is_a_candidate_everywhere() -> None:
    citizen = person()
    assert can(citizen, Permission.APPLY, "KZ-71") and can(citizen, Permission.VIEW_OWN_ACCOUNT)
    assert not can(citizen, Permission.MANAGE_ROLES, "KZ-71")


def test_s2_3_a_regional_role_acts_in_its_own_region_only() -> None:
    admin = person(Grant(Role.TENANT_ADMIN, "KZ-71"))
    assert can(admin, Permission.MANAGE_ROLES, "KZ-71")
    assert not can(admin, Permission.MANAGE_ROLES, "KZ-79")
    assert not can(admin, Permission.MANAGE_ROLES)  # not a central permission either


def test_s2_3_a_central_role_acts_everywhere_with_its_own_permissions_only() -> None:
    agency = person(Grant(Role.AGENCY_OFFICER, None))
    for region in ("KZ-71", "KZ-79", "KZ-10"):
        assert can(agency, Permission.AGREE_SELECTION, region)
        assert not can(agency, Permission.VOTE, region)
        assert not can(agency, Permission.MANAGE_ROLES, region)
    assert can(agency, Permission.AGREE_SELECTION)


def test_cl2_only_commission_roles_vote() -> None:
    voters = {role for role, permissions in ROLE_PERMISSIONS.items() if Permission.VOTE in permissions}
    assert voters == {Role.COMMISSION_MEMBER, Role.COMMISSION_CHAIR, Role.COMMISSION_DEPUTY_CHAIR}


def test_cl3_only_the_agency_agrees_selection_parameters() -> None:
    agreeing = {
        role for role, permissions in ROLE_PERMISSIONS.items() if Permission.AGREE_SELECTION in permissions
    }
    assert agreeing == {Role.AGENCY_OFFICER}


def test_a16_the_territorial_unit_head_decides_refusals_not_the_officer() -> None:
    assert Permission.DECIDE_REFUSAL in ROLE_PERMISSIONS[Role.TU_HEAD]
    assert Permission.DECIDE_REFUSAL not in ROLE_PERMISSIONS[Role.TU_OFFICER]


def test_observers_only_watch() -> None:
    assert ROLE_PERMISSIONS[Role.OBSERVER] == frozenset({Permission.WATCH_INTERVIEW})


def test_every_role_has_a_row_and_central_roles_are_the_agency_and_platform() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert {Role.AGENCY_OFFICER, Role.PLATFORM_ADMIN} == CENTRAL_ROLES


def test_roles_in_a_region_include_central_ones_and_the_candidate() -> None:
    someone = person(Grant(Role.SECRETARY, "KZ-71"), Grant(Role.AGENCY_OFFICER, None))
    assert someone.roles_in("KZ-71") == {Role.CANDIDATE, Role.SECRETARY, Role.AGENCY_OFFICER}
    assert someone.roles_in("KZ-79") == {Role.CANDIDATE, Role.AGENCY_OFFICER}
    assert someone.regions() == {"KZ-71"}


def test_r11_background_checks_are_seen_by_the_territorial_unit_and_the_commission_only() -> None:
    def holders(permission: Permission) -> set[Role]:
        return {role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions}

    unit = {Role.TU_OFFICER, Role.TU_HEAD}
    assert holders(Permission.BACKGROUND_CHECK) == unit
    readers = unit | {Role.SECRETARY, Role.COMMISSION_CHAIR, Role.COMMISSION_DEPUTY_CHAIR}
    assert holders(Permission.VIEW_BACKGROUND_CHECK) == readers
    # rules.md 2.2: a commission member reads the conclusion only
    assert holders(Permission.VIEW_VETTING_CONCLUSIONS) == readers | {Role.COMMISSION_MEMBER}
    agency = person(Grant(Role.AGENCY_OFFICER, None))
    assert not can(agency, Permission.VIEW_VETTING_CONCLUSIONS, "KZ-71")
    officer = person(Grant(Role.TU_OFFICER, "KZ-71"))
    assert can(officer, Permission.VIEW_BACKGROUND_CHECK, "KZ-71")
    assert not can(officer, Permission.VIEW_BACKGROUND_CHECK, "KZ-79")


def test_cl13_1_only_the_agency_imports_the_national_commissions_lists() -> None:
    importers = {
        r for r, permissions in ROLE_PERMISSIONS.items() if Permission.IMPORT_DIRECT_LIST in permissions
    }
    assert importers == {Role.AGENCY_OFFICER}
    agency = person(Grant(Role.AGENCY_OFFICER, None))
    assert can(agency, Permission.IMPORT_DIRECT_LIST) and can(agency, Permission.IMPORT_DIRECT_LIST, "KZ-79")


def test_cl13_3_the_commission_and_the_agency_follow_direct_requests() -> None:
    followers = {
        r for r, permissions in ROLE_PERMISSIONS.items() if Permission.VIEW_DIRECT_REQUESTS in permissions
    }
    assert followers == {
        Role.SECRETARY,
        Role.COMMISSION_CHAIR,
        Role.COMMISSION_DEPUTY_CHAIR,
        Role.AGENCY_OFFICER,
    }
    chair = person(Grant(Role.COMMISSION_CHAIR, "KZ-71"))
    assert can(chair, Permission.VIEW_DIRECT_REQUESTS, "KZ-71")
    assert not can(chair, Permission.VIEW_DIRECT_REQUESTS, "KZ-79")
    assert can(person(Grant(Role.AGENCY_OFFICER, None)), Permission.VIEW_DIRECT_REQUESTS, "KZ-79")
