"""The tenant registry: one typed, immutable configuration per region, read from ``tenants/*.toml``.

Pure on purpose (no web framework, no database): the application loads the registry once at start-up
(a broken file stops start-up with a message naming the file and the field), and a separate module maps
the configurations to database rows.

The ISO 3166-2 code (``KZ-75``) is the immutable tenant key; the slug (``almaty``) only shapes URLs;
aliases (``jambyl``) are transliteration variants used for redirects and search, never displayed.
"""

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Final, NoReturn

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

__all__ = [
    "KIND_ORDER",
    "RESERVED_SLUGS",
    "Contact",
    "LocalizedText",
    "TenantConfig",
    "TenantConfigError",
    "TenantKind",
    "TenantRegistry",
    "load_tenant_file",
    "load_tenants",
    "normalize_host",
]

CODE_PATTERN: Final = r"^KZ-[0-9]{2}$"
SLUG_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: A DNS host name without port: labels of a-z, digits and inner hyphens, separated by dots.
HOST_PATTERN: Final = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
#: +7 followed by exactly ten more digits, written with spaces and hyphens (e.g. "+7 7172 00-00-00").
PHONE_PATTERN: Final = r"^\+7(?:[ -]?[0-9]){10}$"
EMAIL_PATTERN: Final = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$"
WEBSITE_PATTERN: Final = r"^https://[^\s/?#]+(?:[/?#]\S*)?$"

#: First path segments used by the portal itself; a tenant slug or alias must not shadow them.
RESERVED_SLUGS: Final[frozenset[str]] = frozenset(
    {"static", "rules", "healthz", "readyz", "api", "admin", "auth", "account", "agency", "login", "logout"}
)

NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
Slug = Annotated[str, StringConstraints(min_length=2, max_length=40, pattern=SLUG_PATTERN)]


def _normalize_host_value(value: object) -> object:
    """Host names in a file are stored in lower case, without a trailing dot."""
    return value.strip().lower().rstrip(".") if isinstance(value, str) else value


Host = Annotated[
    str, BeforeValidator(_normalize_host_value), StringConstraints(max_length=253, pattern=HOST_PATTERN)
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=EMAIL_PATTERN)]
Website = Annotated[str, StringConstraints(strip_whitespace=True, pattern=WEBSITE_PATTERN)]


class TenantConfigError(ValueError):
    """A tenant file cannot be read or is invalid; the message names the file and the field path."""


class TenantKind(StrEnum):
    """The three kinds of region named by the Rules: "oblast, city of republican significance, capital"."""

    OBLAST = "oblast"
    CITY_REP = "city_rep"
    CAPITAL = "capital"

    @property
    def is_city(self) -> bool:
        return self is not TenantKind.OBLAST


