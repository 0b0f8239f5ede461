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
    ):
        path = path.replace(f"{{{name}:uuid}}", str(uuid.uuid4()))
    path = path.replace("{slot:str}", "id_copy")
    path = path.replace("{stage:str}", "testing")
    path = path.replace("{item:str}", "criminal_record")
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
