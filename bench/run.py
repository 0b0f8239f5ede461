"""`make bench`: the portal at national scale against a bare Litestar baseline, in one run (issue 9).

1. A fresh database (SQLite under var/bench/, or PostgreSQL when BENCH_DATABASE_URL is set: its
   public schema is dropped and rebuilt), migrated, the 20 tenants synced, `portal bench seed`.
2. `portal audit verify` over the 1,000,000 events and the cut-off benchmark (bench/rules_bench.py).
3. The baseline (bench/baseline_app.py, plaintext) and the portal, each under the same server and
   options: uvicorn with uvloop and httptools, one worker per core, access log off. The portal
   runs in production mode (secret key, https base URL, allowed hosts, Secure __Host- cookies).
   The baseline stays up on the next port: every endpoint is measured right after a baseline run
   of its own, and its ratio is taken to that one (the machine's other load drifts in minutes).
4. wrk, fixed connections and duration, after a warm-up, per endpoint; a signed-in candidate and a
   tu_officer (signed in through the local OpenID provider, oidc-provider-mock) for the private
   pages; bench/submit_load.py for whole submissions with four 1 MB files. Peak server RSS (the
   whole process tree, from /proc) is sampled during every run.
5. bench/results/<timestamp>.md and .json, and bench/results/latest.md.

Settings (environment): BENCH_DATABASE_URL, BENCH_CONNECTIONS (64), BENCH_DURATION (10 s),
BENCH_WARMUP (2 s), BENCH_THREADS (wrk threads, 1), BENCH_WORKERS (CPU count), BENCH_PORT (8731),
BENCH_SUBMIT_CONCURRENCY (16), BENCH_SUBMIT_DURATION (10 s), BENCH_SCALE (1.0),
BENCH_REUSE=1 (keep a database seeded by an earlier run: skips step 1), BENCH_ONLY (comma-separated
parts of endpoint names, "submission" for the submissions), BENCH_REDIS_URL (sessions in Redis instead
of the database), BENCH_PYSPY=1 (record a py-spy profile of one worker per endpoint, if installed),
BENCH_PUBLIC_CACHE_SECONDS (5; PORTAL_PUBLIC_CACHE_SECONDS of the portal, 0 turns the page cache off).
"""

import asyncio
import contextlib
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from submit_load import Candidate, Target, run_submissions  # noqa: E402

from portal.bench.seed import BenchPlan, officer, open_selections, submitter, tracker_candidate  # noqa: E402
from portal.core.clock import Clock  # noqa: E402
from portal.tenancy.registry import load_tenants  # noqa: E402

BIN = Path(sys.executable).parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
HOST = "127.0.0.1"
BASE_URL = "https://bench.reserve.example"  # production wants https; no request goes there
REGION = "astana"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Config:
    database_url: str
    postgres: bool
    connections: int = _env_int("BENCH_CONNECTIONS", 64)
    duration: int = _env_int("BENCH_DURATION", 10)
    warmup: int = _env_int("BENCH_WARMUP", 2)
    threads: int = _env_int("BENCH_THREADS", 1)
    workers: int = _env_int("BENCH_WORKERS", os.cpu_count() or 1)
    port: int = _env_int("BENCH_PORT", 8731)
    submit_concurrency: int = _env_int("BENCH_SUBMIT_CONCURRENCY", 16)
    submit_duration: int = _env_int("BENCH_SUBMIT_DURATION", 10)
    scale: float = float(os.environ.get("BENCH_SCALE", "1"))
    reuse: bool = os.environ.get("BENCH_REUSE") == "1"
    only: tuple[str, ...] = tuple(n for n in os.environ.get("BENCH_ONLY", "").split(",") if n)
    pyspy: bool = os.environ.get("BENCH_PYSPY") == "1"
    public_cache_seconds: str = os.environ.get("BENCH_PUBLIC_CACHE_SECONDS", "5")

    @classmethod
    def from_env(cls) -> "Config":
        url = os.environ.get("BENCH_DATABASE_URL")
        if url:
            return cls(database_url=url, postgres=True)
        return cls(database_url=f"sqlite+aiosqlite:///{BENCH_DIR / 'bench.db'}", postgres=False)


