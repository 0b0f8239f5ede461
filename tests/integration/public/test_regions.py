"""The national index and the 20 region home pages (issue 2: tenants, languages)."""

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from portal.tenancy.registry import TenantKind, load_tenants
from tests.conftest import REPO_TENANTS

REGISTRY = load_tenants(REPO_TENANTS)
ALL_SLUGS = [t.slug for t in REGISTRY.all()]


def test_index_lists_all_20_regions_grouped_capital_cities_oblasts(client: TestClient[Litestar]) -> None:
    html = client.get("/").text
    positions = [html.index(t.name.kk) for t in REGISTRY.all()]
    assert len(positions) == 20
    assert positions == sorted(positions), "capital, then cities of republican significance, then oblasts"
    astana = REGISTRY.by_slug("astana")
    assert astana is not None and astana.kind == TenantKind.CAPITAL
    assert html.index("Астана қаласы") < html.index("Алматы қаласы") < html.index("Абай облысы")


def test_index_shows_open_selection_counts(client: TestClient[Litestar]) -> None:
    html = client.get("/?lang=en").text
    # Every region has one selection open; every third region (by registry order) has two.
    assert html.count("selections open") == 7
    assert html.count("1 selection open") == 13


@pytest.mark.parametrize("slug", ALL_SLUGS)
def test_every_region_home_is_served_in_three_languages(client: TestClient[Litestar], slug: str) -> None:
    tenant = REGISTRY.by_slug(slug)
    assert tenant is not None
    for language in ("kk", "ru", "en"):
        response = client.get(f"/{slug}/?lang={language}")
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.text
        assert tenant.name.get(language) in response.text
        assert tenant.territorial_unit.email in response.text


def test_almaty_city_and_almaty_region_never_mix(client: TestClient[Litestar]) -> None:
    city = client.get("/almaty/announcements").text
    region = client.get("/almaty-region/announcements").text
    assert "Алматы қаласының" in city and "Алматы облысының" not in city
    assert "Алматы облысының" in region and "Алматы қаласының" not in region
    city_links, region_links = (
        set(re.findall(r"/almaty/announcements/[0-9a-f-]{36}", city)),
        set(re.findall(r"/almaty-region/announcements/[0-9a-f-]{36}", region)),
    )
    assert city_links and region_links
    assert not {link.rsplit("/", 1)[1] for link in city_links} & {
        link.rsplit("/", 1)[1] for link in region_links
    }


def test_unknown_region_is_a_404_page_in_the_request_language(client: TestClient[Litestar]) -> None:
    response = client.get("/atlantis/", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert response.status_code == 404
    assert '<html lang="ru">' in response.text
    assert "Страница не найдена" in response.text


def test_transliteration_alias_redirects_to_the_canonical_slug(client: TestClient[Litestar]) -> None:
    response = client.get("/jambyl/announcements?status=open", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "/zhambyl/announcements?status=open"


def test_region_home_lists_open_and_upcoming_selections(client: TestClient[Litestar]) -> None:
    html = client.get("/abai/?lang=en").text
    assert "Open for applications" in html
    assert "Upcoming selections" in html
    links = re.findall(r'href="/abai/announcements/[0-9a-f-]{36}"', html)
    assert len(links) >= 2
