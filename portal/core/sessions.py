"""Server-side sessions: in the database by default, in Redis when configured.

Litestar's backend stores an empty session for every anonymous request and keeps the same id
across a login (stack-notes 1.7). This backend stores nothing until a session has data, and
issues a new id when a handler asks for one (at login: ASVS V7.2.4, no session fixation).
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore, StoreModelMixin
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import Store
from litestar.stores.redis import RedisStore
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

from portal.core.settings import Settings

_ROTATE = "portal.rotate_session"
SESSION_STORE = "sessions"


class SessionStoreItem(StoreModelMixin):
    """Rows of the database session store (advanced-alchemy's key/value store).

    One unique index on (key, namespace) on every database: the mixin's dialect-dependent
    constraint-or-index would not survive Alembic's comparison of models and migrations.
    """

    __tablename__ = "session_store"
    __table_args__ = (sa.Index("ix_session_store_key_namespace_unique", "key", "namespace", unique=True),)


def rotate_session(request: Request[Any, Any, Any]) -> None:
    """Ask for a new session id when this response is sent (call it at login)."""
    request.scope.setdefault("state", {})[_ROTATE] = True


class PortalSessionBackend(ServerSideSessionBackend):
    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        store = self.config.get_store_from_app(connection.scope["app"])
        incoming = connection.cookies.get(self.config.key)
        if incoming == "null":
            incoming = None
        if scope_session is Empty or not scope_session:
            if incoming:  # it existed and is now empty: end it everywhere
                await self.delete(incoming, store=store)
                self._set_cookie(message, "null", expires=0)
            return
        session_id = incoming or connection.get_session_id() or self.generate_session_id()
        if connection.scope.get("state", {}).get(_ROTATE):
            if incoming:
                await self.delete(incoming, store=store)
            session_id = self.generate_session_id()
        await self.set(session_id, self.serialize_data(scope_session, connection.scope), store=store)
        self._set_cookie(message, session_id)

    def _set_cookie(self, message: Message, value: str, expires: int | None = None) -> None:
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        if expires is not None:  # deletion: expire now, whatever the browser's clock says
            params["expires"], params["max_age"] = expires, 0
        cookie = Cookie(value=value, key=self.config.key, **params)
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


@dataclass
class PortalSessionConfig(ServerSideSessionConfig):
    _backend_class = PortalSessionBackend


def session_config(settings: Settings) -> PortalSessionConfig:
    """HttpOnly, SameSite=Lax (the OIDC callback is a top-level GET), Secure and __Host- in production.

    max_age is the idle timeout: every request with a session stores it again, which restarts the
    store's expiry; the absolute timeout is checked by the authentication middleware.
    """
    return PortalSessionConfig(
        key=f"{settings.cookie_prefix}session",
        max_age=settings.session_idle_minutes * 60,
        secure=settings.is_production,
        httponly=True,
        samesite="lax",
        store=SESSION_STORE,
        renew_on_access=True,
        exclude=["^/static/", "^/healthz$", "^/readyz$"],
    )


def session_store(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> Store:
    if settings.redis_url:
        return RedisStore.with_client(url=settings.redis_url, namespace="portal:sessions")
    return SQLAlchemyStore(alchemy, model=SessionStoreItem, namespace="portal")
