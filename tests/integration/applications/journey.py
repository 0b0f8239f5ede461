"""Steps of the candidate's journey through HTTP, shared by the integration tests."""

import io
import re

import pikepdf
from litestar import Litestar
from litestar.testing import TestClient
from PIL import Image

from tests.conftest import csrf_headers, sign_in

HTMX_PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
SLOTS = ("id_copy", "application_form", "education", "employment")


def pdf_bytes(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="JPEG")
    return buffer.getvalue()


def post(
    client: TestClient[Litestar], url: str, data: dict[str, str] | None = None, **kwargs: object
) -> object:
    headers = csrf_headers(client) | dict(kwargs.pop("headers", {}) or {})  # type: ignore[arg-type]
    return client.post(url, data=data or {}, headers=headers, follow_redirects=False, **kwargs)  # type: ignore[arg-type]


def fill_profile(client: TestClient[Litestar], *, email: str = "candidate@example.kz") -> None:
    for url, data in (
        ("/me/profile/contact", {"email": email, "phone": "+7 701 123 45 67"}),
        ("/me/profile/declarations", {"kz_citizen": "yes", "other_citizenship": ""}),
        (
            "/me/profile/education",
            {
                "level": "bachelor",
                "institution": "Л. Н. Гумилев атындағы ЕҰУ",
                "country": "KZ",
                "start_date": "2013-09-01",
                "end_date": "2017-06-30",
                "diploma_number": "ЖБ-Б 0012345",
            },
        ),
        (
            "/me/profile/employment",
            {
                "employer": "Астана қаласы әкімдігі",
                "position": "маман",
                "sector": "public",
                "kind": "labour_contract",
                "start_date": "2017-08-01",
                "end_date": "",
            },
        ),
    ):
        response = post(client, url, data)
        assert response.status_code == 303, (url, response.text[:500])  # type: ignore[attr-defined]


def open_selection(client: TestClient[Litestar], region: str, index: int = 0) -> str:
    html = client.get(f"/{region}/announcements?status=open").text
    return re.findall(rf"/{region}/announcements/([0-9a-f-]{{36}})", html)[index]


def start(client: TestClient[Litestar], region: str, selection_id: str) -> str:
    response = post(client, f"/{region}/announcements/{selection_id}/apply")
    assert response.status_code == 303, response.text[:500]  # type: ignore[attr-defined]
    location: str = response.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(r"/me/applications/[0-9a-f-]{36}", location), location
    return location


def choose_direction(client: TestClient[Litestar], base: str) -> None:
    page = client.get(f"{base}/direction").text
    codes = re.findall(r'name="direction" value="([a-z_]+)"', page)
    if codes:
        assert post(client, f"{base}/direction", {"direction": codes[0]}).status_code == 303  # type: ignore[attr-defined]


def upload(client: TestClient[Litestar], base: str, slot: str, content: bytes, name: str) -> object:
    return client.post(
        f"{base}/documents/{slot}",
        files={"file": (name, content, "application/octet-stream")},
        data={"_csrf_token": csrf_headers(client)["x-csrftoken"]},
        follow_redirects=False,
    )


def upload_all(client: TestClient[Litestar], base: str) -> None:
    files = (pdf_bytes(), pdf_bytes(2), jpeg_bytes(), png_bytes())
    for slot, content, name in zip(
        SLOTS, files, ("id.pdf", "өтініш.pdf", "diploma.jpg", "work.png"), strict=True
    ):
        response = upload(client, base, slot, content, name)
        assert response.status_code == 303, response.text[:800]  # type: ignore[attr-defined]


def consent(client: TestClient[Litestar], base: str) -> None:
    assert post(client, f"{base}/consent", {"version": "2026-01", "agree": "yes"}).status_code == 303  # type: ignore[attr-defined]


def ready_application(client: TestClient[Litestar], sub: str, region: str = "astana", index: int = 0) -> str:
    """Sign in, fill the profile, start and complete an application (not submitted). Returns its URL."""
    assert sign_in(client, sub).status_code == 303
    fill_profile(client)
    base = start(client, region, open_selection(client, region, index))
    choose_direction(client, base)
    upload_all(client, base)
    consent(client, base)
    return base
