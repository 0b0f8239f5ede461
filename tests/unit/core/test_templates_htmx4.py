"""Templates use htmx 4 idioms only: htmx's own upgrade checker finds nothing (stack-notes 4.2)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_htmx_upgrade_check_passes_on_every_template() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "htmx_upgrade_check.py"), str(ROOT / "templates")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
