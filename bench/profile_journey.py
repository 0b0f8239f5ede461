"""Time (and optionally profile) the submission journey's steps one at a time, in-process.

    .venv/bin/python bench/profile_journey.py --journeys 20            # per step: wall, CPU, statements
    .venv/bin/python bench/profile_journey.py --journeys 20 --profile upload --sql

The portal runs in production mode against the seeded bench database (as bench/profile_request.py)
and is called through httpx's ASGI transport; the candidate is one of the bench's submitters,
signed in by a session written into the store. Each journey applies to the next open selection,
chooses its direction, uploads four 1 MB PDFs, consents and submits (bench/submit_load.py's steps).
"""

import argparse
import asyncio
import cProfile
import pstats
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from profile_request import Statements, session_cookie
from submit_load import CONSENT_VERSION, SLOTS, one_megabyte_pdf

from portal.app import create_app
from portal.bench.seed import open_selections, submitter
from portal.core.clock import Clock
from portal.core.settings import get_settings
from portal.tenancy.registry import load_tenants


@dataclass
class Steps:
    """Per step: (wall ms, CPU ms, statements) of every request, and the last request's statements."""

    engine: Any
    client: httpx.AsyncClient
    headers: dict[str, str]
    profiled: str | None
    profile: cProfile.Profile = field(default_factory=cProfile.Profile)
    timings: dict[str, list[tuple[float, float, int]]] = field(default_factory=dict)
    last_sql: dict[str, list[tuple[float, str]]] = field(default_factory=dict)

    async def post(self, step: str, url: str, **kwargs: Any) -> httpx.Response:
        statements = Statements()
        sa.event.listen(self.engine, "before_cursor_execute", statements.before)
        sa.event.listen(self.engine, "after_cursor_execute", statements.after)
        profiling = step == self.profiled
        started, cpu = time.perf_counter(), time.process_time()
        if profiling:
            self.profile.enable()
        response = await self.client.post(url, headers=self.headers, **kwargs)
        if profiling:
            self.profile.disable()
        wall, used = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        sa.event.remove(self.engine, "before_cursor_execute", statements.before)
        sa.event.remove(self.engine, "after_cursor_execute", statements.after)
        if response.status_code != 303:
            raise LookupError(f"{step}: {response.status_code} {response.text[:500]}")
        self.timings.setdefault(step, []).append((wall, used, len(statements.rows)))
        self.last_sql[step] = statements.rows
        return response

    def report(self, *, sql: bool) -> None:
        for step, rows in self.timings.items():
            walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
            print(
                f"{step:10} n={len(rows):3}  wall median {statistics.median(walls):7.2f} ms"
                f"  min {min(walls):7.2f}  cpu median {statistics.median(cpus):7.2f} ms"
                f"  statements {statistics.median(r[2] for r in rows):.0f}"
            )
            for ms, text in self.last_sql[step] if sql else []:
                print(f"    {ms:7.2f} ms  {text}")
        if self.profiled:
            pstats.Stats(self.profile).sort_stats("cumulative").print_stats(50)
            pstats.Stats(self.profile).sort_stats("tottime").print_stats(25)


async def journey(steps: Steps, region: str, selection_id: Any, direction: str, files: list[bytes]) -> bool:
    try:
        started = await steps.post("apply", f"/{region}/announcements/{selection_id}/apply")
    except LookupError:
        return False  # applied there in an earlier run, or the selection is no longer open
    base = started.headers["location"]
    await steps.post("direction", f"{base}/direction", data={"direction": direction})
    for slot, content in zip(SLOTS, files, strict=True):
        await steps.post("upload", f"{base}/documents/{slot}", files={"file": (f"{slot}.pdf", content)})
    await steps.post("consent", f"{base}/consent", data={"version": CONSENT_VERSION, "agree": "yes"})
    await steps.post("submit", f"{base}/submit")
    return True


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--journeys", type=int, default=10)
    parser.add_argument("--profile", help="cProfile this step (apply, direction, upload, consent, submit)")
    parser.add_argument("--sql", action="store_true", help="print the statements of each step's last request")
    parser.add_argument("--submitter", type=int, default=3, help="which bench submitter signs in (0-15)")
    args = parser.parse_args()
    app = create_app()
    settings = get_settings()
    slugs = {t.code: t.slug for t in load_tenants(settings.tenants_dir).all()}
    files = [one_megabyte_pdf(seed) for seed in range(len(SLOTS))]
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        cookie = await session_cookie(app, submitter(args.submitter).sub)
        first = await client.get("/me", headers={"cookie": cookie})
        token = first.cookies.get(f"{settings.cookie_prefix}csrftoken") or ""
        headers = {"cookie": f"{cookie}; {settings.cookie_prefix}csrftoken={token}", "x-csrftoken": token}
        steps = Steps(app.state.alchemy.get_engine().sync_engine, client, headers, args.profile)
        done = 0
        targets = await open_selections(settings.database_url, Clock(settings.timezone).today())
        for code, selection_id, direction in targets[args.submitter :]:
            if done == args.journeys:
                break
            done += await journey(steps, slugs[code], selection_id, direction, files)
    steps.report(sql=args.sql)


if __name__ == "__main__":
    asyncio.run(main())
