"""Server-side sessions: in the database by default, in Redis when configured.

Litestar's backend stores an empty session for every anonymous request and keeps the same id
across a login (stack-notes 1.7). This backend stores nothing until a session has data, and
issues a new id when a handler asks for one (at login: ASVS V7.2.4, no session fixation).

Litestar's `renew_on_access` writes a session twice per request (the read renews its expiry, the
response stores it again). Here a request only reads it; the response writes it back when its
data changed, its id is rotated, or its last write is more than `RENEW_AFTER` seconds old, so a
signed-in reader costs one write a minute, not two per page (issue 9). The idle timeout is then
exact to within that minute.

With the database store, the read goes through the request's own database session (the one the
principal and the handler use): the store's `get` opens a session, a connection and a transaction
of its own, which cost four times the statement itself (2.9 ms against 0.7 ms on SQLite, issue 9).
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
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
_LOADED = "portal.session_loaded"  # scope state: (the session as read, serialised; when it was written)
WRITTEN_AT = "_written"  # in the stored session only, never in the request's session dict
RENEW_AFTER = 60  # seconds
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


async def finish_request_transaction(message: Message, scope: Any) -> None:
    """Commit (2xx/3xx) or roll back, and close, the request's database session now.

    advanced-alchemy's before-send handler does the same a moment later, after every middleware's
    send wrapper; but the session store needs a connection of its own while the request still held
    one (the pool ran dry under load: each request waited for a second connection) and, on SQLite,
    the write lock the request's transaction may hold. Once done here, the later call finds nothing.
    """
    alchemy = scope["app"].state.get("alchemy")
    handler = getattr(alchemy, "before_send_handler", None)
    if callable(handler):
        await handler(message, scope)


_READ = sa.select(SessionStoreItem.value).where(
    SessionStoreItem.key == sa.bindparam("key"),
    SessionStoreItem.namespace == sa.bindparam("namespace"),
    sa.or_(SessionStoreItem.expires_at.is_(None), SessionStoreItem.expires_at > sa.bindparam("now")),
)


class PortalSessionBackend(ServerSideSessionBackend):
    async def get(self, session_id: str, store: Store) -> bytes | None:
        """Read only: the expiry is renewed by `store_in_message` when due."""
        return await store.get(session_id)

    async def _read(self, session_id: str, connection: ASGIConnection[Any, Any, Any, Any]) -> bytes | None:
        app = connection.scope["app"]
        store = self.config.get_store_from_app(app)
        if not isinstance(store, SQLAlchemyStore):
            return await self.get(session_id, store)
        db = app.state.alchemy.provide_session(app.state, connection.scope)
        now = datetime.now(UTC)
        params = {"key": session_id, "namespace": store.namespace, "now": now}
        value = (await db.execute(_READ, params)).scalar_one_or_none()
        return bytes(value) if value else None

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        session_id = connection.cookies.get(self.config.key)
        raw = await self._read(session_id, connection) if session_id and session_id != "null" else None
        data: dict[str, Any] = self.deserialize_data(raw) if raw is not None else {}
        written = data.pop(WRITTEN_AT, None)
        loaded = (self.serialize_data(data, connection.scope), written) if data else None
        connection.scope.setdefault("state", {})[_LOADED] = loaded
        return data

    def _still_current(
        self, scope_session: ScopeSession, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> bool:
        """The stored copy holds this data and was written less than RENEW_AFTER seconds ago."""
        loaded = connection.scope.get("state", {}).get(_LOADED)
        if loaded is None:
            return False
        payload, written = loaded
        renew_after = min(RENEW_AFTER, self.config.max_age // 10)
        return (
            isinstance(written, int | float)
            and time.time() - written < renew_after
            and self.serialize_data(scope_session, connection.scope) == payload
        )

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        store = self.config.get_store_from_app(connection.scope["app"])
        incoming = connection.cookies.get(self.config.key)
        if incoming == "null":
            incoming = None
        if scope_session is Empty or not scope_session:
            if incoming:  # it existed and is now empty: end it everywhere
                await finish_request_transaction(message, connection.scope)
                await self.delete(incoming, store=store)
                self._set_cookie(message, "null", expires=0)
            return
        rotate = connection.scope.get("state", {}).get(_ROTATE)
        if incoming and not rotate and self._still_current(scope_session, connection):
            return  # the stored session and the cookie are both still current
        await finish_request_transaction(message, connection.scope)
        session_id = incoming or connection.get_session_id() or self.generate_session_id()
        if rotate:
            if incoming:
                await self.delete(incoming, store=store)
            session_id = self.generate_session_id()
        stored = (
            {**scope_session, WRITTEN_AT: int(time.time())}
            if isinstance(scope_session, dict)
            else scope_session
        )
        await self.set(session_id, self.serialize_data(stored, connection.scope), store=store)
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

    max_age is the idle timeout: a request stores the session again (restarting the store's expiry
    and the cookie's) when it changed or was written more than RENEW_AFTER seconds ago;
    the absolute timeout is checked by the authentication middleware.
    """
    return PortalSessionConfig(
        key=f"{settings.cookie_prefix}session",
        max_age=settings.session_idle_minutes * 60,
        secure=settings.is_production,
        httponly=True,
        samesite="lax",
        store=SESSION_STORE,
        exclude=["^/static/", "^/healthz$", "^/readyz$"],
    )


def session_store(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> Store:
    if settings.redis_url:
        return RedisStore.with_client(url=settings.redis_url, namespace="portal:sessions")
    return SQLAlchemyStore(alchemy, model=SessionStoreItem, namespace="portal")
