"""Time the isolated document check (`portal.applications.documents.check_document`) per document.

    .venv/bin/python bench/document_check.py [--count 40] [--concurrency 4]

Writes `--count` copies of the 1 MB PDF that `bench/submit_load.py` uploads, checks them one after
the other and then `--concurrency` at a time, and prints milliseconds per document (wall) for each.
The first check of a process includes starting the parser worker(s); it is reported apart.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent))

from submit_load import one_megabyte_pdf

from portal.applications.documents import check_document


async def _main(count: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for number in range(count):
            path = Path(directory) / f"doc-{number}.pdf"
            path.write_bytes(one_megabyte_pdf(number))
            paths.append(path)
        started = time.perf_counter()
        await check_document(paths[0])
        first = (time.perf_counter() - started) * 1000
        times = []
        for path in paths:
            started = time.perf_counter()
            await check_document(path)
            times.append((time.perf_counter() - started) * 1000)
        limiter = anyio.CapacityLimiter(concurrency)

        async def one(path: Path) -> None:
            async with limiter:
                await check_document(path)

        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            for path in paths:
                group.start_soon(one, path)
        parallel = (time.perf_counter() - started) * 1000 / count
    print(f"first check: {first:.1f} ms")
    print(
        f"sequential, {count} documents: median {statistics.median(times):.1f} ms, "
        f"p95 {sorted(times)[int(0.95 * (count - 1))]:.1f} ms per document"
    )
    rate = 1000 / parallel
    print(f"{concurrency} at a time: {parallel:.1f} ms of wall time per document ({rate:.0f} documents/s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    arguments = parser.parse_args()
    anyio.run(_main, arguments.count, arguments.concurrency)


if __name__ == "__main__":
    main()
