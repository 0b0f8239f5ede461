"""E-mail templates: plain-text Jinja2 under templates/emails/, rendered in an explicit language.

Each template writes its subject on the first line and the body below. The strings are English
gettext source strings (`{% trans %}`, `_()`), translated from the project's catalogues, so a
message is rendered in the recipient's language whatever the language of the request that caused
it. Messages are rendered once, when they are queued (services.enqueue), from JSON values only:
dates arrive as ISO strings and the filters below read them back.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from portal import PROJECT_ROOT
from portal.core.settings import LANGUAGES
from portal.i18n import translations

EMAIL_TEMPLATE_DIR: Final = PROJECT_ROOT / "templates" / "emails"
#: Kazakhstan keeps one time zone (UTC+5 since 2024); the portal's clock uses the same name.
DEFAULT_TIMEZONE: Final = "Asia/Almaty"
#: RFC 3676 4.3: mail readers recognise the signature by this line and may fold it away.
SIGNATURE_SEPARATOR: Final = "-- "
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """The context a template needs: required keys must be given, optional ones default to None."""

    required: frozenset[str]
    optional: frozenset[str] = frozenset()


def _spec(required: str, optional: str = "") -> TemplateSpec:
    return TemplateSpec(frozenset(required.split()), frozenset(optional.split()))


#: Every template, with its context. Values are JSON (strings, numbers, lists, objects); a title or
#: a free text may be a {"kk": ..., "ru": ..., "en": ...} object, picked by the `localized` filter.
#: `decision` and `next_step` are English messages marked with N_() by the caller, translated here.
TEMPLATES: Final[Mapping[str, TemplateSpec]] = {
    "application_submitted": _spec("reference selection_title region submitted_at tracker_url"),
    "application_withdrawn": _spec("reference selection_title region withdrawn_at tracker_url"),
    "application_decision": _spec(
        "reference selection_title region decision tracker_url", "reason clause next_step decided_at"
    ),
    # the reserve's life (issue 8): one notice per event; `subject` and `message` are N_() messages
    "reserve_notice": _spec("subject message url", "post region reason clause at"),
}


class TemplateError(ValueError):
    """An unknown template, a missing context value, or a rendered message without a subject."""


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    body: str


def _as_datetime(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        raise TemplateError(f"not a date and time: {value!r}")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _filters(language: str, timezone: str) -> dict[str, Callable[..., str]]:
    zone = ZoneInfo(timezone)
    gettext = translations(language).ugettext

    def format_moment(value: Any) -> str:
        """ "20 February 2025, 11:00" in the portal's time zone, as the language writes it."""
        return str(format_datetime(_as_datetime(value), "d MMMM y, HH:mm", tzinfo=zone, locale=language))

    def format_day(value: Any) -> str:
        day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
        if isinstance(day, datetime):
            day = day.astimezone(zone).date()
        return str(format_date(day, "d MMMM y", locale=language))

    def localized(value: Any) -> str:
        """A {"kk": ..., "ru": ..., "en": ...} object in the message's language (Kazakh if missing)."""
        if isinstance(value, Mapping):
            return str(value.get(language) or value.get("kk") or next(iter(value.values()), ""))
        return "" if value is None else str(value)

    def translated(value: Any) -> str:
        """A message chosen by the caller (an N_() string), or a localized object."""
        if isinstance(value, Mapping):
            return localized(value)
        return "" if value is None else str(gettext(str(value)))

    return {"datetime": format_moment, "date": format_day, "localized": localized, "translated": translated}


@cache
def mail_environment(language: str, timezone: str = DEFAULT_TIMEZONE) -> Environment:
    """A Jinja environment for plain-text mail with the gettext of one language installed."""
    if language not in LANGUAGES:
        raise TemplateError(f"unsupported language {language!r}")
    env = Environment(
        loader=FileSystemLoader(EMAIL_TEMPLATE_DIR),
        autoescape=False,  # noqa: S701 - plain text: nothing rendered here is ever read as HTML
        undefined=StrictUndefined,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The same whitespace rule as the extraction (babel.cfg: trimmed = true), so msgids match.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(_filters(language, timezone))
    env.globals["language"] = language
    return env


def _tidy(text: str) -> str:
    """No trailing spaces (but the signature's "-- "), one blank line at most, one final newline."""
    lines: list[str] = []
    for line in (raw if raw == SIGNATURE_SEPARATOR else raw.rstrip() for raw in text.splitlines()):
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"


def render_email(
    template: str, language: str, context: Mapping[str, Any], *, timezone: str = DEFAULT_TIMEZONE
) -> RenderedEmail:
    """Render one template in one language: the first line is the subject, the rest the body."""
    spec = TEMPLATES.get(template)
    if spec is None or not _NAME.fullmatch(template):
        raise TemplateError(f"unknown e-mail template {template!r}")
    missing = sorted(spec.required - context.keys())
    if missing:
        raise TemplateError(f"template {template!r} needs {', '.join(missing)}")
    values = dict.fromkeys(spec.optional) | dict(context)
    text = mail_environment(language, timezone).get_template(f"{template}.txt").render(values)
    first, _newline, rest = text.lstrip().partition("\n")
    # One line, whatever a title contained: a line break in a header would be refused (or worse).
    subject = " ".join(first.split())
    if not subject:
        raise TemplateError(f"template {template!r} rendered an empty subject")
    return RenderedEmail(subject=subject, body=_tidy(rest))


__all__ = [
    "DEFAULT_TIMEZONE",
    "EMAIL_TEMPLATE_DIR",
    "TEMPLATES",
    "RenderedEmail",
    "TemplateError",
    "TemplateSpec",
    "mail_environment",
    "render_email",
]
