"""A tiny pure date formatter for Kazakh, Russian and English (no Babel, no locale, no clock).

Formats, for 1 March 2025:

* kk ``2025 жылғы 1 наурыз``; a range ``2025 жылғы 1 наурыздан бастап 2025 жылғы 31 наурызға дейін``
  (ablative and dative month forms follow Kazakh vowel harmony and consonant assimilation, written out
  per month rather than computed);
* ru ``1 марта 2025 года`` (genitive month); a range ``с 1 марта 2025 года по 31 марта 2025 года``;
* en ``1 March 2025``; a range ``from 1 March 2025 to 31 March 2025``.

Every range form contains the plain form of both dates, so a test (or a reader) can find them.
"""

from datetime import date
from typing import Final

from portal.demo.text_common import Lang

__all__ = [
    "EN_MONTHS",
    "KK_MONTHS",
    "KK_MONTHS_ABLATIVE",
    "KK_MONTHS_DATIVE",
    "RU_MONTHS_GENITIVE",
    "RU_MONTHS_NOMINATIVE",
    "RU_MONTHS_PREPOSITIONAL",
    "format_date",
    "format_date_range",
    "format_month",
    "format_month_in",
    "ru_plural",
]

#: Kazakh month names, nominative (қаңтар = January … желтоқсан = December).
KK_MONTHS: Final[tuple[str, ...]] = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
#: Ablative (шығыс септік, "from"): -дан/-ден after vowels and р, з; -нан/-нен after м, н; -тен after к.
KK_MONTHS_ABLATIVE: Final[tuple[str, ...]] = (
    "қаңтардан", "ақпаннан", "наурыздан", "сәуірден", "мамырдан", "маусымнан",
    "шілдеден", "тамыздан", "қыркүйектен", "қазаннан", "қарашадан", "желтоқсаннан",
)  # fmt: skip
#: Dative (барыс септік, "to"): -ға/-ге after vowels and voiced consonants; -ке after к.
KK_MONTHS_DATIVE: Final[tuple[str, ...]] = (
    "қаңтарға", "ақпанға", "наурызға", "сәуірге", "мамырға", "маусымға",
    "шілдеге", "тамызға", "қыркүйекке", "қазанға", "қарашаға", "желтоқсанға",
)  # fmt: skip
#: Russian months in the genitive, as used in dates ("1 марта").
RU_MONTHS_GENITIVE: Final[tuple[str, ...]] = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
#: Russian months in the nominative ("май 2025 года").
RU_MONTHS_NOMINATIVE: Final[tuple[str, ...]] = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
#: Russian months in the prepositional, after "в" ("в мае 2025 года").
RU_MONTHS_PREPOSITIONAL: Final[tuple[str, ...]] = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)  # fmt: skip
EN_MONTHS: Final[tuple[str, ...]] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(value: date, lang: Lang) -> str:
    """``2025 жылғы 1 наурыз`` / ``1 марта 2025 года`` / ``1 March 2025``."""
    index = value.month - 1
    if lang == "kk":
        return f"{value.year} жылғы {value.day} {KK_MONTHS[index]}"
    if lang == "ru":
        return f"{value.day} {RU_MONTHS_GENITIVE[index]} {value.year} года"
    return f"{value.day} {EN_MONTHS[index]} {value.year}"


def format_date_range(start: date, end: date, lang: Lang) -> str:
    """An inclusive period, written to fit a sentence ("documents are accepted …").

    kk ``2025 жылғы 1 наурыздан бастап 2025 жылғы 31 наурызға дейін``;
    ru ``с 1 марта 2025 года по 31 марта 2025 года``; en ``from 1 March 2025 to 31 March 2025``.
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    if lang == "kk":
        start_kk = f"{start.year} жылғы {start.day} {KK_MONTHS_ABLATIVE[start.month - 1]}"
        end_kk = f"{end.year} жылғы {end.day} {KK_MONTHS_DATIVE[end.month - 1]}"
        return f"{start_kk} бастап {end_kk} дейін"
    if lang == "ru":
        return f"с {format_date(start, 'ru')} по {format_date(end, 'ru')}"
    return f"from {format_date(start, 'en')} to {format_date(end, 'en')}"


def format_month(value: date, lang: Lang) -> str:
    """The month of ``value``: ``2025 жылғы мамыр`` / ``май 2025 года`` / ``May 2025``."""
    index = value.month - 1
    if lang == "kk":
        return f"{value.year} жылғы {KK_MONTHS[index]}"
    if lang == "ru":
        return f"{RU_MONTHS_NOMINATIVE[index]} {value.year} года"
    return f"{EN_MONTHS[index]} {value.year}"


def format_month_in(value: date, lang: Lang) -> str:
    """ "In" the month of ``value``: ``2025 жылғы мамыр айында`` / ``в мае 2025 года`` / ``in May 2025``."""
    index = value.month - 1
    if lang == "kk":
        return f"{value.year} жылғы {KK_MONTHS[index]} айында"
    if lang == "ru":
        return f"в {RU_MONTHS_PREPOSITIONAL[index]} {value.year} года"
    return f"in {EN_MONTHS[index]} {value.year}"


def ru_plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for ``count``: (1, 21 → one), (2-4, 22-24 → few), (0, 5-20, 25 → many)."""
    tail = abs(count) % 100
    if 11 <= tail <= 14:
        return many
    if tail % 10 == 1:
        return one
    if 2 <= tail % 10 <= 4:
        return few
    return many
