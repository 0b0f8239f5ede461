"""The commands `make run` uses, in fresh processes on an empty database (issue 2, items 1, 3, 8)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _portal(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "portal", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PORTAL_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"}


def test_upgrade_sync_and_seed_on_an_empty_database_are_idempotent(fresh_env: dict[str, str]) -> None:
    assert "database at head" in _portal(fresh_env, "db", "upgrade")
    assert "20 created" in _portal(fresh_env, "tenants", "sync")
    assert "20 unchanged" in _portal(fresh_env, "tenants", "sync")
    first = _portal(fresh_env, "demo", "seed")
    assert "demo: 307 selections created" in first  # 20 regions x 15 scenarios + 7 extra open ones
    assert "demo: 0 selections created" in _portal(fresh_env, "demo", "seed")
    assert "intact" in _portal(fresh_env, "audit", "verify")


def test_tenants_list_prints_the_20_regions(fresh_env: dict[str, str]) -> None:
    lines = _portal(fresh_env, "tenants", "list").strip().splitlines()
    assert len(lines) == 20
    assert lines[0].startswith("KZ-71\tastana\tcapital")
