"""Answers shared by form handlers: after a successful POST, go elsewhere the right way.

A plain form gets 303 (Post/Redirect/Get). A targeted htmx form (one that swaps a fragment)
gets HX-Location, so htmx loads the next page instead of swapping it into the fragment.
"""

from typing import Any

from litestar import Request, Response
from litestar.response import Redirect

from portal.core.htmx import wants_partial

NO_STORE = {"Cache-Control": "no-store"}


def go_to(request: Request[Any, Any, Any], url: str) -> Response[Any]:
    if wants_partial(request):
        return Response(b"", status_code=200, headers={"HX-Location": url, **NO_STORE})
    return Redirect(url, status_code=303, headers=NO_STORE)
