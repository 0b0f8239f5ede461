"""Posts of the local executive bodies (issue 8 item 4, cl. 14) kept by the region's administrator,
and the cl. 15 mark confirmed by the Agency (rules.md A-39)."""

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import col

from portal.appointments.models import Position
from portal.core.audit import AuditEvent
from portal.core.settings import Settings
from tests.integration.appointments.support import ADMIN, AGENCY, add_post, browser, post, rows, unique

AWAITING = "Clause 15: awaiting the Agency"
CONFIRMED = "Clause 15: confirmed by the Agency"


@pytest.fixture
def admin(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with browser(app, ADMIN) as client:
        yield client


def _post(settings: Settings, position_id: str) -> Position:
    return rows(settings, sa.select(Position).where(col(Position.id) == uuid.UUID(position_id)))[0]


def test_cl14_the_administrator_adds_edits_and_deactivates_a_post(
    admin: TestClient[Litestar], database: Settings
) -> None:
    title = unique("Head of the housing department")
    position_id = add_post(admin, database, "astana", title)
    page = admin.get("/astana/admin/positions")
    assert page.status_code == 200 and title in page.text
    assert title not in admin.get("/karaganda/admin/positions").text

    edit = admin.get(f"/astana/admin/positions/{position_id}")
    assert edit.status_code == 200 and title in edit.text
    changed = post(
        admin,
        f"/astana/admin/positions/{position_id}",
        {"executive_body": "Akimat of Astana", "title": title, "category": "C-O-2"},
    )
    assert changed.status_code == 303
    saved = _post(database, position_id)
    assert (saved.category, saved.vacant, saved.executive_body) == ("C-O-2", False, "Akimat of Astana")

    assert post(admin, f"/astana/admin/positions/{position_id}/deactivate").status_code == 303
    assert _post(database, position_id).active is False
    again = post(admin, f"/astana/admin/positions/{position_id}/deactivate")
    assert again.status_code == 303
    assert "already been deactivated" in admin.get("/astana/admin/positions").text
    actions = rows(
        database,
        sa.select(AuditEvent.action)
        .where(col(AuditEvent.object_id) == position_id)
        .order_by(col(AuditEvent.seq)),
    )
    assert actions == ["position.added", "position.updated", "position.deactivated"]


def test_cl14_a_form_with_mistakes_is_shown_again_with_422(admin: TestClient[Litestar]) -> None:
    empty = post(admin, "/astana/admin/positions", {})
    assert empty.status_code == 422 and "This field is required." in empty.text
    both = post(
        admin,
        "/astana/admin/positions",
        {
            "executive_body": "Akimat",
            "title": "Akim of a rural district",
            "category": "E-1",
            "is_elective": "on",
            "heads_regional_budget_body": "on",
        },
    )
    assert both.status_code == 422 and "cannot carry the clause 15 mark" in both.text


def test_a39_the_cl15_mark_waits_for_the_agency_and_a_change_asks_again(
    admin: TestClient[Litestar], app: Litestar, database: Settings
) -> None:
    title = unique("Head of the education department")
    position_id = add_post(admin, database, "astana", title, head=True)
    page = admin.get("/astana/admin/positions").text
    assert AWAITING in page

    with browser(app, AGENCY) as agency:
        queue = agency.get("/agency/positions")
        assert queue.status_code == 200 and title in queue.text
        assert post(agency, f"/agency/positions/{position_id}/confirm").status_code == 303
        assert title not in agency.get("/agency/positions").text
        refused = post(agency, f"/agency/positions/{position_id}/confirm")
        assert refused.status_code == 303
        assert "not waiting for confirmation" in agency.get("/agency/positions").text

    saved = _post(database, position_id)
    assert saved.cl15_confirmed and saved.cl15_confirmed_by is not None
    assert CONFIRMED in admin.get("/astana/admin/positions").text

    data = {"executive_body": "Akimat", "title": title, "category": "C-O-1", "vacant": "on"}
    assert post(admin, f"/astana/admin/positions/{position_id}", data).status_code == 303
    assert post(admin, f"/astana/admin/positions/{position_id}", data | {"heads_regional_budget_body": "on"})
    assert _post(database, position_id).cl15_confirmed is False
    assert AWAITING in admin.get("/astana/admin/positions").text
    clauses = rows(
        database,
        sa.select(AuditEvent.clause)
        .where(col(AuditEvent.object_id) == position_id)
        .order_by(col(AuditEvent.seq)),
    )
    assert clauses == ["15", "15", "15", "15"]


def test_a_post_of_another_region_is_not_found(admin: TestClient[Litestar], database: Settings) -> None:
    position_id = add_post(admin, database, "karaganda", unique("Head of the tourism department"))
    assert admin.get(f"/astana/admin/positions/{position_id}").status_code == 404
    assert post(admin, f"/astana/admin/positions/{position_id}/deactivate").status_code == 404
    assert admin.get("/shymkent/admin/positions").status_code == 403


def test_the_forms_need_the_csrf_token(admin: TestClient[Litestar]) -> None:
    response = admin.post("/astana/admin/positions", data={"title": "x"}, follow_redirects=False)
    assert response.status_code == 403


def test_demo_regions_have_posts_with_a_confirmed_cl15_mark_and_an_elective_one(
    admin: TestClient[Litestar],
) -> None:
    page = admin.get("/astana/admin/positions").text
    assert "Руководитель управления образования" in page and CONFIRMED in page
    assert "Аким сельского округа" in page
