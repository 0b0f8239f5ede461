"""Kazakh (default), Russian and English: gettext catalogues and the request's language.

The language of the request being served lives in a context variable set by the request
middleware, so templates, error pages and services translate without threading it through.
"""

from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Final

from babel.support import NullTranslations, Translations

from portal.core.settings import LANGUAGES, Language

CATALOGUE_DIR: Final = Path(__file__).resolve().parent
DOMAIN: Final = "messages"
#: The language switcher shows each language in itself.
LANGUAGE_NAMES: Final[Mapping[str, str]] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_current: ContextVar[Language] = ContextVar("language", default="kk")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of one language (compiled by `make` from portal/i18n/*/LC_MESSAGES/*.po)."""
    if language == "en":
        # English is the source language: messages are written in English in the code.
        return Translations.load(str(CATALOGUE_DIR), ["en"], DOMAIN)
    loaded = Translations.load(str(CATALOGUE_DIR), [language], DOMAIN)
    if not isinstance(loaded, Translations):
        raise RuntimeError(
            f"no compiled catalogue for {language!r} in {CATALOGUE_DIR}: run `make translations`"
        )
    return loaded


def set_language(language: Language) -> None:
    _current.set(language)


def get_language() -> Language:
    return _current.get()


def raw_gettext(message: str) -> str:
    """The translation alone, unformatted (what Jinja's newstyle gettext wants: it formats itself)."""
    return str(translations(get_language()).ugettext(message))


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    return str(translations(get_language()).ungettext(singular, plural, n))


def gettext(message: str, **variables: object) -> str:
    """Translate into the request's language; ``%(name)s`` placeholders are filled from variables."""
    text = raw_gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    return raw_ngettext(singular, plural, n) % {"num": n, **variables}


def gettext_in(language: str, message: str, **variables: object) -> str:
    """Translate into a given language (a message for someone else than the current reader)."""
    text = str(translations(language).ugettext(message))
    return text % variables if variables else text


_ = gettext


def parse_language(value: str | None) -> Language | None:
    """A supported language code from a query parameter or cookie, else None."""
    if value is None:
        return None
    value = value.strip().lower()[:2]
    for language in LANGUAGES:
        if language == value:
            return language
    return None


def from_accept_language(header: str | None) -> Language | None:
    """The best supported language of an Accept-Language header (RFC 9110 quality values)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip()))
    for negative_quality, _index, tag in sorted(ranked):
        language = parse_language(tag.split("-")[0])
        if language is not None and negative_quality < 0:
            return language
    return None


def negotiate(
    query: str | None, cookie: str | None, accept_language: str | None, default: Language
) -> Language:
    """?lang= first, then the switcher's cookie, then Accept-Language, then the default (kk)."""
    return parse_language(query) or parse_language(cookie) or from_accept_language(accept_language) or default


__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "N_",
    "Language",
    "_",
    "from_accept_language",
    "get_language",
    "gettext",
    "gettext_in",
    "negotiate",
    "ngettext",
    "parse_language",
    "raw_gettext",
    "raw_ngettext",
    "set_language",
    "translations",
]
