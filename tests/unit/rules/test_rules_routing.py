"""Where an appointment proposal goes: cl. 14-17 (rules.md 3.5, A-34, A-39)."""

import pytest

from portal.rules.routing import Addressee, NotRoutableError, Route, route_proposal


def test_cl16_other_corps_b_post_goes_to_the_territorial_unit() -> None:
    route = route_proposal("KZ-39", "KZ-39", is_head_of_regional_executive_body=False)
    assert route == Route(
        addressee=Addressee.TERRITORIAL_UNIT,
        clause="16",
        needs_member_consent=False,
        needs_agency_consent=False,
        tenant="KZ-39",
        inter_regional=False,
    )


def test_cl15_head_of_regionally_financed_executive_body_goes_to_the_agency() -> None:
    route = route_proposal("KZ-39", "KZ-39", is_head_of_regional_executive_body=True)
    assert (route.addressee, route.clause) == (Addressee.AGENCY, "15")
    assert not route.needs_member_consent
    assert not route.needs_agency_consent


@pytest.mark.parametrize("head", [False, True])
def test_cl17_another_region_goes_to_the_agency_with_both_consents(head: bool) -> None:
    route = route_proposal("KZ-75", "KZ-39", head)
    assert (route.addressee, route.clause) == (Addressee.AGENCY, "17")
    assert route.needs_member_consent
    assert route.needs_agency_consent
    assert route.inter_regional
    assert route.tenant == "KZ-75"  # the destination owns a cl. 17 proposal (rules.md 2.3)


@pytest.mark.parametrize("clause_route", [("KZ-39", True), ("KZ-39", False), ("KZ-10", False)])
def test_cl15_cl16_cl17_every_route_needs_application_and_service_record(
    clause_route: tuple[str, bool],
) -> None:
    route = route_proposal(clause_route[0], "KZ-39", clause_route[1])
    assert route.needs_member_application
    assert route.needs_service_record


def test_cl14_elective_posts_are_rejected() -> None:
    with pytest.raises(NotRoutableError) as excinfo:
        route_proposal("KZ-39", "KZ-39", False, is_elective=True)
    assert excinfo.value.clause == "14"
    assert isinstance(excinfo.value, ValueError)


def test_cl14_only_corps_b_posts_of_local_executive_bodies() -> None:
    with pytest.raises(NotRoutableError, match="corps"):
        route_proposal("KZ-39", "KZ-39", False, is_corps_b=False)
    with pytest.raises(NotRoutableError, match="local executive"):
        route_proposal("KZ-39", "KZ-39", False, is_local_executive_body=False)
