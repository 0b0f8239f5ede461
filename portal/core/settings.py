"""Settings read from ``PORTAL_*`` environment variables.

One code base runs on a laptop (SQLite, a local directory, one process) and in production
(PostgreSQL, several workers behind nginx); only these settings differ.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from portal import PROJECT_ROOT

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")

_DEV_SECRET = "dev-only-secret-key-change-me-0123456789abcdef"  # noqa: S105 - refused in production


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every setting has a safe default for `make run`; production overrides them (deploy/env.example)."""

    model_config = SettingsConfigDict(env_prefix="PORTAL_", frozen=True, extra="ignore")

    env: Environment = Environment.DEV
    database_url: str = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'portal.db'}"
    secret_key: str = _DEV_SECRET
    base_url: str = "http://127.0.0.1:8000"
    default_language: Language = "kk"
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = ("127.0.0.1", "localhost")
    tenants_dir: Path = PROJECT_ROOT / "tenants"
    timezone: str = "Asia/Almaty"
    log_level: str = "INFO"
    #: Log lines as JSON (production) or as coloured console lines (dev). Defaults by environment.
    log_json: bool | None = None
    db_echo: bool = False
    db_pool_size: int = Field(default=10, ge=1)
    page_size: int = Field(default=10, ge=1, le=100)
    #: Minimum notice between publication and intake start, in working days (cl. 7, rules.md A-01).
    min_notice_working_days: int = Field(default=15, ge=5)

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(h.strip() for h in value.split(",") if h.strip())
        return value

    @model_validator(mode="after")
    def _production_is_strict(self) -> "Settings":
        if self.is_production:
            if self.secret_key == _DEV_SECRET or len(self.secret_key) < 32:
                raise ValueError("PORTAL_SECRET_KEY must be set to 32+ random characters in production")
            if not self.base_url.startswith("https://"):
                raise ValueError("PORTAL_BASE_URL must be https:// in production")
        return self

    @property
    def is_production(self) -> bool:
        return self.env == Environment.PRODUCTION

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def json_logs(self) -> bool:
        return self.is_production if self.log_json is None else self.log_json


def get_settings() -> Settings:
    """Settings from the environment (a new object each call; the app keeps the one it was built with)."""
    return Settings()
