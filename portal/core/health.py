"""Liveness and readiness for the process manager and the load balancer."""

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.response import File
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from sqlalchemy.ext.asyncio import AsyncSession

from portal.core.access import PUBLIC
from portal.core.db import database_answers
from portal.core.static import STATIC_DIR

_NO_STORE = {"Cache-Control": "no-store"}


@get("/healthz", name="healthz", opt=PUBLIC, media_type="text/plain")
async def healthz() -> Response[str]:
    """The process is alive and serving; says nothing about its dependencies."""
    return Response("ok", headers=_NO_STORE)


@get("/readyz", name="readyz", opt=PUBLIC, media_type="text/plain")
async def readyz(db_session: NamedDependency[AsyncSession]) -> Response[str]:
    """Ready to take traffic: the database answers a query."""
    if await database_answers(db_session):
        return Response("ready", status_code=HTTP_200_OK, headers=_NO_STORE)
    return Response("database unavailable", status_code=HTTP_503_SERVICE_UNAVAILABLE, headers=_NO_STORE)


@get("/robots.txt", name="robots", opt=PUBLIC, media_type="text/plain")
async def robots() -> File:
    """Crawlers may read the public pages; robots.txt must live at the root, not under /static."""
    return File(STATIC_DIR / "robots.txt", content_disposition_type="inline")