# --- processes and memory --------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def tree_pids(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, []))
    return found


def rss_bytes(pid: int) -> int:
    total = 0
    for member in tree_pids(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


class RssSampler:
    """Samples the RSS of a process tree five times a second in a thread; `peak` in bytes."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.samples = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            self.samples += 1
            self._stop.wait(0.2)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(self.pid))


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None
    started_in: float = 0.0

    def start(self, ready_path: str) -> float:
        """Start and wait until `ready_path` answers 200; returns the seconds that took."""
        handle = self.log.open("ab")
        started = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            self.command,
            env=self.env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = started + 60
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(
                    f"http://{HOST}:{self.port}{ready_path}", headers=self.host_header(), timeout=1
                )
                if response.status_code == 200:
                    self.started_in = time.perf_counter() - started
                    return self.started_in
            time.sleep(0.02)
        raise RuntimeError(f"{self.name} was not ready within 60 s; see {self.log}")

    def host_header(self) -> dict[str, str]:
        return {"host": f"{HOST}:{self.port}"}

    def settle(self, path: str, limit: float = 90.0) -> float:
        """Wait until requests still queued in the server are done (`path` answers 200 in < 0.5 s)."""
        started = time.perf_counter()
        while time.perf_counter() - started < limit:
            asked = time.perf_counter()
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(
                    f"http://{HOST}:{self.port}{path}", headers=self.host_header(), timeout=limit
                )
                if response.status_code == 200 and time.perf_counter() - asked < 0.5:
                    break
            time.sleep(0.5)
        return time.perf_counter() - started

    def worker_pids(self) -> list[int]:
        """uvicorn's workers: its children started by multiprocessing's spawn (not its resource
        tracker, and not the document parsers the workers start)."""
        if self.process is None:
            return []
        return [pid for pid in _children().get(self.process.pid, []) if b"spawn_main" in _cmdline(pid)]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # the server and its workers (our own group)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _expect(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.url}: {response.status_code}, not {status}: {response.text[:500]}"
        )


def uvicorn_command(app: str, config: Config, *extra: str, port: int | None = None) -> list[str]:
    return [
        str(BIN / "uvicorn"),
        app,
        *extra,
        "--host",
        HOST,
        "--port",
        str(port or config.port),
        "--workers",
        str(config.workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


# --- the run ---------------------------------------------------------------------------------------


@dataclass
class Run:
    config: Config
    commands: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    base: Any = None  # the baseline server (Server), up during the whole measurement

    def portal_env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "BENCH_"))}
        env.update(
            PORTAL_DATABASE_URL=self.config.database_url,
            PORTAL_STORAGE_DIR=str(BENCH_DIR / "documents"),
            PORTAL_UPLOAD_DIR=str(BENCH_DIR / "uploads"),
            PORTAL_LOG_LEVEL="WARNING",
        )
        env.update(extra)
        return env

    def sh(self, command: Sequence[str], env: dict[str, str], *, record: bool = True) -> tuple[float, str]:
        if record:
            shown = {k: v for k, v in env.items() if k.startswith("PORTAL_") and k != "PORTAL_SECRET_KEY"}
            self.commands.append(" ".join([*(f"{k}={shlex.quote(v)}" for k, v in shown.items()), *command]))
        started = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )
        return elapsed, done.stdout

    # 1-2: data, audit, cut-off ---------------------------------------------------------------

    def prepare(self) -> None:
        env = self.portal_env()
        if not self.config.reuse:
            self.fresh_database()
            self.sh([str(BIN / "portal"), "db", "upgrade"], env)
            self.sh([str(BIN / "portal"), "tenants", "sync"], env)
            seconds, output = self.sh(
                [str(BIN / "python"), "-m", "portal.bench", "seed", "--scale", str(self.config.scale)], env
            )
            self.results["seed"] = {"seconds": round(seconds, 1), "output": output.strip().splitlines()}
            print(f"seed: {seconds:.1f} s", flush=True)
        if self.config.only:  # a partial run measures endpoints only
            return
        seconds, output = self.sh([str(BIN / "portal"), "audit", "verify"], env)
        events = int(re.search(r"(\d+) events", output).group(1))  # type: ignore[union-attr]
        self.results["audit_verify"] = {
            "seconds": round(seconds, 1),
            "events": events,
            "output": output.strip(),
        }
        print(f"audit verify: {events} events in {seconds:.1f} s", flush=True)
        _seconds, output = self.sh([str(BIN / "python"), "bench/rules_bench.py"], env)
        median = float(re.search(r"median ([\d.]+) ms", output).group(1))  # type: ignore[union-attr]
        self.results["cutoff"] = {"median_ms": median, "output": output.strip().splitlines()}
        print(f"cut-off: {median:.2f} ms", flush=True)

    def fresh_database(self) -> None:
        for path in (BENCH_DIR / "documents", BENCH_DIR / "uploads"):
            shutil.rmtree(path, ignore_errors=True)
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        if not self.config.postgres:
            for suffix in ("", "-wal", "-shm"):
                (BENCH_DIR / f"bench.db{suffix}").unlink(missing_ok=True)
            return
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        async def reset() -> None:
            engine = create_async_engine(self.config.database_url)
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await engine.dispose()

        asyncio.run(reset())
        self.commands.append(
            f"DROP SCHEMA public CASCADE; CREATE SCHEMA public  -- on {self.config.database_url}"
        )

    # 3-4: servers and load --------------------------------------------------------------------

    def wrk(
        self, server: Server, name: str, path: str, headers: dict[str, str], script: str
    ) -> dict[str, Any]:
        config = self.config
        args = ["-t", str(config.threads), "-c", str(config.connections), "--timeout", "10s", "-s", script]
        for key, value in {**server.host_header(), **headers}.items():
            args += ["-H", f"{key}: {value}"]
        url = f"http://{HOST}:{server.port}{path}"
        warm = ["wrk", *args, "-d", f"{config.warmup}s", url]
        subprocess.run(warm, cwd=ROOT, capture_output=True, check=True)  # noqa: S603
        command = ["wrk", *args, "-d", f"{config.duration}s", url]
        shown = [
            c if not c.startswith("cookie:") else "cookie: <session of the signed-in user>" for c in command
        ]
        self.commands.append(shlex.join(shown))
        profile = self.start_profile(server, name)
        log_from = server.log.stat().st_size
        with RssSampler(server.process.pid) as rss:  # type: ignore[union-attr]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
        if profile is not None:
            profile.wait()
        settled = server.settle("/readyz" if server.name == "portal" else "/plaintext")
        with server.log.open("rb") as handle:  # errors the server logged during the run (5xx, pool timeouts)
            handle.seek(log_from)
            logged = sum(1 for row in handle if b'"level": "error"' in row)
        line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON "))
        raw = json.loads(line.removeprefix("BENCH_JSON "))
        seconds = raw["duration_us"] / 1e6
        sockets = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
        result = {
            "name": name,
            "server": server.name,
            "path": path,
            "requests": raw["requests"],
            "rps": raw["requests"] / seconds,
            "p50_ms": raw["p50"] / 1000,
            "p95_ms": raw["p95"] / 1000,
            "p99_ms": raw["p99"] / 1000,
            "max_ms": raw["max"] / 1000,
            "non_2xx_3xx": raw["status"],
            "socket_errors": sockets,
            "errors": raw["status"] + sockets,
            "peak_rss_mb": rss.peak / 2**20,
            "drain_s": settled,
            "server_errors_logged": logged,
        }
        print(
            f"{name}: {result['rps']:.0f} rps, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
            f"errors {result['errors']}, logged {logged}, peak RSS {result['peak_rss_mb']:.0f} MB",
            flush=True,
        )
        return result

    def start_profile(self, server: Server, name: str) -> subprocess.Popen[bytes] | None:
        pyspy = shutil.which("py-spy") or str(BIN / "py-spy")
        if not self.config.pyspy or not Path(pyspy).exists():
            return None
        workers = server.worker_pids() or [server.process.pid]  # type: ignore[union-attr]  # 1 worker: itself
        target = BENCH_DIR / "profiles" / f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        return subprocess.Popen(  # noqa: S603
            [
                pyspy,
                "record",
                "-p",
                str(workers[-1]),
                "-d",
                str(self.config.duration),
                "-f",
                "raw",
                "-o",
                str(target),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def baseline_server(self) -> Server:
        """The baseline, on the next port: it stays up (idle) while the portal is measured, so each
        endpoint is measured right after a baseline run of its own (the machine is shared: a ratio
        to a baseline measured minutes earlier would mostly measure the other tenants' load)."""
        port = self.config.port + 1
        server = Server(
            "baseline",
            uvicorn_command("baseline_app:app", self.config, "--app-dir", "bench", port=port),
            self.portal_env(),
            port,
            BENCH_DIR / "baseline.log",
        )
        self.commands.append(shlex.join(server.command))
        server.start("/plaintext")
        return server

    def baseline(self, server: Server, label: str) -> dict[str, Any]:
        return self.wrk(server, label, "/plaintext", {}, "bench/wrk/report.lua")

    def portal_server(self, issuer: str) -> Server:
        port = self.config.port
        env = self.portal_env(
            PORTAL_ENV="production",
            PORTAL_SECRET_KEY=secrets.token_urlsafe(48),
            PORTAL_BASE_URL=BASE_URL,
            # Litestar matches the whole Host header, port included.
            PORTAL_ALLOWED_HOSTS=f"{HOST}:{port},localhost:{port},{HOST},localhost",
            PORTAL_OIDC_ISSUER=issuer,
            PORTAL_LOGIN_RATE_PER_IP="100000",
            PORTAL_LOGIN_RATE_PER_SESSION="100000",
            PORTAL_MAIL_DELIVERY_IN_PROCESS="false",
            PORTAL_PUBLIC_CACHE_SECONDS=self.config.public_cache_seconds,
        )
        if os.environ.get("BENCH_REDIS_URL"):  # sessions and rate-limit counters in Redis
            env["PORTAL_REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
        command = uvicorn_command("portal.app:create_app", self.config, "--factory")
        return Server("portal", command, env, port, BENCH_DIR / "portal.log")

    def sign_in(self, server: Server, sub: str) -> Candidate:
        """The whole OpenID Connect sign-in, as a browser does it; cookies kept by hand (they are Secure)."""
        jar: dict[str, str] = {}
        host = server.host_header()

        def keep(response: httpx.Response) -> None:
            for raw in response.headers.get_list("set-cookie"):
                name, _, rest = raw.partition("=")
                jar[name.strip()] = rest.split(";", 1)[0]

        def cookie() -> dict[str, str]:
            return {**host, "cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}

        with httpx.Client(
            base_url=f"http://{HOST}:{server.port}", follow_redirects=False, timeout=120
        ) as client:
            start = client.get("/auth/login/start", params={"next": "/me"}, headers=host)
            _expect(start, 303)
            keep(start)
            authorize = httpx.post(
                start.headers["location"], data={"sub": sub}, follow_redirects=False, timeout=30
            )
            _expect(authorize, 302)
            back = urlsplit(authorize.headers["location"])
            client.cookies.clear()
            callback = client.get(f"{back.path}?{back.query}", headers=cookie())
            _expect(callback, 303)
            keep(callback)
            client.cookies.clear()
            me = client.get("/me", headers=cookie())
            _expect(me, 200)
            keep(me)
        token = next(v for k, v in jar.items() if k.endswith("csrftoken"))
        return Candidate({k: v for k, v in jar.items() if k != "lang"}, token)

    def endpoints(self, server: Server, today: Any) -> None:
        registry = load_tenants(ROOT / "tenants")
        plan = BenchPlan.scaled(self.config.scale)
        selections = asyncio.run(open_selections(self.config.database_url, today))
        astana = next(t for t in registry.all() if t.slug == REGION)
        one = next(str(i) for code, i, _d in selections if code == astana.code)
        staff = self.sign_in(server, officer().sub)
        candidate = self.sign_in(server, tracker_candidate(registry, plan, REGION).sub)
        etag = httpx.get(
            f"http://{HOST}:{server.port}/{REGION}/announcements/{one}", headers=server.host_header()
        )
        cases: list[tuple[str, str, dict[str, str], str]] = [
            ("national index /", "/", {}, "bench/wrk/report.lua"),
            ("region home /astana/", f"/{REGION}/", {}, "bench/wrk/report.lua"),
            (
                "announcements ?status=open",
                f"/{REGION}/announcements?status=open",
                {},
                "bench/wrk/report.lua",
            ),
            (
                "announcements ?status=open, rendered every time (page cache missed)",
                f"/{REGION}/announcements?status=open",
                {},
                "bench/wrk/unique_query.lua",
            ),
            ("one announcement", f"/{REGION}/announcements/{one}", {}, "bench/wrk/report.lua"),
            (
                "one announcement, If-None-Match (304)",
                f"/{REGION}/announcements/{one}",
                {"if-none-match": etag.headers.get("etag", "")},
                "bench/wrk/report.lua",
            ),
            ("national Atom feed", "/announcements.atom", {}, "bench/wrk/report.lua"),
            (
                "candidate /me/applications",
                "/me/applications",
                {"cookie": candidate.cookie_header()},
                "bench/wrk/report.lua",
            ),
            (
                "officer list ?status=submitted, pages 1-100",
                f"/{REGION}/officer/applications?status=submitted&page=1",
                {"cookie": staff.cookie_header()},
                "bench/wrk/officer_pages.lua",
            ),
        ]
        results = self.results.setdefault("endpoints", [])
        adjacent = self.results.setdefault("adjacent_baselines", [])
        for name, path, headers, script in cases:
            if self.config.only and not any(o in name for o in self.config.only):
                continue
            before = self.baseline(self.base, f"baseline next to: {name}")
            adjacent.append(before)
            result = self.wrk(server, name, path, headers, script)
            result["adjacent_baseline_rps"] = before["rps"]
            results.append(result)
        if not self.config.only or any("submission" in o for o in self.config.only):
            self.submissions(server, selections, registry)

    def submissions(self, server: Server, selections: list[tuple[str, Any, str]], registry: Any) -> None:
        config = self.config
        people = [self.sign_in(server, submitter(k).sub) for k in range(config.submit_concurrency)]
        slugs = {t.code: t.slug for t in registry.all()}
        targets = [Target(slugs[code], str(i), direction) for code, i, direction in selections]
        if server.process is None:
            raise RuntimeError("the portal is not running")
        self.commands.append(
            f"python bench/submit_load.py  # {config.submit_concurrency} signed-in candidates, closed loop, "
            f"{config.warmup} s warm-up + {config.submit_duration} s, 4 x 1 MB PDF per submission"
        )
        before = rss_bytes(server.process.pid)
        profile = self.start_profile(server, "submission")
        with RssSampler(server.process.pid) as rss:
            outcome = asyncio.run(
                run_submissions(
                    f"http://{HOST}:{server.port}",
                    f"{HOST}:{server.port}",
                    people,
                    targets,
                    duration=config.submit_duration,
                    warmup=config.warmup,
                )
            )
            time.sleep(1)  # let the last parser processes exit
        if profile is not None:
            profile.wait()
        after = rss_bytes(server.process.pid)
        summary = outcome.summary()
        summary.update(
            rss_before_mb=before / 2**20,
            rss_after_mb=after / 2**20,
            growth_mb=(after - before) / 2**20,
            peak_rss_mb=rss.peak / 2**20,
            concurrency=config.submit_concurrency,
        )
        self.results["submission"] = summary
        print(
            f"submission: {summary['submissions_per_s']:.2f}/s ({summary['journeys']} journeys, "
            f"{summary['failed_journeys']} failed), growth {summary['growth_mb']:.0f} MB",
            flush=True,
        )

    def measure(self) -> None:
        from oidc_provider_mock import User, run_server_in_thread

        today = Clock().today()
        registry = load_tenants(ROOT / "tenants")
        plan = BenchPlan.scaled(self.config.scale)
        people = [officer(), tracker_candidate(registry, plan, REGION)]
        people += [submitter(k) for k in range(self.config.submit_concurrency)]
        users = [User(sub=p.sub, claims=p.claims()) for p in people]
        self.base = self.baseline_server()
        self.results["baselines"] = [self.baseline(self.base, "baseline /plaintext (before)")]
        # An installed portal has its bytecode (pip compiles it); a checkout run with
        # PYTHONDONTWRITEBYTECODE would compile every module at every start instead.
        self.sh([str(BIN / "python"), "-m", "compileall", "-q", "portal"], self.portal_env())
        with run_server_in_thread(require_nonce=True, user_claims=users) as idp:
            issuer = f"http://localhost:{idp.server_port}"
            server = self.portal_server(issuer)
            self.commands.append(
                "PORTAL_ENV=production PORTAL_SECRET_KEY=<random> PORTAL_BASE_URL="
                + BASE_URL
                + " "
                + shlex.join(server.command)
            )
            self.results["cold_start_s"] = server.start("/readyz")
            print(f"cold start to /readyz: {self.results['cold_start_s']:.2f} s", flush=True)
            try:
                self.results["portal_idle_rss_mb"] = rss_bytes(server.process.pid) / 2**20  # type: ignore[union-attr]
                self.endpoints(server, today)
            finally:
                server.stop()
        try:
            self.results["baselines"].append(self.baseline(self.base, "baseline /plaintext (after)"))
        finally:
            self.base.stop()


# --- report ----------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
    }


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {
        name: version(name) for name in ("litestar", "uvicorn", "uvloop", "httptools", "sqlalchemy", "jinja2")
    }
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        wrk = shutil.which("wrk") or "wrk"
        done = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)  # noqa: S603
        found["wrk"] = done.stdout.split()[1]
    return found


def targets(results: dict[str, Any], baseline_rps: float) -> list[dict[str, Any]]:
    by_name = {e["name"]: e for e in results.get("endpoints", [])}
    rows: list[dict[str, Any]] = []

    def add(what: str, target: str, measured: float | None, met: bool | None, unit: str = "") -> None:
        shown = "not measured" if measured is None else f"{measured:.2f}{unit}"
        rows.append({"what": what, "target": target, "measured": shown, "met": met})

    def ratio_of(e: dict[str, Any]) -> float:
        return float(e["rps"]) / float(e.get("adjacent_baseline_rps") or baseline_rps)

    lst = by_name.get("announcements ?status=open")
    missed = by_name.get("announcements ?status=open, rendered every time (page cache missed)")
    if missed:
        add(
            "Announcements list, page cache missed: rps / baseline (context)",
            "none",
            ratio_of(missed),
            None,
            "x",
        )
    if lst:
        ratio = ratio_of(lst)
        add("Announcements list: rps / baseline", ">= 0.45", ratio, ratio >= 0.45, "x")
        add(
            "Announcements list: p99 at 64 connections", "< 100 ms", lst["p99_ms"], lst["p99_ms"] < 100, " ms"
        )
    mine = by_name.get("candidate /me/applications")
    if mine:
        ratio = ratio_of(mine)
        add("Candidate /me/applications: rps / baseline", ">= 0.30", ratio, ratio >= 0.30, "x")
    staff = by_name.get("officer list ?status=submitted, pages 1-100")
    if staff:
        add(
            "Officer list over 100,000 applications: p95",
            "< 150 ms",
            staff["p95_ms"],
            staff["p95_ms"] < 150,
            " ms",
        )
    sub = results.get("submission")
    if sub:
        rate = sub["submissions_per_s"]
        add("Submissions with four 1 MB files", ">= 40 /s", rate, rate >= 40, " /s")
        add(
            "Server memory growth during submissions",
            "< 100 MB",
            sub["growth_mb"],
            sub["growth_mb"] < 100,
            " MB",
        )
    audit = results.get("audit_verify")
    if audit:
        add(
            f"`portal audit verify` over {audit['events']:,} events",
            "< 30 s",
            audit["seconds"],
            audit["seconds"] < 30,
            " s",
        )
    cut = results.get("cutoff")
    if cut:
        add("Cut-off over 10,000 candidates", "< 50 ms", cut["median_ms"], cut["median_ms"] < 50, " ms")
    cold = results.get("cold_start_s")
    if cold is not None:
        add("Cold start to /readyz", "< 3 s", cold, cold < 3, " s")
    return rows


def markdown(report: dict[str, Any]) -> str:
    res, base, cfg = report["results"], report["baseline_rps"], report["config"]
    box, ver = report["machine"], report["versions"]
    baselines = ", ".join(f"{b['rps']:,.0f}" for b in res.get("baselines", []))
    out = [
        f"# make bench: {report['started']}",
        "",
        f"Database: **{report['database']}**. Machine: {box['cpus']} CPUs ({box['cpu_model']}), "
        f"Python {box['python']}, load average at start {box['load_average'][0]:.2f}. "
        f"Server: uvicorn {ver.get('uvicorn')} + uvloop + httptools, {cfg['workers']} workers, "
        f"access log off. Load: wrk {ver.get('wrk', '?')}, {cfg['threads']} thread, "
        f"{cfg['connections']} connections, {cfg['warmup']} s warm-up + {cfg['duration']} s per endpoint, "
        "on the same machine (loopback). Public page cache (portal.core.pagecache): "
        f"{cfg.get('public_cache_seconds', 5)} s.",
        "",
        f"Baseline (bare Litestar plaintext, same server and options): {base:,.0f} rps, the mean of the "
        f"runs before and after the portal ({baselines}). Errors: responses other than 2xx/3xx plus socket "
        "errors, as wrk counts them; a request still waiting when the run ends is not counted at all, so "
        "look at the requests column and at the errors the server logged (pool timeouts, 5xx) too.",
        "",
        "Each endpoint is measured right after a baseline run of its own (same duration, the baseline "
        "server idles while the portal is measured): **ratio** is rps over that adjacent baseline, the "
        "number the targets use; the run-wide ratio is over the mean of the first and last baseline.",
        "",
        "| endpoint | requests | rps | adjacent baseline rps | **ratio** | run-wide ratio | p50 ms | p95 ms "
        "| p99 ms | errors | server errors logged | peak server RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in [*res.get("baselines", []), *res.get("endpoints", [])]:
        adjacent = e.get("adjacent_baseline_rps")
        near = f"{adjacent:,.0f} | {e['rps'] / adjacent:.3f}" if adjacent else "— | —"
        latency = f"{e['p50_ms']:.1f} | {e['p95_ms']:.1f} | {e['p99_ms']:.1f}"
        run_wide = e["rps"] / base
        out.append(
            f"| {e['name']} | {e['requests']:,} | {e['rps']:,.0f} | {near} | {run_wide:.3f} | {latency} "
            f"| {e['errors']} | {e.get('server_errors_logged', 0)} | {e['peak_rss_mb']:.0f} |"
        )
    sub = res.get("submission")
    if sub:
        requests = f"{sub['request_p50_ms']:.0f} / {sub['request_p95_ms']:.0f} / {sub['request_p99_ms']:.0f}"
        journeys = f"{sub['journey_p50_ms']:.0f} / {sub['journey_p95_ms']:.0f}"
        memory = f"{sub['rss_before_mb']:.0f} / {sub['rss_after_mb']:.0f} / {sub['peak_rss_mb']:.0f}"
        out += [
            "",
            f"Submission (bench/submit_load.py, {sub['concurrency']} signed-in candidates, closed loop; a "
            "journey is apply, direction, 4 uploads of a 1 MB PDF, consent, submit):",
            "",
            "| submissions/s | journeys | failed | requests/s | request p50 / p95 / p99 ms "
            "| journey p50 / p95 ms | server RSS before / after / peak MB | growth MB |",
            "|---:|---:|---:|---:|---|---|---|---:|",
            f"| {sub['submissions_per_s']:.2f} | {sub['journeys']} | {sub['failed_journeys']} | "
            f"{sub['requests_per_s']:.1f} | {requests} | {journeys} | {memory} | {sub['growth_mb']:.0f} |",
        ]
        steps = sub.get("step_p50_ms", {})
        if steps:
            out += [
                "",
                "| step of the journey | " + " | ".join(steps) + " |",
                "|---|" + "---:|" * len(steps),
                "| p50 / p95 ms | "
                + " | ".join(f"{steps[s]:.0f} / {sub['step_p95_ms'][s]:.0f}" for s in steps)
                + " |",
            ]
    out += ["", "| other measurement | value |", "|---|---|"]
    if "seed" in res:
        out.append(f"| `portal bench seed` (scale {cfg['scale']}) | {res['seed']['seconds']:.0f} s |")
    if "audit_verify" in res:
        av = res["audit_verify"]
        out.append(f"| `portal audit verify` | {av['seconds']:.1f} s over {av['events']:,} events |")
    if "cutoff" in res:
        out.append(
            f"| cut-off, 10,000 candidates (bench/rules_bench.py) | {res['cutoff']['median_ms']:.2f} ms |"
        )
    if "cold_start_s" in res:
        out.append(f"| cold start to /readyz ({cfg['workers']} workers) | {res['cold_start_s']:.2f} s |")
    if "portal_idle_rss_mb" in res:
        out.append(f"| portal RSS after start (all processes) | {res['portal_idle_rss_mb']:.0f} MB |")
    out += ["", "## Targets of issue 9", "", "| target | goal | measured | met |", "|---|---|---|---|"]
    for t in report["targets"]:
        met = "n/a" if t["met"] is None else ("yes" if t["met"] else "**no**")
        out.append(f"| {t['what']} | {t['target']} | {t['measured']} | {met} |")
    out += ["", "## Commands", "", "```sh", *report["commands"], "```", ""]
    return "\n".join(out)


def main() -> int:
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed: apt-get install -y wrk (Debian), then run make bench again.",
            file=sys.stderr,
        )
        return 2
    config = Config.from_env()
    started = datetime.now(UTC)
    run = Run(config)
    load = os.getloadavg()
    run.prepare()
    run.measure()
    baselines = [b["rps"] for b in run.results["baselines"]]
    baseline_rps = sum(baselines) / len(baselines)
    report = {
        "started": started.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "database": "PostgreSQL" if config.postgres else "SQLite",
        "machine": {**machine(), "load_average": load},
        "versions": versions(),
        "config": {k: v for k, v in config.__dict__.items() if k != "database_url"}
        | {"database_url": re.sub(r"//[^@/]*@", "//***@", config.database_url)},
        "baseline_rps": baseline_rps,
        "results": run.results,
        "targets": targets(run.results, baseline_rps),
        "commands": run.commands,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ") + ("-postgresql" if config.postgres else "-sqlite")
    text = markdown(report)
    (RESULTS_DIR / f"{stamp}.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    (RESULTS_DIR / f"{stamp}.md").write_text(text)
    (RESULTS_DIR / "latest.md").write_text(text)
    print(f"\nwrote bench/results/{stamp}.md and .json (and latest.md)\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
