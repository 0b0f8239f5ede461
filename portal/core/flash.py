"""One-time messages shown on the next page (after a POST answered with 303), kept in the session."""

from typing import Any

from litestar import Request

FLASH = "_flash"


def flash(request: Request[Any, Any, Any], message: str, category: str = "success") -> None:
    messages = list(request.session.get(FLASH, []))
    messages.append({"message": message, "category": category})
    request.session[FLASH] = messages


def pop_flashes(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    """The pending messages, removed from the session (anonymous requests have none)."""
    session = request.scope.get("session")
    if not isinstance(session, dict) or FLASH not in session:
        return []
    messages: list[dict[str, str]] = session.pop(FLASH)
    return messages
