"""`portal bench ...`: the click group the `portal` command adds (`main.add_command(bench)`)."""

import asyncio
import time
from pathlib import Path

import click

from portal.core.settings import get_settings


@click.group()
def bench() -> None:
    """National-scale benchmark data (issue 9; `make bench` runs the whole benchmark)."""


@bench.command("seed")
@click.option("--scale", default=1.0, show_default=True, type=float, help="1 = national scale.")
@click.option(
    "--files/--no-files",
    default=True,
    show_default=True,
    help="Hard-link a sample file behind every document row (under PORTAL_STORAGE_DIR).",
)
def bench_seed(scale: float, files: bool) -> None:
    """Generate 2,000 selections, 100,000 applications, 400,000 documents, 20,000 reserve memberships
    and 1,000,000 audit events.

    Deterministic; run it on a fresh migrated database after `portal tenants sync`.
    """
    from portal.bench.seed import BenchAlreadySeededError, BenchPlan, seed_bench
    from portal.core.clock import Clock
    from portal.tenancy.registry import load_tenants

    settings = get_settings()
    if files and settings.storage_url:
        raise click.ClickException("--files needs local storage (PORTAL_STORAGE_URL is set): use --no-files")
    storage_dir: Path | None = settings.storage_dir if files else None
    started = time.perf_counter()
    try:
        report = asyncio.run(
            seed_bench(
                settings.database_url,
                load_tenants(settings.tenants_dir),
                Clock(settings.timezone).today(),
                plan=BenchPlan.scaled(scale),
                storage_dir=storage_dir,
                progress=click.echo,
            )
        )
    except BenchAlreadySeededError as error:
        raise click.ClickException(str(error)) from error
    for line in report.lines():
        click.echo(line)
    click.echo(f"bench seed: {time.perf_counter() - started:.1f} s")
