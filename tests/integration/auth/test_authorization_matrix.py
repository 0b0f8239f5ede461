"""Every route, for anonymous and every role, in its own region and in a foreign one (issue 4 item 7).

The expected statuses are written here, by hand, independently of portal.auth.policies. A route the
application registers but this table does not know fails the test, so no route can be added
unguarded; later issues extend the table.
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers, sign_in

OWN, FOREIGN = "astana", "shymkent"  # the demo officials hold their roles in astana (and karaganda)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

#: who: None is anonymous; otherwise a demo user of portal.demo.users
PEOPLE: dict[str, str | None] = {
    "anonymous": None,
    "candidate": "candidate-aigerim",
    "tu_officer": "tu-officer-dana",
    "tu_head": "tu-head-marat",
    "secretary": "secretary-gulnar",
    "commission_chair": "chair-askar",
    "commission_member": "member-aliya",
    "observer": "observer-zhanna",
    "appointing_official": "appointing-timur",
    "agency_officer": "agency-madina",
    "tenant_admin": "admin-daniyar",
}


@dataclass(frozen=True)
class Expect:
    """Status for anonymous, for signed-in people by default, and for some roles in their own region."""

    anonymous: int
    signed_in: int
    own_region: dict[str, int] = field(default_factory=dict)


OPEN = Expect(200, 200)
#: The demo commission (portal.demo.commission) seats the TU head as deputy chair, who votes.
VOTERS_200 = {"commission_chair": 200, "commission_member": 200, "tu_head": 200}
VOTERS_404 = {"commission_chair": 404, "commission_member": 404, "tu_head": 404}
_MONITORS = ("tu_officer", "tu_head", "secretary", "commission_chair", "commission_member", "agency_officer")
MONITORS_200, MONITORS_404 = dict.fromkeys(_MONITORS, 200), dict.fromkeys(_MONITORS, 404)
RESERVE_READERS_200 = MONITORS_200 | {"appointing_official": 200}
RESERVE_READERS_404 = MONITORS_404 | {"appointing_official": 404}
TABLE: dict[str, Expect] = {
    "home": OPEN,
    "rules": OPEN,
    "healthz": OPEN,
    "readyz": OPEN,
    "robots": OPEN,
    "static": OPEN,
    "announcements:national-feed": OPEN,
    "region:home": OPEN,
    "announcements:list": OPEN,
    "announcements:detail": OPEN,
    "announcements:feed": OPEN,
    "auth:login": OPEN,
    "auth:start": Expect(303, 303),
    "auth:callback": Expect(400, 400),  # no state, no code
    "auth:logout": Expect(303, 200),
    "auth:logout-post": Expect(303, 303),
    "auth:signed-out": OPEN,
    "me": Expect(303, 200),
    "admin:roles": Expect(303, 403, {"tenant_admin": 200}),
    "admin:roles-grant": Expect(401, 403, {"tenant_admin": 422}),  # an empty form
    "admin:roles-revoke": Expect(401, 403, {"tenant_admin": 404}),  # an unknown assignment
    # the candidate's own pages: everyone signed in is a candidate; ids of others are 404
    "profile": Expect(303, 200),
    "profile:contact": Expect(401, 422),  # an empty form
    "profile:declarations": Expect(401, 422),
    "profile:education": Expect(401, 422),
    "profile:employment": Expect(401, 422),
    "profile:education-delete": Expect(401, 404),  # not one's own entry
    "profile:employment-delete": Expect(401, 404),
    "tracker": Expect(303, 200),
    "application": Expect(303, 404),
    "application:eligibility": Expect(303, 404),
    "application:direction": Expect(303, 404),
    "application:direction-post": Expect(401, 404),
    "application:document": Expect(303, 404),
    "application:document-upload": Expect(401, 404),
    "application:document-file": Expect(303, 404),
    "application:consent": Expect(303, 404),
    "application:consent-post": Expect(401, 404),
    "application:check": Expect(303, 404),
    "application:submit": Expect(401, 404),
    "application:confirmation": Expect(303, 404),
    "application:receipt": Expect(303, 404),
    "application:withdraw": Expect(303, 404),
    "application:withdraw-post": Expect(401, 404),
    "apply": Expect(401, 303),
    "dev:mail": OPEN,
    # running a selection (cl. 3, 7): the territorial unit and the secretary; the Agency agrees
    "manage:selections": Expect(303, 403, {"tu_officer": 200, "tu_head": 200, "secretary": 200}),
    "manage:new": Expect(303, 403, {"tu_officer": 200, "tu_head": 200, "secretary": 200}),
    "manage:create": Expect(401, 403, {"tu_officer": 422, "tu_head": 422, "secretary": 422}),
    # (the sample selection is a published one of the region: it can be read, not changed)
    "manage:selection": Expect(303, 403, {"tu_officer": 200, "tu_head": 200, "secretary": 200}),
    # refused: the placeholder selection is not completed under its quota (A-11)
    "manage:under-quota-reason": Expect(401, 403, {"tu_officer": 422, "tu_head": 422, "secretary": 422}),
    "manage:edit": Expect(303, 403, {"tu_officer": 200, "tu_head": 200, "secretary": 200}),
    "manage:update": Expect(401, 403, {"tu_officer": 422, "tu_head": 422, "secretary": 422}),
    "manage:submit": Expect(401, 403, {"tu_officer": 303, "tu_head": 303, "secretary": 303}),
    "manage:publish": Expect(
        401, 403, {"tu_officer": 303, "tu_head": 303, "secretary": 303, "agency_officer": 303}
    ),
    "manage:evidence": Expect(
        401, 403, {"tu_officer": 303, "tu_head": 303, "secretary": 303, "agency_officer": 303}
    ),
    "manage:start-testing": Expect(401, 403, {"tu_head": 303}),  # refused: intake still open
    "officer:review-document": Expect(401, 403, {"tu_officer": 404, "tu_head": 404}),
    "officer:decide": Expect(401, 403, {"tu_head": 404}),
    # stage results (four eyes) and the cut-off (cl. 6, 10); the sample selection is not at these stages
    "manage:results": Expect(303, 403, {"tu_officer": 200, "tu_head": 200, "agency_officer": 200}),
    "manage:results-upload": Expect(401, 403, {"tu_officer": 303, "tu_head": 303, "agency_officer": 303}),
    "manage:results-approve": Expect(401, 403, {"tu_head": 404, "agency_officer": 404}),
    "manage:cutoff": Expect(303, 403, {"tu_officer": 200, "tu_head": 200, "secretary": 200}),
    "manage:cutoff-fix": Expect(401, 403, {"secretary": 303}),  # refused: not at this stage
    "agency:agreements": Expect(303, 403, {"agency_officer": 200}),
    "agency:agreement": Expect(303, 403, {"agency_officer": 200}),
    "agency:decide": Expect(401, 403, {"agency_officer": 303}),  # refused: not awaiting agreement
    "notifications:mark-read": Expect(
        401, 303
    ),  # an empty form goes back to /me  # the sample selection is not open: back to it with a message
    # the territorial unit's work with applications
    "officer:applications": Expect(303, 403, {"tu_officer": 200, "tu_head": 200}),
    "officer:application": Expect(303, 403, {"tu_officer": 404, "tu_head": 404}),
    "officer:document": Expect(303, 403, {"tu_officer": 404, "tu_head": 404}),
    "officer:register": Expect(303, 403, {"tu_officer": 200, "tu_head": 200}),
    "officer:register-post": Expect(401, 403, {"tu_officer": 422, "tu_head": 422}),
    # the cl. 11 checks (R-11): the territorial unit and the commission only; members read conclusions
    "manage:vetting": Expect(
        303,
        403,
        {
            "tu_officer": 200,
            "tu_head": 200,
            "secretary": 200,
            "commission_chair": 200,
            "commission_member": 200,
        },
    ),
    "manage:vetting-candidate": Expect(
        303, 403, {"tu_officer": 404, "tu_head": 404, "secretary": 404, "commission_chair": 404}
    ),
    "manage:vetting-reply": Expect(
        303, 403, {"tu_officer": 404, "tu_head": 404, "secretary": 404, "commission_chair": 404}
    ),
    "manage:vetting-record": Expect(401, 403, {"tu_officer": 404, "tu_head": 404}),
    "manage:vetting-decide": Expect(401, 403, {"secretary": 404}),
    "manage:vetting-close": Expect(401, 403, {"tu_officer": 303, "tu_head": 303}),  # refused: not at vetting
    # the interview schedule (cl. 6(4), A-13): read by the TU and the secretary, changed by the secretary
    "manage:interviews": Expect(303, 403, {"tu_officer": 200, "tu_head": 200, "secretary": 200}),
    "manage:interviews-generate": Expect(401, 403, {"secretary": 422}),  # an empty form
    "manage:interviews-schedule": Expect(401, 403, {"secretary": 422}),
    "manage:interviews-attendance": Expect(401, 403, {"secretary": 404}),  # an unknown slot
    "manage:interviews-reschedule": Expect(401, 403, {"secretary": 404}),
    # observers (cl. 12): invited by the secretary; the observer page needs a live invitation, which the
    # sample selection gives nobody (the demo observer's standing role alone opens nothing)
    "manage:observers": Expect(303, 403, {"secretary": 200}),
    "manage:observers-invite": Expect(401, 403, {"secretary": 422}),
    "manage:observers-revoke": Expect(401, 403, {"secretary": 404}),
    "observe:schedule": Expect(303, 403),
    "observe:accept": Expect(401, 403),
    # the commission's composition and voting settings (A-RC-1, A-20): the region's administrator
    "commission:composition": Expect(303, 403, {"tenant_admin": 200}),
    "commission:composition-add": Expect(401, 403, {"tenant_admin": 422}),  # an empty form
    "commission:composition-end": Expect(401, 403, {"tenant_admin": 404}),  # an unknown term
    "commission:settings": Expect(303, 403, {"tenant_admin": 200}),
    "commission:settings-save": Expect(401, 403, {"tenant_admin": 422}),  # an empty form
    # meetings (cl. 6(5), A-RC-12): the secretary; unknown meetings and items are 404
    "commission:meetings": Expect(303, 403, {"secretary": 200}),
    "commission:meeting-create": Expect(401, 403, {"secretary": 422}),  # an empty form
    "commission:meeting": Expect(303, 403, {"secretary": 404}),
    "commission:agenda-add": Expect(401, 403, {"secretary": 404}),
    "commission:attendance": Expect(401, 403, {"secretary": 404}),
    "commission:meeting-open": Expect(401, 403, {"secretary": 404}),
    "commission:meeting-close": Expect(401, 403, {"secretary": 404}),
    "commission:item-open": Expect(401, 403, {"secretary": 404}),
    "commission:item-close": Expect(401, 403, {"secretary": 404}),
    # votes (A-20): the chair, the deputy chair (the demo TU head, A-RC-COMP) and the members
    "commission:ballots": Expect(303, 403, VOTERS_200),
    "commission:ballot": Expect(303, 403, VOTERS_404),
    "commission:vote": Expect(401, 403, VOTERS_404),
    "commission:recuse": Expect(401, 403, VOTERS_404),
    # interview scoring (cl. 6(4), A-12): the voting members; the sample selection is not at the interview
    "commission:scoring": Expect(303, 403, VOTERS_200),
    "commission:scoring-selection": Expect(303, 403, VOTERS_404),
    "commission:score-sheet": Expect(303, 403, VOTERS_404),
    "commission:score-save": Expect(401, 403, VOTERS_404),
    "commission:score-recuse": Expect(401, 403, VOTERS_404),
    "commission:calibration": Expect(303, 403, VOTERS_404),
    "commission:calibrations": Expect(303, 403, {"secretary": 200}),
    "commission:calibration-run": Expect(303, 403, {"secretary": 404}),
    # minutes (cl. 6(5)): drawn up and signed off by the secretary, read by the voting members
    "commission:minutes": Expect(303, 403, {"secretary": 404}),
    "commission:minutes-draw": Expect(401, 403, {"secretary": 404}),
    "commission:minutes-sign": Expect(401, 403, {"secretary": 404}),
    "commission:minutes-correct": Expect(401, 403, {"secretary": 404}),
    "commission:minutes-pdf": Expect(303, 403, {"secretary": 404}),
    "commission:ballot-minutes": Expect(303, 403, VOTERS_404),
    "commission:ballot-minutes-pdf": Expect(303, 403, VOTERS_404),
    # posts of the local executive bodies (cl. 14): the region's administrator; the Agency confirms the
    # cl. 15 mark (A-39); unknown posts are 404
    "positions:list": Expect(303, 403, {"tenant_admin": 200}),
    "positions:create": Expect(401, 403, {"tenant_admin": 422}),  # an empty form
    "positions:edit": Expect(303, 403, {"tenant_admin": 404}),
    "positions:update": Expect(401, 403, {"tenant_admin": 404}),
    "positions:deactivate": Expect(401, 403, {"tenant_admin": 404}),
    "agency:positions": Expect(303, 403, {"agency_officer": 200}),
    "agency:position-confirm": Expect(401, 403, {"agency_officer": 404}),
    # appointment proposals (cl. 15-17): the appointing official of the post's region; the territorial
    # unit decides cl. 16, the Agency cl. 15 and 17; the member answers; unknown proposals are 404
    "proposals:list": Expect(303, 403, {"appointing_official": 200}),
    "proposals:new": Expect(303, 403, {"appointing_official": 200}),
    "proposals:create": Expect(401, 403, {"appointing_official": 422}),  # an empty form
    "proposals:detail": Expect(303, 403, {"appointing_official": 404}),
    "proposals:service-record": Expect(401, 403, {"appointing_official": 404}),
    "proposals:submit": Expect(401, 403, {"appointing_official": 404}),
    "proposals:ask": Expect(401, 403, {"appointing_official": 404}),
    "proposals:withdraw": Expect(401, 403, {"appointing_official": 404}),
    "proposals:act": Expect(401, 403, {"appointing_official": 404}),
    "proposals:file": Expect(303, 403, {"appointing_official": 404}),
    "review:queue": Expect(303, 403, {"tu_officer": 200, "tu_head": 200}),
    "review:proposal": Expect(303, 403, {"tu_officer": 404, "tu_head": 404}),
    "review:decide": Expect(401, 403, {"tu_officer": 404, "tu_head": 404}),
    "review:file": Expect(303, 403, {"tu_officer": 404, "tu_head": 404}),
    "review:home-queue": Expect(303, 403, {"tu_officer": 200, "tu_head": 200}),
    "review:home-proposal": Expect(303, 403, {"tu_officer": 404, "tu_head": 404}),
    "agency:proposals": Expect(303, 403, {"agency_officer": 200}),
    "agency:proposal": Expect(303, 403, {"agency_officer": 404}),
    "agency:proposal-decide": Expect(401, 403, {"agency_officer": 404}),
    "agency:proposal-file": Expect(303, 403, {"agency_officer": 404}),
    "me:proposals": Expect(303, 200),
    "me:proposal": Expect(303, 404),
    "me:proposal-answer": Expect(401, 404),
    "me:consent": Expect(401, 404),
    # enrolment without selection (ch. 2-1): the Agency imports the lists (cl. 13-1) and follows every
    # region; the commission's secretary, chair and deputy chair (the demo TU head) follow their region;
    # a person on no approved list is refused the offer (R-13-1); unknown lists and requests are 404
    "direct:lists": Expect(303, 403, {"agency_officer": 200}),
    "direct:lists-upload": Expect(401, 403, {"agency_officer": 422}),  # no file
    "direct:lists-approve": Expect(401, 403, {"agency_officer": 404}),
    "direct:lists-discard": Expect(401, 403, {"agency_officer": 404}),
    "direct:agency-requests": Expect(303, 403, {"agency_officer": 200}),
    "direct:region-requests": Expect(
        303, 403, {"secretary": 200, "commission_chair": 200, "tu_head": 200, "agency_officer": 200}
    ),
    "direct:offer": Expect(303, 403),
    "direct:file": Expect(401, 403),
    "direct:withdraw": Expect(401, 404),
    # the reserve (issue 8): the registry for every reader of the reserve (rules.md 2.2), the monitoring
    # and the exclusion cases for all but the appointing official (A-RC-12), exclusion steps for the
    # territorial unit (cl. 18); the member's own pages for everyone signed in; unknown ids are 404
    "reserve:registry": Expect(303, 403, RESERVE_READERS_200),
    "reserve:public": OPEN,  # A-27: the enrolled who consented to publication
    "reserve:member": Expect(303, 403, RESERVE_READERS_404),
    "reserve:monitoring": Expect(303, 403, MONITORS_200),
    "reserve:monitoring-csv": Expect(303, 403, MONITORS_200),
    "reserve:monitoring-xlsx": Expect(303, 403, MONITORS_200),
    "exclusions:list": Expect(303, 403, MONITORS_200),
    "exclusions:case": Expect(303, 403, MONITORS_404),
    "exclusions:evidence-file": Expect(303, 403, MONITORS_404),
    "exclusions:new": Expect(303, 403, {"tu_officer": 200, "tu_head": 200}),
    "exclusions:create": Expect(401, 403, {"tu_officer": 422, "tu_head": 422}),  # an empty form
    "exclusions:evidence": Expect(401, 403, {"tu_officer": 404, "tu_head": 404}),
    "exclusions:file": Expect(401, 403, {"tu_officer": 404, "tu_head": 404}),
    "exclusions:drop": Expect(401, 403, {"tu_officer": 404, "tu_head": 404}),
    "me:memberships": Expect(303, 200),
    "me:membership": Expect(303, 404),
    "me:membership-leave": Expect(401, 404),
    "me:publication-consent": Expect(401, 404),
    "me:case-comment": Expect(401, 404),
}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str

    @property
    def regional(self) -> bool:
        return "{tenant_slug" in self.path


def routes(app: Litestar) -> list[Route]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                found.append(Route(handler.name or route.path, method, route.path))
    return found


def concrete(route: Route, region: str, ids: dict[str, str]) -> str:
    path = route.path.replace("{tenant_slug:str}", region)
    path = path.replace("{selection_id:uuid}", ids[region])
    path = path.replace("{assignment_id:uuid}", str(uuid.uuid4()))
    for name in (
        "application_id",
        "entry_id",
        "document_id",
        "import_id",
        "slot_id",
        "invitation_id",
        "member_id",
        "meeting_id",
        "item_id",
        "position_id",
        "proposal_id",
        "membership_id",
        "minutes_id",
        "list_id",
        "request_id",
        "case_id",
        "evidence_id",
    ):
        path = path.replace(f"{{{name}:uuid}}", str(uuid.uuid4()))
    path = path.replace("{slot:str}", "id_copy")
    path = path.replace("{stage:str}", "testing")
    path = path.replace("{item:str}", "criminal_record")
    path = path.replace("{kind:str}", "service-record")
    path = path.replace("{file_path:path}", "/css/portal.css")
    assert "{" not in path, f"the matrix does not know how to fill {route.path}"
    return path


def published_ids(client: TestClient[Litestar]) -> dict[str, str]:
    pattern = "/{}/announcements/([0-9a-f-]{{36}})"
    return {
        region: re.findall(pattern.format(region), client.get(f"/{region}/announcements").text)[0]
        for region in (OWN, FOREIGN)
    }


@pytest.fixture
def as_role(
    app: Litestar, request: pytest.FixtureRequest
) -> Iterator[tuple[TestClient[Litestar], dict[str, str]]]:
    """A browser signed in as the role under test (one at a time: each has its own event loop)."""
    sub = PEOPLE[request.param]
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        if sub is not None:
            assert sign_in(client, sub).status_code == 303, request.param
        yield client, published_ids(client)


def test_every_route_is_in_the_table(app: Litestar) -> None:
    names = {route.name for route in routes(app)}
    assert names - TABLE.keys() == set(), "add these routes to the authorization matrix"
    assert TABLE.keys() - names == set(), "the table names routes that no longer exist"


@pytest.mark.parametrize(("as_role", "role"), [(r, r) for r in PEOPLE], indirect=["as_role"])
def test_matrix(app: Litestar, as_role: tuple[TestClient[Litestar], dict[str, str]], role: str) -> None:
    client, ids = as_role
    failures = []
    for route in routes(app):
        expect = TABLE[route.name]
        for region in (OWN, FOREIGN) if route.regional else (OWN,):
            if role == "anonymous":
                wanted = expect.anonymous
            elif region == OWN or role == "agency_officer":
                wanted = expect.own_region.get(role, expect.signed_in)
            else:
                wanted = expect.signed_in
            url = concrete(route, region, ids)
            headers = csrf_headers(client) if route.method in UNSAFE else {}
            response = client.request(route.method, url, headers=headers, follow_redirects=False)
            if response.status_code != wanted:
                failures.append(
                    f"{route.method} {url} ({route.name}): {response.status_code}, expected {wanted}"
                )
            if route.name == "auth:logout-post" and PEOPLE[role]:
                sign_in(client, PEOPLE[role] or "")
    assert failures == []


@pytest.mark.parametrize("as_role", ["anonymous", "tenant_admin"], indirect=True)
def test_unsafe_routes_refuse_a_request_without_csrf_token(
    app: Litestar, as_role: tuple[TestClient[Litestar], dict[str, str]]
) -> None:
    client, ids = as_role
    unsafe = [r for r in routes(app) if r.method in UNSAFE]
    assert unsafe
    for route in unsafe:
        response = client.request(route.method, concrete(route, OWN, ids), follow_redirects=False)
        assert response.status_code == 403, route.name
