"""Jinja2 for Litestar: gettext in the request's language, locale-aware dates and numbers, static URLs."""

import functools
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel.numbers import format_decimal
from jinja2 import Environment, StrictUndefined, pass_context
from jinja2.runtime import Context
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from portal import PROJECT_ROOT
from portal.core.flash import pop_flashes
from portal.core.settings import LANGUAGES, Settings
from portal.core.settings import Environment as Deployment
from portal.core.static import HTMX_FILE, HTMX_SRI, StaticManifest
from portal.i18n import LANGUAGE_NAMES, get_language, raw_gettext, raw_ngettext
from portal.rules.iin import mask_iin

TEMPLATE_DIR = PROJECT_ROOT / "templates"
_DATE_FORMATS = {"long": "d MMMM y", "short": "dd.MM.y"}


@functools.cache
def _month_names(language: str) -> dict[int, str]:
    """CLDR's month names in the format context ("наурыз", "марта", "March"), read once from Babel."""
    return dict(Locale.parse(language).months["format"]["wide"])


def _date(value: date | datetime | None, form: str = "long") -> str:
    """A date as the reader's language writes it: "1 наурыз 2025", "1 марта 2025", "1 March 2025".

    The same text as Babel's format_date(value, _DATE_FORMATS[form]) and, for a datetime,
    format_datetime(value, "d MMMM y, HH:mm", tzinfo=None) (the test compares them), put together
    here because long lists call this on every row and Babel takes ten times longer.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        month = _month_names(get_language())[value.month]
        return f"{value.day} {month} {value.year}, {value.hour:02d}:{value.minute:02d}"
    if _DATE_FORMATS[form] == _DATE_FORMATS["short"]:  # an unknown form fails here, as with Babel
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    return f"{value.day} {_month_names(get_language())[value.month]} {value.year}"


def _atom_date(value: date | datetime | None) -> str:
    """RFC 3339 for Atom: datetimes in UTC, dates as midnight UTC; no entries means the decree's date."""
    if value is None:
        return "2023-06-15T00:00:00Z"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{value.isoformat()}T00:00:00Z"


def _options(labels: Mapping[Any, str]) -> list[tuple[str, str]]:
    """(value, translated label) pairs of a label table, for a <select>."""
    return [(str(value), raw_gettext(label)) for value, label in labels.items()]


def _number(value: int | float) -> str:
    return format_decimal(value, locale=get_language())


@pass_context
def _lang_url(context: Context, language: str) -> str:
    """The current page in another language (the switcher's links; the middleware sets the cookie)."""
    request = context["request"]
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", language))
    return f"{request.url.path}?{urlencode(params)}"


@pass_context
def _query_url(context: Context, **changes: Any) -> str:
    """The current URL with some query parameters changed (pagination, filters); None removes one."""
    request = context["request"]
    params: dict[str, Any] = {k: v for k, v in request.query_params.items() if k != "lang"}
    params.update(changes)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{request.url.path}?{query}" if query else request.url.path


@pass_context
def _current_user(context: Context) -> Any:
    """The signed-in principal, or None (public pages read it to show the account links)."""
    return context["request"].scope.get("user")


@pass_context
def _flashes(context: Context) -> list[dict[str, str]]:
    return pop_flashes(context["request"])


def configure_environment(env: Environment, settings: Settings, static: StaticManifest) -> None:
    # Templates are compiled once per process; only development looks for edited files (every
    # get_template would otherwise stat the file and its parents: security-notes A.4 item 1).
    env.auto_reload = settings.env == Deployment.DEV
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext=raw_gettext, ngettext=raw_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.undefined = StrictUndefined
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters.update(date=_date, number=_number, atom_date=_atom_date, mask_iin=mask_iin, options=_options)
    globals_: Mapping[str, Any] = {
        "current_language": get_language,
        "languages": LANGUAGES,
        "language_names": LANGUAGE_NAMES,
        "lang_url": _lang_url,
        "query_url": _query_url,
        "current_user": _current_user,
        "flashes": _flashes,
        "static_url": static.url,
        "htmx_url": static.url(HTMX_FILE),
        "htmx_sri": HTMX_SRI,
        "is_production": settings.is_production,
        "base_url": settings.base_url.rstrip("/"),
    }
    env.globals.update(globals_)


def template_config(settings: Settings, static: StaticManifest) -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(
        directory=TEMPLATE_DIR,
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: configure_environment(engine.engine, settings, static),
    )
