"""Error pages in the request's language: HTML for browsers and htmx alike, never a stack trace."""

from typing import Any
from urllib.parse import urlencode

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from portal.i18n import N_

_log = structlog.get_logger("portal.errors")

#: status -> (title, explanation); translated when rendered.
MESSAGES: dict[int, tuple[str, str]] = {
    400: (N_("The request is not valid"), N_("Check the address or the values you entered and try again.")),
    401: (N_("Sign in to continue"), N_("This action needs you to sign in first.")),
    403: (N_("Access denied"), N_("You do not have permission to open this page.")),
    404: (N_("Page not found"), N_("The address may be mistyped, or the page may have been moved.")),
    405: (N_("Action not allowed"), N_("This page cannot be used this way.")),
    413: (N_("The upload is too large"), N_("Make the file smaller and try again.")),
    422: (N_("Check your answers"), N_("Some of the information you entered is not valid.")),
    429: (N_("Too many requests"), N_("Wait a minute and try again.")),
    500: (N_("Something went wrong"), N_("The error has been recorded. Try again later.")),
    503: (N_("The service is temporarily unavailable"), N_("Try again in a few minutes.")),
}


def error_page(status_code: int, detail: str | None = None) -> Template:
    title, explanation = MESSAGES.get(status_code, MESSAGES[500 if status_code >= 500 else 400])
    return Template(
        template_name="errors/error.html",
        context={"status_code": status_code, "title": title, "explanation": explanation, "detail": detail},
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )


def http_exception_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    # Litestar's own details (validation internals, route names) are not for the public;
    # a handler that wants to explain itself raises PageError with a translated message.
    detail = exc.detail if isinstance(exc, PageError) else None
    return error_page(exc.status_code, detail)


SIGN_IN = "/auth/login"


def not_signed_in_handler(request: Request[Any, Any, Any], _: NotAuthorizedException) -> Response[Any]:
    """A page that needs a signed-in person: send a browser to sign in and back; refuse anything else."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"{SIGN_IN}?{urlencode({'next': target})}"
    if request.method == "GET":
        if request.headers.get("hx-request") == "true":
            return Response(
                b"", status_code=200, headers={"HX-Redirect": location, "Cache-Control": "no-store"}
            )
        return Redirect(location, status_code=303, headers={"Cache-Control": "no-store"})
    return error_page(401)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    _log.exception("unhandled error", path=request.url.path, error=type(exc).__name__)
    return error_page(HTTP_500_INTERNAL_SERVER_ERROR)


class PageError(HTTPException):
    """An HTTP error whose detail is a message written for the reader (already translated)."""


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    HTTPException: http_exception_handler,
    NotAuthorizedException: not_signed_in_handler,
    Exception: internal_error_handler,
}
