"""The open-redirect guard of sign-in (ASVS V3.7.2) and the client address behind proxies (B.4)."""

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.auth.forms import DEFAULT_NEXT, safe_next
from portal.core.ratelimit import client_address


@pytest.mark.parametrize(
    "path", ["/me", "/astana/", "/astana/announcements?status=open&page=2", "/rules#cl-7"]
)
def test_same_site_paths_are_kept(path: str) -> None:
    assert safe_next(path) == path


@pytest.mark.parametrize(
    "evil",
    [
        None,
        "",
        "me",
        "https://evil.example",
        "//evil.example",
        "/\\evil",
        "/%2f%2fevil.example",
        "/%5Cevil",
        "\\\\evil",
        "http:/evil",
        "/ok\nx",
        "/" + "a" * 600,
    ],
)
def test_anything_else_goes_to_me(evil: str | None) -> None:
    assert safe_next(evil) == DEFAULT_NEXT


@given(st.text(max_size=80))
def test_the_result_is_always_a_local_path(value: str) -> None:
    result = safe_next(value)
    assert result.startswith("/") and not result.startswith("//") and "\\" not in result


def _connection(peer: str, forwarded: str | None = None) -> Any:
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return SimpleNamespace(client=SimpleNamespace(host=peer), headers=headers)


def test_forwarded_for_is_ignored_from_an_untrusted_peer() -> None:
    assert client_address(_connection("203.0.113.9", "198.51.100.1"), ()) == "203.0.113.9"


def test_forwarded_for_is_read_from_the_right_behind_a_trusted_proxy() -> None:
    # The client may forge the leftmost entries; the proxy appends the real one on the right.
    connection = _connection("127.0.0.1", "6.6.6.6, 198.51.100.7")
    assert client_address(connection, ("127.0.0.1",)) == "198.51.100.7"


def test_garbage_forwarded_for_falls_back_to_the_peer() -> None:
    assert client_address(_connection("127.0.0.1", "not-an-ip"), ("127.0.0.1",)) == "127.0.0.1"
