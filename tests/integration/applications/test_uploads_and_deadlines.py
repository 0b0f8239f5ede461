"""Bad documents, the deadline and double submission (issue 5, "Done when"): a clear message, no 500."""

import io
import re
from collections.abc import Iterator
from datetime import timedelta

import pikepdf
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from portal.app import create_app
from portal.core.clock import Clock
from portal.core.settings import Settings
from tests.conftest import FIXED_CLOCK, TEST_CANDIDATES, sign_in
from tests.integration.applications.journey import (
    choose_direction,
    fill_profile,
    open_selection,
    pdf_bytes,
    post,
    ready_application,
    start,
    upload,
)

TEN_MB = 10 * 1024 * 1024


def _encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(buffer, encryption=pikepdf.Encryption(owner="o", user="u"))
    return buffer.getvalue()


def _javascript_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


BAD_FILES = [
    ("renamed.exe.pdf", b"MZ\x90\x00" + b"\x00" * 200, "none of these, whatever its name"),
    ("big.pdf", b"%PDF-1.4\n" + b"0" * (TEN_MB + 1 - 9), "larger than 10 MB"),
    ("empty.pdf", b"", "The file is empty."),
    ("truncated.pdf", pdf_bytes()[:200], "damaged or incomplete"),
    ("locked.pdf", _encrypted_pdf(), "protected with a password"),
    ("script.pdf", _javascript_pdf(), "contains scripts"),
    ("broken.png", b"\x89PNG\r\n\x1a\x0b" + b"\x00" * 100, "none of these"),
]


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as test_client:
        yield test_client


@pytest.fixture
def draft(client: TestClient[Litestar]) -> str:
    assert sign_in(client, TEST_CANDIDATES[7].sub).status_code == 303
    fill_profile(client)
    base = start(client, "astana", open_selection(client, "astana"))
    choose_direction(client, base)
    return base


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_documents_are_refused_with_a_clear_message(
    client: TestClient[Litestar], draft: str, name: str, content: bytes, message: str
) -> None:
    response = upload(client, draft, "id_copy", content, name)
    assert response.status_code == 422, response.text[:300]  # type: ignore[attr-defined]
    assert message in response.text  # type: ignore[attr-defined]
    assert "Uploaded:" not in client.get(f"{draft}/documents/id_copy?lang=en").text


def _pdf_of_size(size: int) -> bytes:
    """A valid one-page PDF of exactly `size` bytes (its content stream is padded with spaces)."""

    def build(padding: int) -> bytes:
        pdf = pikepdf.new()
        pdf.add_blank_page()
        pdf.pages[0].Contents = pdf.make_stream(b" " * padding)
        buffer = io.BytesIO()
        pdf.save(buffer, compress_streams=False, deterministic_id=True)
        return buffer.getvalue()

    first = build(size // 2)
    second = build(size // 2 + size - len(first))
    return second if len(second) == size else build(size // 2 + size - len(first) + size - len(second))


def test_exactly_ten_megabytes_is_accepted_and_names_are_cleaned(
    client: TestClient[Litestar], draft: str
) -> None:
    padded = _pdf_of_size(TEN_MB)
    assert len(padded) == TEN_MB
    response = upload(client, draft, "id_copy", padded, "../../etc/\x07passwd.pdf")
    assert response.status_code == 303, response.text[:500]  # type: ignore[attr-defined]
    page = client.get(f"{draft}/documents/id_copy?lang=en").text
    name = re.search(r"Uploaded: ([^<·]+)", page)
    # The path is gone; the control character never reaches the page (the client may have escaped it).
    assert name and name.group(1).strip().endswith("passwd.pdf")
    assert "/" not in name.group(1) and ".." not in name.group(1) and "\x07" not in name.group(1)
    download = client.get(f"{draft}/documents/id_copy/file")
    assert download.status_code == 200 and download.content == padded
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"


def test_a_document_can_be_replaced_while_intake_is_open(client: TestClient[Litestar], draft: str) -> None:
    assert upload(client, draft, "education", pdf_bytes(), "first.pdf").status_code == 303  # type: ignore[attr-defined]
    assert upload(client, draft, "education", pdf_bytes(3), "second.pdf").status_code == 303  # type: ignore[attr-defined]
    page = client.get(f"{draft}/documents/education?lang=en").text
    assert "second.pdf" in page and "first.pdf" not in page


def test_submission_after_the_deadline_is_refused(app: Litestar, database: Settings) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        base = ready_application(client, TEST_CANDIDATES[8].sub)
        intake_end = re.search(r"– (\d+ \w+ \d{4})", client.get("/me/applications?lang=en").text)
        assert intake_end
        session = client.cookies["session"]
    # The same people and data, but the clock is past the last day of intake.
    late = create_app(database, clock=Clock(fixed_now=FIXED_CLOCK.now() + timedelta(days=60)))
    with TestClient(
        app=late, base_url="http://127.0.0.1", cookies={"session": session, "lang": "en"}
    ) as client:
        response = post(client, f"{base}/submit?lang=en")
        assert response.status_code == 422  # type: ignore[attr-defined]
        assert "not being accepted now" in response.text  # type: ignore[attr-defined]
        refused = upload(client, base, "id_copy", pdf_bytes(), "late.pdf")
        assert refused.status_code == 422  # type: ignore[attr-defined]


def test_double_submit_creates_one_application(client: TestClient[Litestar]) -> None:
    base = ready_application(client, TEST_CANDIDATES[9].sub)
    first = post(client, f"{base}/submit")
    second = post(client, f"{base}/submit")
    assert first.status_code == second.status_code == 303  # type: ignore[attr-defined]
    tracker = client.get("/me/applications").text
    assert len(set(re.findall(r"KZ-71-2025-\d{6}", tracker))) == 1
    # Applying again to the same selection returns the same application.
    selection = open_selection(client, "astana")
    assert post(client, f"/astana/announcements/{selection}/apply").headers["location"] == base  # type: ignore[attr-defined]


def test_clock_helper_is_sane() -> None:
    assert Clock(fixed_now=FIXED_CLOCK.now()).today() == FIXED_CLOCK.today()
