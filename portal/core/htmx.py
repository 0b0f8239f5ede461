"""htmx 4 without litestar-htmx's htmx-2 assumptions (stack-notes 1.6 and 4.3).

One question matters to a handler: does the client want the whole page or only a fragment?
htmx 4 says so in HX-Request-Type; boosted navigation and history restores ask for "full".
"""

from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.response import Template

VARY_HEADERS = {"Vary": "Accept-Language, Cookie, HX-Request, HX-Request-Type"}


def wants_partial(request: Request[Any, Any, Any]) -> bool:
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-request-type") == "partial"


def page_or_partial(
    request: Request[Any, Any, Any],
    page: str,
    partial: str,
    context: Mapping[str, Any],
    status_code: int = 200,
) -> Template:
    """Render the fragment for an htmx partial request, the full page otherwise (same context)."""
    return Template(
        template_name=partial if wants_partial(request) else page,
        context=dict(context),
        status_code=status_code,
        headers=VARY_HEADERS,
    )
