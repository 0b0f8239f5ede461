"""Preparing a selection (cl. 3), the commission's approval of the parameters (cl. 3, A-RC-4(10)), the
Agency's agreement, publication with the notice period (cl. 7)."""

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from portal.app import create_app
from portal.auth.models import User
from portal.core.audit import AuditEvent
from portal.core.clock import Clock
from portal.core.settings import Settings
from portal.demo.users import demo_user
from portal.notifications.models import OutboxMessage
from portal.selections.models import Selection, SelectionStatus
from tests.conftest import FIXED_CLOCK, TODAY, csrf_headers, sign_in
from tests.integration.commission.support import People, rows
from tests.integration.selections.approval import approve_parameters, decide_parameters

ASTANA = "KZ-71"


def _form(**changes: str) -> dict[str, object]:
    start = TODAY + timedelta(days=40)
    data: dict[str, object] = {
        "quota": "20",
        "contact_email": "astana@reserve-demo.kz",
        "contact_phone": "+7 7172 00-00-00",
        "notice_working_days": "15",
        "planned_publication": (TODAY + timedelta(days=2)).isoformat(),
        "intake_start": start.isoformat(),
        "intake_end": (start + timedelta(days=29)).isoformat(),
        "testing_on": (start + timedelta(days=45)).isoformat(),
        "competency_on": (start + timedelta(days=60)).isoformat(),
        "interview_on": (start + timedelta(days=80)).isoformat(),
        "consideration_on": (start + timedelta(days=90)).isoformat(),
        "direction": ["economy_finance", "social_sphere"],
        "quota_economy_finance": "12",
        "quota_social_sphere": "8",
        "rubric_kk": "Көшбасшылық\nКоммуникация",
        "rubric_ru": "Лидерство\nКоммуникация",
        "rubric_en": "Leadership\nCommunication",
    }
    for language, title in (("kk", "Астана: іріктеу"), ("ru", "Астана: отбор"), ("en", "Astana: selection")):
        data |= {f"title_{language}": title, f"summary_{language}": title, f"body_{language}": title + "."}
    return data | changes


@pytest.fixture
def people(app: Litestar) -> Iterator[People]:
    found = People(app)
    yield found
    found.close()


