"""Every message of the portal is translated into Kazakh and Russian (issue 2, item 4)."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.i18n import CATALOGUE_DIR


def _catalogue(language: str) -> object:
    with (CATALOGUE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_has_its_translation(language: str) -> None:
    catalogue = _catalogue(language)
    missing = [
        message.id
        for message in catalogue  # type: ignore[attr-defined]
        if message.id
        and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    ]
    assert missing == [], f"{len(missing)} messages lack a {language} translation: {missing[:10]}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_fuzzy_translations(language: str) -> None:
    fuzzy = [m.id for m in _catalogue(language) if m.id and m.fuzzy]  # type: ignore[attr-defined]
    assert fuzzy == []


def test_catalogues_cover_the_template_of_extracted_messages() -> None:
    with (CATALOGUE_DIR / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    for language in ("kk", "ru", "en"):
        ids = {m.id for m in _catalogue(language) if m.id}  # type: ignore[attr-defined]
        assert template <= ids, (
            f"run `make extract-messages`: {language} lacks {sorted(map(str, template - ids))[:5]}"
        )


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    for language in ("kk", "ru"):
        for message in _catalogue(language):  # type: ignore[attr-defined]
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            expected = set(pattern.findall(ids[0]))
            for string in strings:
                assert set(pattern.findall(string)) == expected, (language, ids[0], string)


def test_compiled_catalogues_exist() -> None:
    for language in ("kk", "ru"):
        assert Path(CATALOGUE_DIR / language / "LC_MESSAGES" / "messages.mo").exists()
