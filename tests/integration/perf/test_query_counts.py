"""SQL statements per request stay a small constant, whatever the length of a list (issue 9, no N+1).

Every statement the application's engine sends during one request is counted: the page's own
queries and those of the session store and of loading the signed-in principal. Each list is
measured twice with a different number of rows; the counts must be equal and under a ceiling.
The public page cache is off here: these are the costs of rendering a page (test_page_cache.py
shows that a stored page costs none).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from portal.core.pagecache import PublicPageCache
from tests.conftest import TEST_CANDIDATES, csrf_headers, sign_in
from tests.integration.applications.journey import open_selection

#: A candidate of its own (the others are taken by the journey tests).
CANDIDATE = TEST_CANDIDATES[39]
OFFICER = "tu-officer-dana"  # tu_officer in Astana (portal demo seed)
#: What a signed-in request costs before the page's own queries: the session read, and the user
#: with their role grants in one statement (the session is written back only when it changed or
#: once a minute: test_session_writes.py).
SIGNED_IN_OVERHEAD = 2


@pytest.fixture(autouse=True)
def no_page_cache(app: Litestar) -> Iterator[None]:
    layer: Any = app.asgi_handler
    while not isinstance(layer, PublicPageCache):
        layer = layer.app
    seconds, layer.seconds = layer.seconds, 0
    try:
        yield
    finally:
        layer.seconds = seconds


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(" ".join(statement.split())[:160])

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def counting(app: Litestar) -> Iterator[Counter]:
    engine = app.state.alchemy.get_engine().sync_engine
    counter = Counter()
    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)


def queries(app: Litestar, client: TestClient[Litestar], url: str) -> Counter:
    with counting(app) as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    return counter


def links(html: str, pattern: str) -> int:
    return len(re.findall(pattern, html))


def test_announcement_list_costs_the_same_for_ten_rows_and_for_one(
    app: Litestar, client: TestClient[Litestar]
) -> None:
    long_list = queries(app, client, "/akmola/announcements")  # 10 rows on page 1
    short_list = queries(app, client, "/akmola/announcements?page=2")  # 1 row
    filtered = queries(app, client, "/astana/announcements?status=open")
    # directions for the filter, count, page, texts, directions of the page
    assert len(long_list) == len(short_list) == len(filtered) <= 5, long_list.statements


def test_one_announcement_is_three_queries(app: Litestar, client: TestClient[Litestar]) -> None:
    html = client.get("/astana/announcements").text
    first = re.findall(r'href="(/astana/announcements/[0-9a-f-]{36})"', html)[0]
    counter = queries(app, client, first)
    assert len(counter) <= 3, counter.statements  # selection, text, directions


def test_region_home_is_two_lists_of_constant_cost(app: Litestar, client: TestClient[Litestar]) -> None:
    astana = queries(app, client, "/astana/")
    akmola = queries(app, client, "/akmola/")
    assert len(astana) == len(akmola) <= 8, astana.statements


def test_national_index_and_feed(app: Litestar, client: TestClient[Litestar]) -> None:
    assert len(queries(app, client, "/")) <= 1
    assert len(queries(app, client, "/announcements.atom")) <= 3


def test_my_applications_does_not_grow_with_the_number_of_applications(app: Litestar) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        assert sign_in(client, CANDIDATE.sub).status_code == 303
        counts = []
        for index in (0, 1):
            selection = open_selection(client, "astana", index)
            started = client.post(
                f"/astana/announcements/{selection}/apply",
                headers=csrf_headers(client),
                follow_redirects=False,
            )
            assert started.status_code == 303, started.text[:300]
            counter = queries(app, client, "/me/applications")
            assert (
                links(client.get("/me/applications").text, r'href="/me/applications/[0-9a-f-]{36}"')
                == index + 1
            )
            counts.append(counter)
    one, two = counts
    assert len(one) == len(two) <= SIGNED_IN_OVERHEAD + 1, two.statements  # one statement


def test_officer_list_is_a_count_and_a_page(app: Litestar) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        assert sign_in(client, OFFICER).status_code == 303
        everything = queries(app, client, "/astana/officer/applications")
        submitted = queries(app, client, "/astana/officer/applications?status=submitted&page=1")
        empty = queries(app, client, "/astana/officer/applications?status=enrolled")
    assert len(everything) == len(submitted) == len(empty) <= SIGNED_IN_OVERHEAD + 2, everything.statements