@pytest.fixture
def officer(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as client:
        sign_in(client, "tu-officer-dana")
        yield client


def _post(client: TestClient[Litestar], url: str, data: dict[str, object]) -> object:
    return client.post(
        url, data=data | {"_csrf_token": csrf_headers(client)["x-csrftoken"]}, follow_redirects=False
    )


def test_cl3_cl7_draft_commission_agreement_and_publication(
    app: Litestar, database: Settings, officer: TestClient[Litestar], people: People
) -> None:
    created = _post(officer, "/astana/manage/selections/new", _form())
    assert created.status_code == 303, created.text[:2000]  # type: ignore[attr-defined]
    page_url = created.headers["location"]  # type: ignore[attr-defined]
    page = officer.get(page_url).text
    assert "Draft" in page and "Send to the commission for approval" in page
    # Publishing before agreement is refused (cl. 3).
    selection_id = page_url.rsplit("/", 1)[1]
    assert _post(officer, f"{page_url}/publish", {}).status_code == 303  # type: ignore[attr-defined]
    assert "Only a selection agreed with the Agency can be published" in officer.get(page_url).text
    assert _post(officer, f"{page_url}/submit", {}).status_code == 303  # type: ignore[attr-defined]
    # cl. 3, A-RC-4(10): the commission approves the parameters first; meanwhile they cannot be edited.
    waiting = officer.get(page_url).text
    assert "Awaiting the commission" in waiting and "Sent to the commission" in waiting
    assert "approval of the parameters (clause 3).</li>" in waiting  # the dashboard's blocker
    edited = _post(officer, f"{page_url}/edit", _form(quota="21", quota_economy_finance="13"))
    assert edited.status_code == 422  # type: ignore[attr-defined]
    assert "can be edited again if the commission does not approve them" in edited.text  # type: ignore[attr-defined]
    assert selection_id not in people("agency-madina").get("/agency/agreements").text
    assert "Awaiting the commission" in officer.get("/astana/manage/selections").text
    ready = people("secretary-gulnar").get("/astana/commission/meetings").text
    assert f"selection_parameters:{selection_id}" in ready and "Astana: selection" in ready
    approve_parameters(people, database, slug="astana", tenant_id=ASTANA, selection_id=selection_id)
    assert "Waiting for the Agency" in officer.get(page_url).text
    assert "Approved by the commission, sent to the Agency" in officer.get(page_url).text
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as agency:
        sign_in(agency, "agency-madina")
        assert selection_id in agency.get("/agency/agreements").text
        refused = _post(agency, f"/agency/agreements/{selection_id}", {"decision": "return", "comment": ""})
        assert refused.status_code == 303  # type: ignore[attr-defined]
        assert "the comment is required" in agency.get(f"/agency/agreements/{selection_id}").text
        agreed = _post(agency, f"/agency/agreements/{selection_id}", {"decision": "agree", "comment": "OK"})
        assert agreed.status_code == 303  # type: ignore[attr-defined]
    assert _post(officer, f"{page_url}/publish", {}).status_code == 303  # type: ignore[attr-defined]
    published = officer.get(page_url).text
    assert "The announcement has been published." in published and "Announced" in published
    evidence = {
        "channel": "akimat_site",
        "url": "https://astana.gov.kz/news/1",
        "published_on": TODAY.isoformat(),
    }
    assert _post(officer, f"{page_url}/evidence", evidence).status_code == 303  # type: ignore[attr-defined]
    assert "https://astana.gov.kz/news/1" in officer.get(page_url).text
    # The public sees it now.
    assert selection_id in officer.get("/astana/announcements?status=upcoming").text


def test_cl3_a_rc_4_10_parameters_not_approved_return_to_draft_with_the_reason(
    database: Settings, officer: TestClient[Litestar], people: People
) -> None:
    created = _post(officer, "/astana/manage/selections/new", _form())
    page_url = created.headers["location"]  # type: ignore[attr-defined]
    selection_id = page_url.rsplit("/", 1)[1]
    assert _post(officer, f"{page_url}/submit", {}).status_code == 303  # type: ignore[attr-defined]
    where = {"slug": "astana", "tenant_id": ASTANA, "selection_id": selection_id}
    vote = decide_parameters(people, database, approve=False, **where)
    # Not approved without a reason: the secretary must say what must change (422, nothing decided).
    assert vote.closed.status_code == 422
    assert "say what must change" in vote.closed.text
    assert rows(database, sa.select(Selection.status).where(Selection.id == uuid.UUID(selection_id))) == [  # type: ignore[arg-type]
        SelectionStatus.AWAITING_COMMISSION
    ]
    reason = "Add a third sector direction for the north of the region."
    assert vote.close(people, reason).status_code == 303
    assert "Returned to draft (clause 3)." in people("secretary-gulnar").get(vote.meeting_url).text
    page = officer.get(page_url).text
    assert "Not approved by the commission" in page and reason in page
    assert "Send to the commission for approval" in page
    assert selection_id not in people("agency-madina").get("/agency/agreements").text
    # The drafter is told in-app, with the reason.
    drafter = rows(database, sa.select(User.id).where(User.iin == demo_user("tu-officer-dana").iin))  # type: ignore[arg-type]
    told = rows(database, sa.select(OutboxMessage).where(OutboxMessage.user_id == drafter[0]))  # type: ignore[arg-type]
    notice = [m for m in told if m.context.get("reason") == reason]
    assert len(notice) == 1 and notice[0].context["clause"] == "3"
    assert f"/astana/manage/selections/{selection_id}" in notice[0].context["url"]
    audit = rows(database, sa.select(AuditEvent).where(AuditEvent.object_id == selection_id))  # type: ignore[arg-type]
    decided = [e for e in audit if e.action == "selection.commission_not_approved"]
    assert len(decided) == 1 and decided[0].clause == "3" and decided[0].after is not None
    assert decided[0].after["item"] == str(vote.item_id) and decided[0].after["reason"] == reason
    # A draft again: it can be edited and sent again, and the commission is asked anew.
    edited = _post(officer, f"{page_url}/edit", _form(quota="21", quota_economy_finance="13"))
    assert edited.status_code == 303  # type: ignore[attr-defined]
    assert _post(officer, f"{page_url}/submit", {}).status_code == 303  # type: ignore[attr-defined]
    assert (
        f"selection_parameters:{selection_id}"
        in people("secretary-gulnar").get("/astana/commission/meetings").text
    )
    approve_parameters(people, database, **where)
    approved = rows(database, sa.select(AuditEvent).where(AuditEvent.object_id == selection_id))  # type: ignore[arg-type]
    assert [e.clause for e in approved if e.action == "selection.commission_approved"] == ["3"]


def test_cl7_a_planned_publication_inside_the_notice_period_is_refused(officer: TestClient[Litestar]) -> None:
    start = TODAY + timedelta(days=10)  # fewer than 15 working days away
    form = _form(intake_start=start.isoformat(), intake_end=(start + timedelta(days=20)).isoformat())
    response = _post(officer, "/astana/manage/selections/new", form)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert re.search(r"publish by \d{4}-\d\d-\d\d \(clause 7\)", response.text)  # type: ignore[attr-defined]


def test_cl3_invalid_parameters_are_explained(officer: TestClient[Litestar]) -> None:
    bad = _form(quota="0", quota_economy_finance="5", testing_on=TODAY.isoformat(), title_ru="")
    bad["direction"] = ["economy_finance", "social_sphere"]
    response = _post(officer, "/astana/manage/selections/new", bad)
    assert response.status_code == 422  # type: ignore[attr-defined]
    for message in (
        "Enter a whole number of at least 1.",
        "cannot be before the previous stage",
        "This field is required.",
    ):
        assert message in response.text, message  # type: ignore[attr-defined]


def test_cl7_publishing_too_late_is_refused_at_the_moment_of_publication(
    app: Litestar, database: Settings, officer: TestClient[Litestar], people: People
) -> None:
    created = _post(officer, "/astana/manage/selections/new", _form())
    page_url = created.headers["location"]  # type: ignore[attr-defined]
    selection_id = page_url.rsplit("/", 1)[1]
    _post(officer, f"{page_url}/submit", {})
    approve_parameters(people, database, slug="astana", tenant_id=ASTANA, selection_id=selection_id)
    with TestClient(app=app, base_url="http://127.0.0.1") as agency:
        sign_in(agency, "agency-madina")
        _post(agency, f"/agency/agreements/{selection_id}", {"decision": "agree", "comment": ""})
    session = officer.cookies["session"]
    late = create_app(database, clock=Clock(fixed_now=FIXED_CLOCK.now() + timedelta(days=35)))
    with TestClient(
        app=late, base_url="http://127.0.0.1", cookies={"session": session, "lang": "en"}
    ) as client:
        assert _post(client, f"{page_url}/publish", {}).status_code == 303  # type: ignore[attr-defined]
        assert "Too late to publish" in client.get(page_url).text
