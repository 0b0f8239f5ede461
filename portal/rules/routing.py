"""Where an appointment proposal goes (cl. 14-17; rules.md 3.5, A-39).

Checked in this order (rules.md 3.5):
1. the post must be a corps "B" administrative post of a local executive body and not elective
   (cl. 14), otherwise `NotRoutableError`;
2. a post in another region than the member's reserve -> cl. 17: to the Agency, with the
   member's consent and the Agency's consent;
3. head of an executive body financed from the regional (city, capital) budget -> cl. 15:
   to the Agency (authorized body);
4. any other corps "B" post -> cl. 16: to the territorial unit of the position's region.
Every route needs the member's application and service record (cl. 15, 16).
"""

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Addressee", "NotRoutableError", "Route", "route_proposal"]


class Addressee(StrEnum):
    """Who receives the proposal (cl. 15-17; rules.md A-34: the authorized body is the central Agency)."""

    AGENCY = "AGENCY"
    TERRITORIAL_UNIT = "TERRITORIAL_UNIT"


class NotRoutableError(ValueError):
    """A post that cannot be filled from the regional reserve (cl. 14)."""

    def __init__(self, reason: str) -> None:
        self.clause = "14"
        super().__init__(f"cl. 14: {reason}")


@dataclass(frozen=True, slots=True)
class Route:
    """The routing decision: addressee, clause applied, consents needed, and whose queue.

    `tenant` is the position's region: the owner of a cl. 17 proposal (rules.md 2.3 item 4) and,
    for cl. 16, whose territorial unit decides. `inter_regional` is True for cl. 17 only.
    """

    addressee: Addressee
    clause: str
    needs_member_consent: bool
    needs_agency_consent: bool
    tenant: str
    inter_regional: bool
    needs_member_application: bool = True
    needs_service_record: bool = True


def route_proposal(
    position_tenant: str,
    member_tenant: str,
    is_head_of_regional_executive_body: bool,
    *,
    is_elective: bool = False,
    is_corps_b: bool = True,
    is_local_executive_body: bool = True,
) -> Route:
    """Route an appointment proposal: cl. 17, else cl. 15, else cl. 16; reject what cl. 14 excludes.

    `member_tenant` is the region whose reserve the member is in; `position_tenant` the region
    of the vacant post. `is_head_of_regional_executive_body` is the position's cl. 15 flag
    (rules.md A-39), maintained as data and logged with the decision by the caller.
    """
    if is_elective:
        raise NotRoutableError("elective posts are excluded")
    if not is_corps_b:
        raise NotRoutableError('only corps "B" administrative posts')
    if not is_local_executive_body:
        raise NotRoutableError("only posts in local executive bodies")
    if position_tenant != member_tenant:
        return Route(
            addressee=Addressee.AGENCY,
            clause="17",
            needs_member_consent=True,
            needs_agency_consent=True,
            tenant=position_tenant,
            inter_regional=True,
        )
    if is_head_of_regional_executive_body:
        return Route(
            addressee=Addressee.AGENCY,
            clause="15",
            needs_member_consent=False,
            needs_agency_consent=False,
            tenant=position_tenant,
            inter_regional=False,
        )
    return Route(
        addressee=Addressee.TERRITORIAL_UNIT,
        clause="16",
        needs_member_consent=False,
        needs_agency_consent=False,
        tenant=position_tenant,
        inter_regional=False,
    )
