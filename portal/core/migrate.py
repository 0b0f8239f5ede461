"""Alembic driven from Python: `portal db upgrade` and the drift check of the tests."""

from pathlib import Path

from advanced_alchemy.types import GUID
from alembic import command
from alembic.config import Config

from portal.core.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def compare_type(
    _context: object,
    _inspected: object,
    _metadata_column: object,
    _inspected_type: object,
    metadata_type: object,
) -> bool | None:
    """Alembic's type comparison, except for advanced-alchemy's GUID (reflected as NUMERIC on SQLite)."""
    if isinstance(metadata_type, GUID):
        return False
    return None


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "heads") -> None:
    if settings.is_sqlite:
        _ensure_sqlite_directory(settings.database_url)
    command.upgrade(alembic_config(settings), revision)


def _ensure_sqlite_directory(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
