"""The delivery loop: in the web process for `make run` (an app lifespan), alone as `portal worker`.

Several loops may run against one database (several workers, or a web process and a worker):
deliver_due claims rows so that each message is sent by one of them.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import structlog
from litestar import Litestar
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from portal.core.background import beside_the_app, until_signalled
from portal.core.clock import Clock
from portal.core.db import install_sqlite_pragmas
from portal.core.logging import configure_logging
from portal.core.settings import Settings
from portal.notifications.config import mail_settings
from portal.notifications.mailer import Mailer, mailer_from_settings
from portal.notifications.services import deliver_due

_log = structlog.get_logger("portal.notifications")
BATCH = 50
#: How long stopping waits for a round in progress before cancelling it.


async def run_delivery_loop(
    settings: Settings,
    *,
    stop: anyio.Event,
    interval: float | None = None,
    mailer: Mailer | None = None,
    clock: Clock | None = None,
    batch: int = BATCH,
) -> None:
    """Deliver due messages every `interval` seconds (PORTAL_MAIL_DELIVERY_INTERVAL_SECONDS) until `stop`.

    A full batch is followed by the next round at once. A round that fails (database away, a bug) is
    logged and the loop goes on; the messages it held are retried when their claim lapses.
    """
    config = mail_settings(settings)
    wait = config.interval_seconds if interval is None else interval
    mailer = mailer or mailer_from_settings(settings)
    clock = clock or Clock(settings.timezone)
    # hide_parameters: an error message must not carry addresses or message bodies into the log.
    engine = create_async_engine(settings.database_url, hide_parameters=True, pool_pre_ping=True)
    install_sqlite_pragmas(engine)
    factory = async_sessionmaker(engine, expire_on_commit=False)
    _log.info("mail delivery started", mailer=type(mailer).__name__, interval=wait)
    try:
        while not stop.is_set():
            full = False
            try:
                report = await deliver_due(
                    factory, mailer, now=clock.now(), sender=config.mail_from, batch=batch
                )
            except Exception:
                _log.exception("mail delivery round failed")
            else:
                full = report.claimed >= batch
                if report.claimed or report.dead:
                    _log.info(
                        "mail delivery round",
                        claimed=report.claimed,
                        sent=report.sent,
                        retried=report.retried,
                        dead=report.dead,
                        released=report.released,
                    )
            if not full:
                with anyio.move_on_after(wait):
                    await stop.wait()
    finally:
        await engine.dispose()
        _log.info("mail delivery stopped")


@asynccontextmanager
async def delivery_lifespan(app: Litestar) -> AsyncIterator[None]:
    """Litestar lifespan: run the loop beside the web app when mail is delivered in-process (dev)."""
    settings: Settings = app.state.settings
    if not mail_settings(settings).in_process:
        yield
        return
    clock = app.state.get("clock")
    async with beside_the_app(lambda stop: run_delivery_loop(settings, stop=stop, clock=clock)):
        yield


async def serve_worker(settings: Settings) -> None:
    """`portal worker` with mail delivery only: until SIGINT or SIGTERM; the round finishes first."""
    configure_logging(settings)
    await until_signalled(lambda stop: run_delivery_loop(settings, stop=stop), name="mail delivery")


__all__ = ["delivery_lifespan", "run_delivery_loop", "serve_worker"]
