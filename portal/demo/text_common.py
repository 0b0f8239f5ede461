"""Small shared pieces of the demo text builders: languages, a kk/ru/en triple, list joining."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol

__all__ = ["LANGUAGES", "Lang", "Localized", "Trilingual", "join_list"]

#: The portal's three languages; Kazakh is the default.
Lang = Literal["kk", "ru", "en"]
LANGUAGES: Final[tuple[Lang, ...]] = ("kk", "ru", "en")

_AND: Final[dict[Lang, str]] = {"kk": "және", "ru": "и", "en": "and"}


class Localized(Protocol):
    """Anything with ``kk``, ``ru`` and ``en`` text attributes (e.g. the tenant registry's LocalizedText)."""

    @property
    def kk(self) -> str: ...

    @property
    def ru(self) -> str: ...

    @property
    def en(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Trilingual:
    """One text in Kazakh, Russian and English; all three must be non-empty."""

    kk: str
    ru: str
    en: str

    def __post_init__(self) -> None:
        for lang in LANGUAGES:
            if not getattr(self, lang).strip():
                raise ValueError(f"the {lang} text is empty")

    def get(self, lang: Lang) -> str:
        """The text in ``lang``."""
        if lang == "ru":
            return self.ru
        if lang == "en":
            return self.en
        return self.kk

    @classmethod
    def of(cls, value: Localized) -> "Trilingual":
        """Copy any kk/ru/en object (for example ``TenantConfig.territorial_unit.address``)."""
        return cls(kk=value.kk, ru=value.ru, en=value.en)


def join_list(items: Sequence[str], lang: Lang) -> str:
    """``a, b and c`` in the given language (no serial comma): ``a, b және c`` / ``a, b и c``."""
    if not items:
        raise ValueError("nothing to join")
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {_AND[lang]} {items[-1]}"
