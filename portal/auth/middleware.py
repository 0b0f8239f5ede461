"""Who is asking: the principal of the session (or None), loaded once per request.

Runs after the session middleware on every route, so public pages know a signed-in reader too.
It also enforces the absolute session lifetime (ASVS V7.3.2): the idle one is the store's expiry.
The principal is read through the request's own database session (the one handlers get as
`db_session`, closed after the response), so a signed-in request checks out one connection, not two.
"""

import time
import uuid
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from portal.auth.services import load_principal

SESSION_USER = "uid"
SESSION_LOGIN_AT = "login_at"


class AuthenticationMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = None
        raw = scope.get("session")
        session: dict[str, Any] = raw if isinstance(raw, dict) else {}
        user_id = session.get(SESSION_USER)
        if user_id:
            app = scope["app"]
            settings = app.state.settings
            too_old = (
                time.time() - float(session.get(SESSION_LOGIN_AT, 0)) > settings.session_absolute_hours * 3600
            )
            principal = None
            if not too_old:
                db = app.state.alchemy.provide_session(app.state, scope)
                principal = await load_principal(db, uuid.UUID(user_id), app.state.clock.today())
            if principal is None:
                scope["session"] = {}  # expired or deactivated: end the session
            scope["user"] = principal
        await next_app(scope, receive, send)
