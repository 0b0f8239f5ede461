"""How an invited observer passes the route guard (cl. 12; docs/decisions/observer-access.md).

The observer pages declare `requires(Permission.WATCH_INTERVIEW)`, a permission of Role.OBSERVER
only. Nobody is granted that role by an invitation: this middleware, mounted on the observer
routes alone, looks for a live invitation of the signed-in person's IIN to the selection in the
URL (portal.selections.observers.live_invitation: same region, not revoked, selection at the
interview stage) and, when there is one, adds an observer grant in that region to the principal
of this one request. Nothing is stored, so the access ends with the stage or the revocation, and
no other route (officer pages, documents) ever sees the grant. Without an invitation nothing is
added and the guard refuses (fail closed).
"""

import uuid
from dataclasses import replace
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from portal.auth.policies import Grant, Principal
from portal.auth.roles import Role
from portal.selections.observers import live_invitation


def _selection_id(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class InvitedObserver(ASGIMiddleware):
    """Route middleware of the observer pages: a live invitation is an observer grant for this request."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        principal = scope.get("user")
        params: dict[str, Any] = scope.get("path_params") or {}
        app = scope["app"]
        tenant = app.state.registry.by_slug(str(params.get("tenant_slug", "")))
        selection_id = _selection_id(params.get("selection_id"))
        if isinstance(principal, Principal) and tenant is not None and selection_id is not None:
            async with app.state.alchemy.get_session() as db:
                invitation = await live_invitation(db, tenant.code, selection_id, principal.iin)
            if invitation is not None:
                scope["user"] = replace(
                    principal, grants=principal.grants | {Grant(Role.OBSERVER, tenant.code)}
                )
        await next_app(scope, receive, send)
