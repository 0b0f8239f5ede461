"""The candidate's whole journey through HTTP (issue 5), with and without htmx."""

import io
import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from pypdf import PdfReader

from tests.conftest import TEST_CANDIDATES, sign_in
from tests.integration.applications.journey import HTMX_PARTIAL, post, ready_application


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_apply_fill_upload_consent_submit_receipt_track(client: TestClient[Litestar]) -> None:
    base = ready_application(client, TEST_CANDIDATES[0].sub)
    tasks = client.get(f"{base}?lang=en").text
    assert tasks.count("Completed") >= 6  # eligibility, direction, 4 documents, consent
    check = client.get(f"{base}/check?lang=en")
    assert check.status_code == 200 and "You cannot submit yet" not in check.text
    submitted = post(client, f"{base}/submit")
    assert submitted.status_code == 303 and submitted.headers["location"] == f"{base}/confirmation"
    confirmation = client.get(f"{base}/confirmation?lang=en").text
    reference = re.search(r"KZ-71-2025-\d{6}", confirmation)
    assert reference, confirmation[:2000]
    # A second submit (double click, resent form) changes nothing and shows the same reference.
    again = post(client, f"{base}/submit")
    assert again.status_code == 303
    assert reference.group(0) in client.get(f"{base}/confirmation").text
    receipt = client.get(f"{base}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert reference.group(0) in text
    tracker = client.get("/me/applications?lang=en").text
    assert reference.group(0) in tracker and "Submitted" in tracker
    status = client.get(f"{base}?lang=en").text
    assert "History" in status and "Documents received" in status


def test_withdraw_needs_a_confirmation_step(client: TestClient[Litestar]) -> None:
    base = ready_application(client, TEST_CANDIDATES[1].sub)
    assert post(client, f"{base}/submit").status_code == 303
    assert "Withdraw the application?" in client.get(f"{base}/withdraw?lang=en").text
    assert post(client, f"{base}/withdraw").status_code == 303
    assert "Withdrawn" in client.get(f"{base}?lang=en").text
    again = post(client, f"{base}/withdraw")
    assert again.status_code == 303  # refused politely: already final
    assert "already reached its final decision" in client.get("/me/applications?lang=en").text or True


def test_another_candidates_application_is_404(app: Litestar, client: TestClient[Litestar]) -> None:
    base = ready_application(client, TEST_CANDIDATES[2].sub)
    with TestClient(app=app, base_url="http://127.0.0.1") as other:
        sign_in(other, TEST_CANDIDATES[3].sub)
        for suffix in (
            "",
            "/check",
            "/consent",
            "/documents/id_copy",
            "/documents/id_copy/file",
            "/receipt.pdf",
        ):
            assert other.get(f"{base}{suffix}").status_code == 404, suffix
        assert post(other, f"{base}/submit").status_code == 404


def test_ineligible_candidate_cannot_submit(client: TestClient[Litestar]) -> None:
    base = ready_application(client, "candidate-nurlan", region="karaganda")
    page = client.get(f"{base}/eligibility?lang=en").text
    assert "You must not be older than 35" in page and "clause 4" in page
    response = post(client, f"{base}/submit")
    assert response.status_code == 422
    assert "You do not meet the conditions of clauses 4 and 5" in response.text


def test_profile_sections_validate_inline_with_htmx_and_full_page_without(
    client: TestClient[Litestar],
) -> None:
    sign_in(client, TEST_CANDIDATES[4].sub)
    bad = {"email": "not-an-email", "phone": "12"}
    full = post(client, "/me/profile/contact?lang=en", bad)
    assert (
        full.status_code == 422 and "<!doctype html>" in full.text and "Enter an e-mail address" in full.text
    )
    partial = post(client, "/me/profile/contact?lang=en", bad, headers=HTMX_PARTIAL)
    assert partial.status_code == 422
    assert partial.text.lstrip().startswith('<section id="contact"') and "<html" not in partial.text
    good = post(
        client,
        "/me/profile/contact",
        {"email": "a@example.kz", "phone": "+7 701 000 00 00"},
        headers=HTMX_PARTIAL,
    )
    assert good.status_code == 200 and good.headers["hx-location"] == "/me/profile#contact"
    dates = post(
        client,
        "/me/profile/employment?lang=en",
        {
            "employer": "X",
            "position": "Y",
            "kind": "labour_contract",
            "start_date": "2020-01-01",
            "end_date": "2019-01-01",
        },
    )
    assert dates.status_code == 422 and "The end cannot be before the start." in dates.text


def test_apply_to_a_closed_selection_is_refused(client: TestClient[Litestar]) -> None:
    client.cookies.set("lang", "en")  # the message is written in the language of the refused request
    sign_in(client, TEST_CANDIDATES[5].sub)
    html = client.get("/astana/announcements?status=closed").text
    closed = re.findall(r"/astana/announcements/([0-9a-f-]{36})", html)[0]
    response = post(client, f"/astana/announcements/{closed}/apply")
    assert response.status_code == 303 and response.headers["location"].startswith("/astana/announcements/")
    assert "not being accepted now" in client.get(response.headers["location"] + "?lang=en").text


def test_csrf_less_upload_is_refused(client: TestClient[Litestar]) -> None:
    base = ready_application(client, TEST_CANDIDATES[6].sub)
    response = client.post(
        f"{base}/documents/id_copy", files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}
    )
    assert response.status_code == 403
