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
from portal.rules.exclusion import DEFAULT_COMMENT_WD
from portal.rules.scoring import DEFAULT_OUTLIER_POINTS
from portal.rules.vetting import DEFAULT_REPLY_WD

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
    #: How long another worker's write may take to show on the public pages kept by
    #: portal.core.pagecache (this process's own writes show at once); 0 turns the cache off.
    public_cache_seconds: float = Field(default=5, ge=0)
    #: Minimum notice between publication and intake start, in working days (cl. 7, rules.md A-01).
    min_notice_working_days: int = Field(default=15, ge=5)
    #: Working days a state body has to answer a cl. 11 request before it shows as overdue (A-RC-4(1)).
    vetting_reply_working_days: int = Field(default=DEFAULT_REPLY_WD, ge=1)
    #: Interview calibration (rules.md A-12): a member's score further than this many points from the
    #: other members' mean on a competency is flagged as an outlier before the vote.
    interview_outlier_points: float = Field(default=DEFAULT_OUTLIER_POINTS, gt=0, le=10)
    #: Working days a reserve member has to comment on a filed exclusion proposal (cl. 18, rules.md 3.6).
    exclusion_comment_working_days: int = Field(default=DEFAULT_COMMENT_WD, ge=1)
    #: The reserve's jobs (expiry, 90/30-day reminders, comment periods; rules.md 3.3): seconds between
    #: runs, and whether they run in the web process (None = in development only; production runs
    #: `portal worker`).
    reserve_jobs_interval_seconds: float = Field(default=3600.0, gt=0)
    reserve_jobs_in_process: bool | None = None

    # --- identity provider (OpenID Connect); the defaults point at the local provider of `make run`
    #: Exact issuer URL; discovery is read from {issuer}/.well-known/openid-configuration.
    oidc_issuer: str = "http://localhost:9400"
    oidc_client_id: str = "portal-dev"
    oidc_client_secret: str = "portal-dev-secret"  # noqa: S105 - the local provider accepts any secret
    oidc_scopes: Annotated[tuple[str, ...], NoDecode] = ("openid", "profile")
    #: Claim names differ between providers (eGov-style providers use their own).
    oidc_claim_iin: str = "iin"
    oidc_claim_given_name: str = "given_name"
    oidc_claim_family_name: str = "family_name"
    oidc_claim_patronymic: str = "middle_name"
    oidc_claim_birthdate: str = "birthdate"
    #: Shown on the sign-in page ("You will sign in with ...").
    oidc_provider_name: str = "eGov IDP"

    # --- documents and mail
    #: Where documents are stored: unset = a local directory (storage_dir); s3://bucket/prefix?endpoint_url=...
    storage_url: str | None = None
    storage_dir: Path = PROJECT_ROOT / "var" / "documents"
    #: Uploads are checked here before they go to storage (same disk as storage_dir is best).
    upload_dir: Path = PROJECT_ROOT / "var" / "uploads"
    max_document_mb: int = Field(default=10, ge=1, le=20)
    #: Long-lived parser processes per web worker that check uploads (0 = one per CPU).
    document_parser_workers: int = Field(default=0, ge=0, le=64)
    #: Start them a few seconds after the web worker, not at the first upload: None = in production.
    document_parsers_at_start: bool | None = None
    #: A stored file that no application points at is deleted after this many hours.
    orphan_cleanup_hours: int = Field(default=24, ge=1)
    #: smtp://user:password@host:587?starttls=1 or smtps://host:465; unset = mail stays in /dev/mail.
    smtp_url: str | None = None
    mail_from: str = "noreply@reserve.example.kz"
    mail_delivery_interval_seconds: float = Field(default=5.0, gt=0)
    #: Deliver mail from inside the web process: None = yes in dev (`make run`), no in test and
    #: production (production runs `portal worker`).
    mail_delivery_in_process: bool | None = None

    # --- sessions and abuse limits
    #: Sessions live in Redis when set (redis://host:6379/0), otherwise in the database.
    redis_url: str | None = None
    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)
    #: Proxies whose X-Forwarded-For is believed (nginx on the same host in production).
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    #: Login start and callback: attempts per minute per client address, and per browser session.
    login_rate_per_ip: int = Field(default=20, ge=1)
    login_rate_per_session: int = Field(default=10, ge=1)

    @field_validator("allowed_hosts", "oidc_scopes", "trusted_proxies", mode="before")
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
    def oidc_redirect_uri(self) -> str:
        return f"{self.base_url.rstrip('/')}/auth/callback"

    @property
    def max_document_bytes(self) -> int:
        return self.max_document_mb * 1024 * 1024

    @property
    def cookie_prefix(self) -> str:
        """__Host- cookies are Secure, host-only and path=/ by the browser's rules (ASVS V3.3.1)."""
        return "__Host-" if self.is_production else ""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def json_logs(self) -> bool:
        return self.is_production if self.log_json is None else self.log_json


def get_settings() -> Settings:
    """Settings from the environment (a new object each call; the app keeps the one it was built with)."""
    return Settings()
