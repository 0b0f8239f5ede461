"""Preparing a selection (cl. 3), the Agency's agreement, publication with the notice period (cl. 7)."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from portal.app import create_app
from portal.core.clock import Clock
from portal.core.settings import Settings
from tests.conftest import FIXED_CLOCK, TODAY, csrf_headers, sign_in


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
def officer(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as client:
        sign_in(client, "tu-officer-dana")
        yield client


def _post(client: TestClient[Litestar], url: str, data: dict[str, object]) -> object:
    return client.post(
        url, data=data | {"_csrf_token": csrf_headers(client)["x-csrftoken"]}, follow_redirects=False
    )


def test_cl3_cl7_draft_agreement_and_publication(app: Litestar, officer: TestClient[Litestar]) -> None:
    created = _post(officer, "/astana/manage/selections/new", _form())
    assert created.status_code == 303, created.text[:2000]  # type: ignore[attr-defined]
    page_url = created.headers["location"]  # type: ignore[attr-defined]
    page = officer.get(page_url).text
    assert "Draft" in page and "Send to the Agency for agreement" in page
    # Publishing before agreement is refused (cl. 3).
    selection_id = page_url.rsplit("/", 1)[1]
    assert _post(officer, f"{page_url}/publish", {}).status_code == 303  # type: ignore[attr-defined]
    assert "Only a selection agreed with the Agency can be published" in officer.get(page_url).text
    assert _post(officer, f"{page_url}/submit", {}).status_code == 303  # type: ignore[attr-defined]
    assert "Waiting for the Agency" in officer.get(page_url).text
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
    app: Litestar, database: Settings, officer: TestClient[Litestar]
) -> None:
    created = _post(officer, "/astana/manage/selections/new", _form())
    page_url = created.headers["location"]  # type: ignore[attr-defined]
    selection_id = page_url.rsplit("/", 1)[1]
    _post(officer, f"{page_url}/submit", {})
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
