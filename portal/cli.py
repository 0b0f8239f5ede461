"""The `portal` command: migrations, tenants, demo data, audit verification, serving."""

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import click

from portal.core.settings import get_settings

ACTOR = "cli"


def _run[T](work: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
    return asyncio.run(work(*args))


@click.group()
def main() -> None:
    """Regional Personnel Reserve Portal."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from portal.core.migrate import upgrade

    upgrade(get_settings(), revision)
    click.echo(f"database at {revision}")


@main.group()
def tenants() -> None:
    """The 20 regional tenants (tenants/*.toml)."""


@tenants.command("sync")
def tenants_sync() -> None:
    """Upsert the tenant table from tenants/*.toml (audited)."""
    from portal.core.db import session_scope
    from portal.tenancy.registry import load_tenants
    from portal.tenancy.services import sync_tenants

    settings = get_settings()
    registry = load_tenants(settings.tenants_dir)

    async def work() -> None:
        async with session_scope(settings) as session:
            report = await sync_tenants(session, registry, ACTOR)
        click.echo(
            f"tenants: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged"
        )

    _run(work)


@tenants.command("list")
def tenants_list() -> None:
    """Print the tenants as the registry loads them."""
    from portal.tenancy.registry import load_tenants

    for tenant in load_tenants(get_settings().tenants_dir).all():
        click.echo(f"{tenant.code}\t{tenant.slug}\t{tenant.kind}\t{tenant.name.en}")


@main.group()
def demo() -> None:
    """Demonstration data."""


@demo.command("seed")
def demo_seed() -> None:
    """Seed sector directions and sample selections for every tenant (idempotent)."""
    from portal.core.clock import Clock
    from portal.core.db import session_scope
    from portal.demo.seed import seed_demo
    from portal.tenancy.registry import load_tenants

    settings = get_settings()
    registry = load_tenants(settings.tenants_dir)

    async def work() -> None:
        async with session_scope(settings) as session:
            created = await seed_demo(session, registry, Clock(settings.timezone).today(), ACTOR)
        click.echo(f"demo: {created} selections created")

    _run(work)


@main.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Walk the chain; exit 1 naming the first broken event."""
    from portal.core.audit import verify_chain
    from portal.core.db import session_scope

    async def work() -> None:
        async with session_scope(get_settings()) as session:
            report = await verify_chain(session)
        if report.ok:
            click.echo(f"audit chain intact: {report.checked} events")
            return
        click.echo(f"audit chain broken at event {report.broken_seq}: {report.reason}", err=True)
        sys.exit(1)

    _run(work)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Use 1 with SQLite.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the portal with uvicorn."""
    import uvicorn

    uvicorn.run(
        "portal.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        access_log=False,
        proxy_headers=True,
        log_config=None,
    )
