"""An upload killed between storing the file and committing its row (issue 5, "Done when").

The file is stored first and the row is committed after; so a crash leaves at most a file with no
row, never a row with no file. The cleanup deletes such orphans once they are older than the
cleanup period, and keeps every file an application points at.
"""

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from portal.applications.models import ApplicationDocument
from portal.cli import main
from portal.core.db import session_scope
from portal.core.settings import Settings


def _document_keys(settings: Settings) -> set[str]:
    async def work() -> set[str]:
        async with session_scope(settings) as session:
            return set((await session.execute(sa.select(ApplicationDocument.storage_key))).scalars())

    return asyncio.run(work())


def _stored_files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and ".incoming" not in p.parts
    }


def test_a_process_killed_after_storing_leaves_only_an_orphan_that_the_sweep_removes(
    database: Settings, tmp_path: Path
) -> None:
    settings = database.model_copy(update={"storage_dir": tmp_path / "documents"})
    # A process that stores a document and is killed before it could write the row.
    script = textwrap.dedent(
        f"""
        import asyncio, os, signal
        from portal.core.storage import storage_from_url

        async def chunks():
            yield b"%PDF-1.4 scanned document"

        async def main():
            storage = storage_from_url(None, __import__("pathlib").Path({str(settings.storage_dir)!r}))
            stored = await storage.save(chunks(), max_bytes=1024, tenant_id="KZ-71")
            print(stored.key, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

        asyncio.run(main())
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert killed.returncode == -signal.SIGKILL
    orphan = killed.stdout.strip()
    assert orphan in _stored_files(settings.storage_dir)
    assert orphan not in _document_keys(settings)
    # Every row of the suite so far points at a file that exists (rows are written after files).
    assert _document_keys(database) <= _stored_files(database.storage_dir)

    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": settings.database_url,
        "PORTAL_STORAGE_DIR": str(settings.storage_dir),
    }
    young = CliRunner().invoke(main, ["storage", "sweep"], env=env)  # inside the cleanup period: kept
    assert young.exit_code == 0 and "0 orphan files deleted" in young.output
    assert orphan in _stored_files(settings.storage_dir)
    old = CliRunner().invoke(main, ["storage", "sweep", "--older-than-hours", "0"], env=env)
    assert old.exit_code == 0 and "1 orphan files deleted" in old.output
    assert orphan not in _stored_files(settings.storage_dir)
