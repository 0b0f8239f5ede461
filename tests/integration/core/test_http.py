"""Languages, caching, security headers, static files, health and error pages (issue 2, items 4, 5, 9)."""

import re

from litestar import Litestar, get
from litestar.testing import TestClient

from portal.core.access import PUBLIC
from portal.core.static import HTMX_FILE, HTMX_SRI, STATIC_DIR, sri


def test_kazakh_is_the_default_language(client: TestClient[Litestar]) -> None:
    assert '<html lang="kk">' in client.get("/").text


def test_accept_language_chooses_russian(client: TestClient[Litestar]) -> None:
    html = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}).text
    assert '<html lang="ru">' in html


def test_lang_query_wins_and_sets_the_cookie_for_later_pages(client: TestClient[Litestar]) -> None:
    response = client.get("/?lang=en", headers={"Accept-Language": "ru"})
    assert '<html lang="en">' in response.text
    assert client.cookies.get("lang") == "en"
    # The cookie, not Accept-Language, decides the next page.
    assert '<html lang="en">' in client.get("/abai/", headers={"Accept-Language": "ru"}).text
    assert '<html lang="kk">' in client.get("/abai/?lang=kk").text


def test_unsupported_language_falls_back_to_kazakh(client: TestClient[Litestar]) -> None:
    assert '<html lang="kk">' in client.get("/?lang=de", headers={"Accept-Language": "de"}).text


def test_language_switcher_keeps_the_page_and_its_filters(client: TestClient[Litestar]) -> None:
    html = client.get("/abai/announcements?status=open").text
    assert 'href="/abai/announcements?status=open&amp;lang=ru"' in html
    assert 'hx-boost="false"' in html  # a language change reloads <html lang>


def test_dates_are_formatted_per_language(client: TestClient[Litestar]) -> None:
    months = {"kk": "ақпан|наурыз|қаңтар", "ru": "февраля|марта|января", "en": "February|March|January"}
    for language, pattern in months.items():
        html = client.get(f"/abai/announcements?lang={language}").text
        assert re.search(pattern, html), language


def test_public_pages_carry_etag_and_answer_304(client: TestClient[Litestar]) -> None:
    first = client.get("/abai/announcements")
    etag = first.headers["etag"]
    assert "Accept-Language" in first.headers["vary"] and "Cookie" in first.headers["vary"]
    again = client.get("/abai/announcements", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_security_headers_on_pages_and_errors(client: TestClient[Litestar]) -> None:
    for response in (client.get("/"), client.get("/no/such/page")):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
        assert response.headers["x-request-id"]


def test_no_inline_scripts_or_styles_in_pages(client: TestClient[Litestar]) -> None:
    html = client.get("/abai/announcements").text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html and " style=" not in html


def test_htmx_is_vendored_with_a_pinned_integrity_hash(client: TestClient[Litestar]) -> None:
    assert sri(STATIC_DIR / HTMX_FILE) == HTMX_SRI
    html = client.get("/").text
    match = re.search(
        r'<script src="(/static/vendor/htmx-4\.0\.1\.min\.js\?v=\w+)" integrity="([^"]+)"', html
    )
    assert match and match.group(2) == HTMX_SRI
    assert client.get(match.group(1)).status_code == 200


def test_static_urls_are_content_hashed_and_cached_long(client: TestClient[Litestar]) -> None:
    css = re.search(r'href="(/static/css/portal\.css\?v=[0-9a-f]{12})"', client.get("/").text)
    assert css
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["cache-control"]


def test_healthz_and_readyz(client: TestClient[Litestar]) -> None:
    assert client.get("/healthz").text == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.text == "ready"


def test_404_page_is_translated(client: TestClient[Litestar]) -> None:
    for language, title in {
        "kk": "Бет табылмады",
        "ru": "Страница не найдена",
        "en": "Page not found",
    }.items():
        response = client.get(f"/no/such/page?lang={language}")
        assert response.status_code == 404
        assert title in response.text


def test_500_is_an_html_page_without_a_stack_trace(app: Litestar) -> None:
    @get("/boom-for-test", name="boom", opt=PUBLIC)
    async def boom() -> None:
        raise RuntimeError("secret internals 900515301234")

    app.register(boom)
    with TestClient(app=app) as client:
        response = client.get("/boom-for-test?lang=en")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Traceback" not in response.text and "secret internals" not in response.text


def test_405_is_an_html_page(client: TestClient[Litestar]) -> None:
    response = client.post("/abai/announcements")
    assert response.status_code in {403, 405}
    assert "text/html" in response.headers["content-type"]
