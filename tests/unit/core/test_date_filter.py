"""The templates' date filter writes what Babel writes, in every language, month and form (issue 9).

portal.core.templating._date assembles the text itself because Babel is ten times slower on long
lists; these cases pin it to Babel's output.
"""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from babel.dates import format_date, format_datetime

from portal.core.templating import _DATE_FORMATS, _date
from portal.i18n import set_language

LANGUAGES = ("kk", "ru", "en")
DAYS = [date(2026, month, day) for month in range(1, 13) for day in (1, 9, 28)] + [date(5, 1, 1)]
MOMENTS = [
    datetime(2026, 3, 5, 4, 7, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=5))),
    datetime(2025, 7, 1, 0, 0),  # noqa: DTZ001 - naive: Babel takes it as UTC, prints it unchanged
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_read_as_babel_writes_them(language: str) -> None:
    set_language(language)
    for day in DAYS:
        for form, pattern in _DATE_FORMATS.items():
            assert _date(day, form) == format_date(day, pattern, locale=language), (day, form)


@pytest.mark.parametrize("language", LANGUAGES)
def test_datetimes_read_as_babel_writes_them(language: str) -> None:
    set_language(language)
    for moment in MOMENTS:
        expected = format_datetime(moment, "d MMMM y, HH:mm", locale=language, tzinfo=None)
        assert _date(moment) == _date(moment, "short") == expected


def test_nothing_and_unknown_forms() -> None:
    assert _date(None) == ""
    with pytest.raises(KeyError):
        _date(date(2026, 1, 1), "medium")
