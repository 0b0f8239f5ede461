"""Stage 1 (cl. 8, 13): documents reviewed, the head admits or refuses, the candidate is told."""

import asyncio
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.notifications.models import OutboxMessage
from tests.conftest import TEST_CANDIDATES, csrf_headers, sign_in
from tests.integration.applications.journey import post, ready_application


def _submitted(app: Litestar, who: int) -> str:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "ru"}) as candidate:
        base = ready_application(candidate, TEST_CANDIDATES[who].sub)
        assert post(candidate, f"{base}/submit").status_code == 303  # type: ignore[attr-defined]
    return base.rsplit("/", 1)[1]


@pytest.fixture
def head(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as client:
        sign_in(client, "tu-head-marat")
        yield client


def _messages(settings: Settings, template: str) -> list[OutboxMessage]:
    async def work() -> list[OutboxMessage]:
        async with session_scope(settings) as session:
            rows = await session.execute(sa.select(OutboxMessage).where(OutboxMessage.template == template))  # type: ignore[arg-type]
            return list(rows.scalars())

    return asyncio.run(work())


def test_cl8_documents_reviewed_then_cl13_refusal_told_to_the_candidate_in_russian(
    app: Litestar, head: TestClient[Litestar], database: Settings
) -> None:
    application_id = _submitted(app, 17)
    view_url = f"/astana/officer/applications/{application_id}"
    page = head.get(view_url).text
    review_urls = re.findall(
        r'action="(/astana/officer/applications/[0-9a-f-]{36}/documents/[0-9a-f-]{36}/review)"', page
    )
    assert len(review_urls) == 4
    token = csrf_headers(head)
    assert (
        head.post(
            review_urls[0], data={"verdict": "accepted"}, headers=token, follow_redirects=False
        ).status_code
        == 303
    )
    # Rejecting without a reason is refused; with one it is recorded.
    head.post(
        review_urls[3], data={"verdict": "rejected", "reason": ""}, headers=token, follow_redirects=False
    )
    assert "Choose why the document is not accepted." in head.get(view_url).text
    head.post(
        review_urls[3],
        data={"verdict": "rejected", "reason": "not_certified"},
        headers=token,
        follow_redirects=False,
    )
    assert "not certified by the HR service" in head.get(view_url).text
    # A refusal needs a ground and an explanation (cl. 13).
    head.post(
        f"{view_url}/decision",
        data={"decision": "refuse", "ground": "", "explanation": "x"},
        headers=token,
        follow_redirects=False,
    )
    assert "Choose the ground of the refusal" in head.get(view_url).text
    decided = head.post(
        f"{view_url}/decision",
        data={"decision": "refuse", "ground": "13.1", "explanation": "Трудовая книжка не заверена."},
        headers=token,
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert "Refused" in head.get(view_url).text
    mails = [m for m in _messages(database, "application_decision") if application_id in m.body]
    assert len(mails) == 1
    assert (
        mails[0].language == "ru"
        and "13.1" in mails[0].body
        and "Трудовая книжка не заверена." in mails[0].body
    )
    # A second decision is refused.
    head.post(f"{view_url}/decision", data={"decision": "admit"}, headers=token, follow_redirects=False)
    assert "already been decided" in head.get(view_url).text


def test_a_territorial_unit_officer_reviews_but_does_not_decide(app: Litestar) -> None:
    application_id = _submitted(app, 18)
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as officer:
        sign_in(officer, "tu-officer-dana")
        page = officer.get(f"/astana/officer/applications/{application_id}").text
        assert "The head of the territorial unit decides on admission" in page
        response = officer.post(
            f"/astana/officer/applications/{application_id}/decision",
            data={"decision": "admit"},
            headers=csrf_headers(officer),
            follow_redirects=False,
        )
        assert response.status_code == 403


def test_the_head_admits_and_the_history_says_so(app: Litestar, head: TestClient[Litestar]) -> None:
    application_id = _submitted(app, 19)
    token = csrf_headers(head)
    head.post(
        f"/astana/officer/applications/{application_id}/decision", data={"decision": "admit"}, headers=token
    )
    assert "Admitted" in head.get(f"/astana/officer/applications/{application_id}").text