#: Display order of the groups: the capital, then the cities of republican significance, then the oblasts.
KIND_ORDER: Final[Mapping[TenantKind, int]] = MappingProxyType(
    {TenantKind.CAPITAL: 0, TenantKind.CITY_REP: 1, TenantKind.OBLAST: 2}
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalizedText(_Frozen):
    """A text in Kazakh, Russian and English; all three are required and non-empty."""

    kk: NonEmptyText
    ru: NonEmptyText
    en: NonEmptyText

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("kk", "ru" or "en"); Kazakh for any other language."""
        if lang == "ru":
            return self.ru
        if lang == "en":
            return self.en
        return self.kk


class Contact(_Frozen):
    """Contact details of a public body of the region (the Agency's territorial unit or the akim's office)."""

    #: True when the values are demonstration values, not the body's official contacts.
    demo: bool
    name: LocalizedText
    address: LocalizedText
    phone: Phone
    email: Email
    website: Website | None = None
    hours: LocalizedText | None = None


def _no_duplicates(values: tuple[str, ...], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)


def _not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValueError(f"{value!r} is reserved for the portal's own pages")


class TenantConfig(_Frozen):
    """One region (tenant), as configured in ``tenants/<slug>.toml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    slug: Slug
    kind: TenantKind
    aliases: tuple[Slug, ...] = ()
    hosts: tuple[Host, ...] = ()
    name: LocalizedText
    #: The administrative centre: required for an oblast, absent for a city (capital or city_rep).
    centre: LocalizedText | None = Field(default=None, validate_default=True)
    territorial_unit: Contact
    akimat: Contact

    @field_validator("slug")
    @classmethod
    def _slug_not_reserved(cls, value: str) -> str:
        _not_reserved(value)
        return value

    @field_validator("aliases")
    @classmethod
    def _check_aliases(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        for alias in value:
            _not_reserved(alias)
            if alias == info.data.get("slug"):
                raise ValueError(f"alias {alias!r} repeats the tenant's own slug")
        _no_duplicates(value, "alias")
        return value

    @field_validator("hosts")
    @classmethod
    def _check_hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _no_duplicates(value, "host")
        return value

    @field_validator("centre")
    @classmethod
    def _centre_matches_kind(cls, value: LocalizedText | None, info: ValidationInfo) -> LocalizedText | None:
        kind = info.data.get("kind")
        if kind is None:  # the kind itself is invalid; that error is reported on its own
            return value
        if kind is TenantKind.OBLAST and value is None:
            raise ValueError("an oblast needs its administrative centre (a [centre] table)")
        if kind is not TenantKind.OBLAST and value is not None:
            raise ValueError(f"a tenant of kind {kind.value!r} is a city: omit the [centre] table")
        return value

    @property
    def is_city(self) -> bool:
        """True for the capital and the cities of republican significance."""
        return self.kind.is_city

    @property
    def sort_key(self) -> tuple[int, str]:
        """Capital first, then cities of republican significance, then oblasts; by slug within a group."""
        return (KIND_ORDER[self.kind], self.slug)


def normalize_host(host: str) -> str:
    """``Astana.Example.KZ:8443`` -> ``astana.example.kz`` (lower case, no port, no trailing dot)."""
    host = host.strip().lower()
    if host.startswith("["):  # an IPv6 literal, possibly with a port: [::1]:8000
        end = host.find("]")
        return host[: end + 1] if end != -1 else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


class TenantRegistry:
    """All tenants, immutable once built; lookups by code, slug, alias and host.

    Building a registry checks that no code, slug, alias or host is used twice and that no alias
    equals another tenant's slug.
    """

    __slots__ = ("_by_alias", "_by_code", "_by_host", "_by_slug", "_tenants")

    _tenants: tuple[TenantConfig, ...]
    _by_code: Mapping[str, TenantConfig]
    _by_slug: Mapping[str, TenantConfig]
    _by_alias: Mapping[str, TenantConfig]
    _by_host: Mapping[str, TenantConfig]

    def __init__(self, tenants: Iterable[TenantConfig]) -> None:
        items = list(tenants)
        _check_unique([(tenant.code, tenant) for tenant in items])
        ordered = tuple(sorted(items, key=lambda t: t.sort_key))
        object.__setattr__(self, "_tenants", ordered)
        object.__setattr__(self, "_by_code", MappingProxyType({t.code: t for t in ordered}))
        object.__setattr__(self, "_by_slug", MappingProxyType({t.slug: t for t in ordered}))
        object.__setattr__(self, "_by_alias", MappingProxyType({a: t for t in ordered for a in t.aliases}))
        object.__setattr__(self, "_by_host", MappingProxyType({h: t for t in ordered for h in t.hosts}))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def all(self) -> tuple[TenantConfig, ...]:
        """Capital first, then the cities of republican significance, then the oblasts; by slug in each."""
        return self._tenants

    def by_code(self, code: str) -> TenantConfig | None:
        """The tenant with this ISO 3166-2 code (exact, e.g. ``KZ-75``)."""
        return self._by_code.get(code)

    def by_slug(self, slug: str) -> TenantConfig | None:
        """The tenant whose slug is exactly ``slug``; aliases do not match (see :meth:`by_alias`)."""
        return self._by_slug.get(slug)

    def by_alias(self, alias: str) -> TenantConfig | None:
        """The tenant with this transliteration alias (case-insensitive); its own slug does not match."""
        return self._by_alias.get(alias.strip().lower())

    def by_host(self, host: str) -> TenantConfig | None:
        """The tenant configured for this host name (case-insensitive; a port or trailing dot is ignored)."""
        return self._by_host.get(normalize_host(host))

    def __len__(self) -> int:
        return len(self._tenants)

    def __iter__(self) -> Iterator[TenantConfig]:
        return iter(self._tenants)

    def __contains__(self, item: object) -> bool:
        return item in self._tenants

    def __repr__(self) -> str:
        return f"TenantRegistry({', '.join(t.code for t in self._tenants)})"


def _check_unique(entries: list[tuple[str, TenantConfig]]) -> None:
    """Fail on a code, slug, alias or host used twice; ``entries`` pairs a label (the file) with a tenant."""
    owners: dict[tuple[str, str], tuple[str, str]] = {}  # (namespace, value) -> (label, field)

    def claim(namespace: str, value: str, label: str, field: str) -> None:
        previous = owners.get((namespace, value))
        if previous is not None:
            other_label, other_field = previous
            raise TenantConfigError(
                f"{label}: {field}: {value!r} is already used as {other_field} in {other_label}"
            )
        owners[(namespace, value)] = (label, field)

    for label, tenant in entries:
        claim("code", tenant.code, label, "code")
        # Slugs and aliases share one namespace: both are the first segment of a URL.
        claim("path", tenant.slug, label, "slug")
        for index, alias in enumerate(tenant.aliases):
            claim("path", alias, label, f"aliases.{index}")
        for index, host in enumerate(tenant.hosts):
            claim("host", host, label, f"hosts.{index}")


def _display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it (``tenants/abai.toml``)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def _validation_message(label: str, exc: ValidationError) -> str:
    lines = []
    for error in exc.errors(include_url=False):
        detail = error["msg"]
        if error["type"] == "missing":
            detail = "Field required"
        elif error["type"] == "extra_forbidden":
            detail = "unknown field (not allowed)"
        lines.append(f"{label}: {_field_path(error['loc'])}: {detail}")
    return "\n".join(lines)


def load_tenant_file(path: Path) -> TenantConfig:
    """Read and validate one tenant file (the file-name rule and uniqueness are checked by load_tenants)."""
    label = _display_path(path)
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise TenantConfigError(f"{label}: (file): TOML syntax error: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise TenantConfigError(f"{label}: (file): not valid UTF-8: {exc}") from exc
    except OSError as exc:
        raise TenantConfigError(f"{label}: (file): cannot be read: {exc.strerror or exc}") from exc
    try:
        return TenantConfig.model_validate(data)
    except ValidationError as exc:
        raise TenantConfigError(_validation_message(label, exc)) from exc


def _check_file_name(label: str, path: Path, tenant: TenantConfig) -> None:
    if tenant.slug != path.stem:
        raise TenantConfigError(
            f"{label}: slug: {tenant.slug!r} does not match the file name (expected {path.stem!r})"
        )


def load_tenants(directory: Path) -> TenantRegistry:
    """Load every ``*.toml`` in ``directory`` (sorted by name) into a registry.

    Each file must be named after its slug (``tenants/<slug>.toml``). Raises :class:`TenantConfigError`
    naming the file and the field path on a TOML syntax error or a validation error, and naming both
    files when two of them share a code, slug, alias or host.
    """
    if not directory.is_dir():
        raise TenantConfigError(f"{_display_path(directory)}: tenant directory not found")
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise TenantConfigError(f"{_display_path(directory)}: no tenant files (*.toml) found")
    loaded = [(path, _display_path(path), load_tenant_file(path)) for path in files]
    # Uniqueness first, so that two files claiming one slug are reported as such (naming both files).
    _check_unique([(label, tenant) for _, label, tenant in loaded])
    for path, label, tenant in loaded:
        _check_file_name(label, path, tenant)
    return TenantRegistry(tenant for _, _, tenant in loaded)
