"""Where a worker's time goes, from py-spy's raw (collapsed) profiles of `BENCH_PYSPY=1 make bench`.

Each sample of the event-loop thread goes to a feature when a known call is on its stack (url_for,
babel, Jinja, the session store, loading the principal, the ETag), otherwise to the layer of its
innermost recognised frame; the aiosqlite and thread-pool threads, which wait for work, are left out.
Run: .venv/bin/python bench/profile_summary.py var/bench/profiles/*.txt
"""

import sys
from collections import Counter
from pathlib import Path

#: Work that happens below a known call: the first bucket with a marker anywhere in the stack wins
#: (the markers name calls that never wrap the whole request).
FEATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("document check (child process)", ("check_document",)),
    ("multipart parsing", ("Request.form", "parse_multipart")),
    ("url_for in templates", ("url_for (litestar",)),
    ("babel dates/numbers", ("babel/",)),
    ("template rendering (Jinja)", ("Template.render", "get_template")),
    ("session store (read/write)", ("load_from_connection", "store_in_message")),
    ("principal (auth middleware)", ("load_principal",)),
    ("ETag hashing (ConditionalGet)", ("ConditionalGet._finish",)),
)
#: Everything else: by the innermost frame that names one of these.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("database: driver", ("aiosqlite/", "asyncpg/")),
    ("database: SQLAlchemy ORM/Core", ("sqlalchemy/", "advanced_alchemy/", "sqlmodel/")),
    ("Litestar (routing, DI, middleware, responses)", ("litestar/",)),
    ("portal code", ("portal/",)),
    ("uvicorn/httptools", ("uvicorn/",)),
)
IDLE = "event loop, waiting (Runner.run)"
SKIP_THREADS = ("_connection_worker_thread", "_worker (concurrent")


def bucket_of(frames: list[str]) -> str:
    stack = ";".join(frames)
    if frames[-1].startswith("Runner.run"):
        return IDLE
    for bucket, markers in FEATURES:
        if any(marker in stack for marker in markers):
            return bucket
    for frame in reversed(frames):
        for bucket, markers in LAYERS:
            if any(marker in frame for marker in markers):
                return bucket
    return "other (interpreter, asyncio)"


def summarise(path: Path) -> tuple[int, Counter[str]]:
    counts: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit() or any(marker in stack for marker in SKIP_THREADS):
            continue
        total += int(number)
        counts[bucket_of(stack.split(";"))] += int(number)
    return total, counts


def main() -> None:
    for name in sys.argv[1:]:
        total, counts = summarise(Path(name))
        print(f"\n{Path(name).stem}: {total} samples")
        for bucket, samples in counts.most_common():
            print(f"  {100 * samples / total:5.1f}%  {bucket}")


if __name__ == "__main__":
    main()
