"""The `portal` command: migrations, tenants, demo data, audit verification, serving."""

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import click

from portal.bench.cli import bench
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
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: every head)."""
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
    """Seed sector directions, sample selections and the demo officials' roles (idempotent)."""
    from portal.core.clock import Clock
    from portal.core.db import session_scope
    from portal.demo.seed import seed_demo, seed_demo_roles
    from portal.tenancy.registry import load_tenants

    settings = get_settings()
    registry = load_tenants(settings.tenants_dir)
    today = Clock(settings.timezone).today()

    async def work() -> None:
        async with session_scope(settings) as session:
            created = await seed_demo(session, registry, today, ACTOR)
            granted = await seed_demo_roles(session, registry, today, ACTOR)
        click.echo(f"demo: {created} selections created, {granted} roles granted")

    _run(work)


@main.group()
def roles() -> None:
    """Role assignments by IIN (per region, or central for the Agency and the platform)."""


def _tenant_code(slug: str | None) -> str | None:
    from portal.tenancy.registry import load_tenants

    if slug is None:
        return None
    tenant = load_tenants(get_settings().tenants_dir).by_slug(slug)
    if tenant is None:
        raise click.BadParameter(f"unknown region {slug!r}", param_hint="--tenant")
    return tenant.code


@roles.command("grant")
@click.option("--iin", required=True, help="The person's IIN (12 digits).")
@click.option(
    "--role", "role_name", required=True, help="tu_officer, secretary, tenant_admin, agency_officer, ..."
)
@click.option("--tenant", "slug", default=None, help="Region slug; omit for the central roles.")
@click.option("--until", "valid_to", default=None, type=click.DateTime(formats=["%Y-%m-%d"]))
def roles_grant(iin: str, role_name: str, slug: str | None, valid_to: Any) -> None:
    """Grant a role to an IIN (audited)."""
    from portal.auth.roles import Role
    from portal.auth.services import RoleError, grant_role
    from portal.core.clock import Clock
    from portal.core.db import session_scope
    from portal.rules.iin import InvalidIin, mask_iin, parse_iin

    settings = get_settings()
    today = Clock(settings.timezone).today()
    try:
        parse_iin(iin, today=today)
        role = Role(role_name)
    except (InvalidIin, ValueError) as error:
        raise click.BadParameter(str(error)) from error
    tenant_id = _tenant_code(slug)

    async def work() -> None:
        async with session_scope(settings) as session:
            await grant_role(
                session,
                iin=iin,
                role=role,
                tenant_id=tenant_id,
                actor=ACTOR,
                valid_from=today,
                valid_to=valid_to.date() if valid_to else None,
            )

    try:
        _run(work)
    except RoleError as error:
        raise click.ClickException(f"cannot grant: {error.code}") from error
    click.echo(f"granted {role} to {mask_iin(iin)} in {slug or 'all regions (central)'}")


@roles.command("revoke")
@click.argument("assignment_id", type=click.UUID)
@click.option("--tenant", "slug", default=None, help="Region slug of the assignment; omit for central ones.")
def roles_revoke(assignment_id: Any, slug: str | None) -> None:
    """Revoke an assignment by its id (see `portal roles list`)."""
    from portal.auth.services import RoleError, revoke_role
    from portal.core.db import session_scope

    tenant_id = _tenant_code(slug)

    async def work() -> None:
        async with session_scope(get_settings()) as session:
            await revoke_role(session, assignment_id=assignment_id, tenant_id=tenant_id, actor=ACTOR)

    try:
        _run(work)
    except RoleError as error:
        raise click.ClickException(f"cannot revoke: {error.code}") from error
    click.echo(f"revoked {assignment_id}")


@roles.command("list")
@click.option("--tenant", "slug", default=None, help="Region slug; omit for the central roles.")
def roles_list(slug: str | None) -> None:
    """Print the assignments in force (IINs masked)."""
    from portal.auth.services import active_assignments
    from portal.core.db import session_scope
    from portal.rules.iin import mask_iin

    tenant_id = _tenant_code(slug)

    async def work() -> None:
        async with session_scope(get_settings()) as session:
            for a in await active_assignments(session, tenant_id):
                until = a.valid_to.isoformat() if a.valid_to else "-"
                click.echo(f"{a.id}\t{mask_iin(a.iin)}\t{a.role}\t{a.valid_from.isoformat()}\t{until}")

    _run(work)


@main.command("worker")
def worker() -> None:
    """Deliver queued mail and run the reserve's hourly job: expiry, reminders (production; `make run`
    does both in the web process)."""
    from portal.reserve.jobs import serve_workers

    asyncio.run(serve_workers(get_settings()))


@main.group()
def storage() -> None:
    """Stored documents."""


@storage.command("sweep")
@click.option("--older-than-hours", type=float, default=None, help="Default: PORTAL_ORPHAN_CLEANUP_HOURS.")
def storage_sweep(older_than_hours: float | None) -> None:
    """Delete stored files that no application references (after an interrupted upload)."""
    from portal.applications.cleanup import sweep_documents

    seconds = None if older_than_hours is None else older_than_hours * 3600
    deleted = asyncio.run(sweep_documents(get_settings(), seconds))
    click.echo(f"storage: {len(deleted)} orphan files deleted")


@main.command("idp")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9400, show_default=True, type=int)
def idp(host: str, port: int) -> None:
    """Run the local OpenID provider with the demo users (development only, never in production)."""
    settings = get_settings()
    if settings.is_production:
        raise click.ClickException("the local identity provider is for development and tests only")
    import oidc_provider_mock

    from portal.demo.users import DEMO_USERS

    users = [oidc_provider_mock.User(sub=u.sub, claims=u.claims()) for u in DEMO_USERS]
    provider = oidc_provider_mock.app(require_nonce=True, user_claims=users)
    click.echo(f"local identity provider at http://localhost:{port} with {len(users)} demo users")
    provider.run(host=host, port=port)


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


main.add_command(bench)
