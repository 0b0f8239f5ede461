"""A region's administrator grants and revokes roles by IIN; the holder gets them at next request."""

import os
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient

from portal.cli import main
from portal.core.settings import Settings
from portal.demo.users import demo_user
from tests.conftest import csrf_headers, sign_in

OBSERVER_TO_BE = demo_user("candidate-nurlan")


@pytest.fixture
def admin(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        sign_in(client, "admin-daniyar")
        yield client


def _grant(client: TestClient[Litestar], htmx: bool = False, **fields: str) -> tuple[int, str]:
    headers = csrf_headers(client) | ({"HX-Request": "true", "HX-Request-Type": "full"} if htmx else {})
    data = {"iin": "", "iin_confirm": "", "role": "", "valid_to": ""} | fields
    response = client.post(
        "/karaganda/admin/roles?lang=en", data=data, headers=headers, follow_redirects=False
    )
    return response.status_code, response.text


def test_grant_then_the_holder_has_the_role_then_revoke(admin: TestClient[Litestar], app: Litestar) -> None:
    iin = OBSERVER_TO_BE.iin
    status, _ = _grant(admin, iin=iin, iin_confirm=iin, role="observer", valid_to="2030-12-31")
    assert status == 303
    page = admin.get("/karaganda/admin/roles?lang=en").text
    assert "The role has been granted." in page
    assert f"{iin[:4]}******{iin[-2:]}" in page and iin not in page
    with TestClient(app=app, base_url="http://127.0.0.1") as holder:
        sign_in(holder, OBSERVER_TO_BE.sub)
        assert "Observer" in holder.get("/me?lang=en").text
        revoke_url = re.findall(r'action="(/karaganda/admin/roles/[0-9a-f-]{36}/revoke)"', page)
        # the newest row of this person: find the form right after its masked IIN
        row = page.split(f"{iin[:4]}******{iin[-2:]}")[1]
        url = re.search(r'action="(/karaganda/admin/roles/[0-9a-f-]{36}/revoke)"', row).group(1)  # type: ignore[union-attr]
        assert url in revoke_url
        assert admin.post(url, headers=csrf_headers(admin), follow_redirects=False).status_code == 303
        assert "Observer" not in holder.get("/me?lang=en").text


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"iin": "900515301235", "iin_confirm": "900515301235", "role": "observer"},
            "Enter a valid 12-digit IIN.",
        ),
        (
            {"iin": "900515301234", "iin_confirm": "900515301204", "role": "observer"},
            "The two IINs do not match",
        ),
        ({"iin": "900515301234", "iin_confirm": "900515301234", "role": ""}, "Choose a role."),
        ({"iin": "900515301234", "iin_confirm": "900515301234", "role": "agency_officer"}, "Choose a role."),
        (
            {
                "iin": "900515301234",
                "iin_confirm": "900515301234",
                "role": "observer",
                "valid_to": "2001-01-01",
            },
            "The end date cannot be in the past.",
        ),
    ],
)
def test_invalid_grants_re_render_the_form_with_messages(
    admin: TestClient[Litestar], fields: dict[str, str], message: str, htmx: bool
) -> None:
    status, page = _grant(admin, htmx=htmx, **fields)
    assert status == 422
    assert message in page
    assert 'class="error-summary"' in page


def test_a_duplicate_grant_is_a_form_error(admin: TestClient[Litestar]) -> None:
    iin = demo_user("member-aliya").iin  # already a member in karaganda (demo seed)
    status, page = _grant(admin, iin=iin, iin_confirm=iin, role="commission_member")
    assert status == 422 and "already holds this role" in page


def test_an_assignment_of_another_region_cannot_be_revoked_from_here(admin: TestClient[Litestar]) -> None:
    page = admin.get("/astana/admin/roles").text
    url = re.search(r'action="/astana/admin/roles/([0-9a-f-]{36})/revoke"', page).group(1)  # type: ignore[union-attr]
    response = admin.post(
        f"/karaganda/admin/roles/{url}/revoke", headers=csrf_headers(admin), follow_redirects=False
    )
    assert response.status_code == 404


def test_roles_from_the_command_line(database: Settings) -> None:
    env = {**os.environ, "PORTAL_DATABASE_URL": database.database_url}
    runner = CliRunner()
    iin = "061211600012"
    granted = runner.invoke(main, ["roles", "grant", "--iin", iin, "--role", "agency_officer"], env=env)
    assert granted.exit_code == 0, granted.output
    assert "0612******12" in granted.output and iin not in granted.output
    listed = runner.invoke(main, ["roles", "list"], env=env)
    line = next(line for line in listed.output.splitlines() if "0612******12" in line)
    refused = runner.invoke(main, ["roles", "grant", "--iin", iin, "--role", "observer"], env=env)
    assert refused.exit_code != 0 and "regional_role" in refused.output
    revoked = runner.invoke(main, ["roles", "revoke", line.split("\t")[0]], env=env)
    assert revoked.exit_code == 0, revoked.output
    assert "0612******12" not in runner.invoke(main, ["roles", "list"], env=env).output
    bad = runner.invoke(
        main, ["roles", "grant", "--iin", "123", "--role", "observer", "--tenant", "abai"], env=env
    )
    assert bad.exit_code != 0
