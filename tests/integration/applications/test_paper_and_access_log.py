"""Paper and e-mail applications registered by the territorial unit (cl. 8); who looked at my file."""

import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import TEST_CANDIDATES, csrf_headers, sign_in
from tests.integration.applications.journey import SLOTS, open_selection, pdf_bytes, post, ready_application

PERSON = TEST_CANDIDATES[12]


@pytest.fixture
def officer(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as client:
        sign_in(client, "tu-officer-dana")
        yield client


def _register(officer: TestClient[Litestar], selection: str, **changes: str) -> object:
    data = {
        "selection_id": selection,
        "iin": PERSON.iin,
        "iin_confirm": PERSON.iin,
        "family_name": PERSON.family_name,
        "given_name": PERSON.given_name,
        "patronymic": "",
        "channel": "paper",
        "received_on": "2025-02-19",
        "direction": "",
        "_csrf_token": csrf_headers(officer)["x-csrftoken"],
    } | changes
    files = {slot: (f"{slot}.pdf", pdf_bytes(), "application/pdf") for slot in SLOTS}
    return officer.post("/astana/officer/applications/new", data=data, files=files, follow_redirects=False)


def test_a_paper_application_appears_for_the_candidate_after_sign_in(
    app: Litestar, officer: TestClient[Litestar]
) -> None:
    selection = open_selection(officer, "astana")
    mistyped = _register(officer, selection, iin_confirm=PERSON.iin[:-1] + "0")
    assert mistyped.status_code == 422 and "The two IINs do not match" in mistyped.text  # type: ignore[attr-defined]
    late = _register(officer, selection, received_on="2024-01-01")
    assert late.status_code == 422 and "during document intake" in late.text  # type: ignore[attr-defined]
    response = _register(officer, selection)
    assert response.status_code == 303, response.text[:500]  # type: ignore[attr-defined]
    view = officer.get(response.headers["location"]).text  # type: ignore[attr-defined]
    reference = re.search(r"KZ-71-2025-\d{6}", view)
    assert reference and PERSON.iin not in view
    again = _register(officer, selection)
    assert again.status_code == 422 and "already has an application" in again.text  # type: ignore[attr-defined]
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as candidate:
        sign_in(candidate, PERSON.sub)
        tracker = candidate.get("/me/applications").text
        assert reference.group(0) in tracker


def test_the_candidate_sees_who_opened_the_file(app: Litestar, officer: TestClient[Litestar]) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as candidate:
        base = ready_application(candidate, TEST_CANDIDATES[13].sub)
        assert post(candidate, f"{base}/submit").status_code == 303  # type: ignore[attr-defined]
        assert "No official has opened your application yet." in candidate.get(base).text
        application_id = base.rsplit("/", 1)[1]
        assert officer.get(f"/astana/officer/applications/{application_id}").status_code == 200
        assert (
            officer.get(f"/astana/officer/applications/{application_id}/documents/id_copy").status_code == 200
        )
        # Another region's territorial unit cannot open it.
        assert officer.get(f"/karaganda/officer/applications/{application_id}").status_code == 404
        page = candidate.get(base).text
        assert page.count("Жақыпова Дана") == 2  # the file and one document
        assert "(a document)" in page


def test_officers_list_shows_submitted_applications_with_masked_iins(officer: TestClient[Litestar]) -> None:
    html = officer.get("/astana/officer/applications?status=submitted").text
    assert "applications found" in html
    # a UUID's last group is 12 hex digits, all decimal now and then: not an IIN
    without_ids = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)
    for iin in re.findall(r"\b\d{12}\b", without_ids):
        pytest.fail(f"a whole IIN on the officer's list: {iin[:4]}…")
    assert officer.get("/astana/officer/applications?status=bogus").status_code == 400
