"""The Kazakh text of Decree No. 255 as parsed for /rules, and the ru/en summaries that go with it."""

import hashlib
import re
from pathlib import Path

import pytest

from portal.legal.decree import (
    Decree,
    DecreeParseError,
    load_decree,
    load_decree_text,
    parse_decree,
)
from portal.legal.summaries import (
    CHAPTER_NOTES,
    CHAPTER_TITLES,
    DECREE_TITLE,
    DISCLAIMER,
    RULES_TITLE,
    SECTION_SUMMARIES,
    SUMMARIES,
    SUMMARY_LABEL,
    TEXT_NOTES,
)

#: SHA-256 of /work/shared/seed/decree-255-rules.kk.txt; the shipped copy must be the same bytes.
SEED_SHA256 = "76ed49aea531780c22c818bf585a185dcf66bf20044d18a21b2cc5af7ceaf0b2"
SEED_PATH = Path("/work/shared/seed/decree-255-rules.kk.txt")

#: What the real file contains: chapter number, Kazakh title, clause numbers.
EXPECTED_CHAPTERS: list[tuple[str, str, list[str]]] = [
    ("1", "Жалпы ережелер", ["1", "2", "3", "4", "5"]),
    ("2", "Өңірлік резервке іріктеу", ["6", "7", "8", "9", "10", "11", "12", "13"]),
    ("2-1", "Іріктеу жүргізілмей өңірлік резервке алу", ["13-1", "13-2", "13-3", "13-4"]),
    ("3", "Өңірлік резервтен тағайындау", ["14", "15", "16", "17"]),
    ("4", "Өңірлік резервтен шығару", ["18"]),
]
ALL_CLAUSES = [number for _, _, numbers in EXPECTED_CHAPTERS for number in numbers]
#: Clauses with numbered sub-items "1)" .. and how many; every other clause has none.
EXPECTED_ITEMS = {"6": 5, "8": 4, "13": 3, "18": 11}

URL_SAFE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def decree() -> Decree:
    return load_decree()


def _source_lines() -> list[str]:
    return [line.strip() for line in load_decree_text().splitlines() if line.strip()]


# --- the shipped file ----------------------------------------------------------------------------


def test_shipped_text_is_the_seed_byte_for_byte(decree: Decree) -> None:
    assert hashlib.sha256(load_decree_text().encode("utf-8")).hexdigest() == SEED_SHA256
    assert decree.sha256 == SEED_SHA256


@pytest.mark.skipif(not SEED_PATH.exists(), reason="the shared seed is not on this machine")
def test_shipped_text_matches_the_shared_seed() -> None:
    assert load_decree_text().encode("utf-8") == SEED_PATH.read_bytes()


def test_load_decree_is_cached() -> None:
    assert load_decree() is load_decree()


# --- structure -----------------------------------------------------------------------------------


def test_chapters_and_clause_numbers(decree: Decree) -> None:
    found = [(c.number, c.title_kk, [clause.number for clause in c.clauses]) for c in decree.chapters]
    assert found == EXPECTED_CHAPTERS
    assert [clause.number for clause in decree.clauses] == ALL_CLAUSES


def test_chapter_headings_as_published(decree: Decree) -> None:
    assert decree.chapter("1").heading == "1-тарау. Жалпы ережелер"
    # the seed spells this one without the hyphen
    assert decree.chapter("2-1").heading == "2-1 тарау. Іріктеу жүргізілмей өңірлік резервке алу"


def test_chapter_2_1_keeps_its_note_on_decree_418(decree: Decree) -> None:
    notes = {c.number: [n.text for n in c.notes] for c in decree.chapters if c.notes}
    assert list(notes) == ["2-1"]
    (note,) = notes["2-1"]
    assert note.startswith("Ескерту. Қағида 2-1-тараумен толықтырылды")
    assert "№ 418" in note


def test_each_clause_starts_with_its_number(decree: Decree) -> None:
    for clause in decree.clauses:
        first = clause.paragraphs[0]
        assert first.marker == f"{clause.number}."
        assert first.text.startswith(f"{clause.number}. ")
        assert first.body == first.text.removeprefix(f"{clause.number}. ")


@pytest.mark.parametrize(("number", "count"), sorted(EXPECTED_ITEMS.items()))
def test_sub_items(decree: Decree, number: str, count: int) -> None:
    items = decree.clause(number).items
    assert len(items) == count
    assert [item.item for item in items] == [str(n) for n in range(1, count + 1)]
    assert [item.anchor for item in items] == [f"cl-{number}-item-{n}" for n in range(1, count + 1)]


def test_other_clauses_have_no_sub_items(decree: Decree) -> None:
    assert {c.number: len(c.items) for c in decree.clauses if c.items} == EXPECTED_ITEMS


def test_clause_6_has_the_five_stages_then_the_e_qyzmet_paragraph(decree: Decree) -> None:
    clause = decree.clause("6")
    assert [p.body for p in clause.items] == [
        "кандидаттардың құжаттарын қабылдау;",
        "заңнаманы білуге тестілеу және жеке қасиеттерін бағалау;",
        "уәкілетті орган жүргізетін құзыреттерді бағалау;",
        "комиссиядағы құрылымдық сұхбат (бұдан әрі – құрылымдық сұхбат);",
        "комиссияның отырысында өңірлік резервке алуға ұсынылған кандидатураларды қарау.",
    ]
    assert clause.paragraphs[-1].item is None
    assert '"Е-қызмет"' in clause.paragraphs[-1].text


def test_further_paragraphs_of_clauses(decree: Decree) -> None:
    counts = {c.number: len(c.paragraphs) - len(c.items) for c in decree.clauses}
    assert {number: n for number, n in counts.items() if n > 1} == {"2": 2, "6": 2, "7": 2, "10": 3, "12": 2}


def test_clause_18_grounds(decree: Decree) -> None:
    items = decree.clause("18").items
    assert items[0].body == "өз қалауы бойынша;"
    assert items[7].body.startswith("өңірлік резервте болу кезеңінде қылмыс")
    assert "52-бабы" in items[10].text  # the wrap "52" / "-бабы" is joined without a space
    assert items[10].text.endswith("өңірлік резервтен шығаруды жүзеге асырады.")


def test_the_text_is_kept_as_published(decree: Decree) -> None:
    # rules.md 0.3: the defects stay; the summaries and TEXT_NOTES explain them.
    assert "басталардан 15 бес жұмыс күні бұрын" in decree.clause("7").text
    assert "уәкілеті органға" in decree.clause("15").text
    assert "Заңының 15-бабының  сәйкес" in decree.clause("1").text
    assert "16-бабы  талаптарына" in decree.clause("11").text
    assert decree.clause("14").text.endswith("шарттарда орналаса алады.")


def test_the_decree_itself(decree: Decree) -> None:
    assert decree.title.startswith("Облыстың, республикалық маңызы бар қаланың, астананың өңірлік кадр")
    assert decree.title.endswith("жарлықтарына өзгерістер енгізу туралы")
    assert '№ 520 және "Президенттік' in decree.title  # an opening quote joins its wrapped word
    assert decree.act == "Қазақстан Республикасы Президентінің 2023 жылғы 15 маусымдағы № 255 Жарлығы."
    assert decree.enacting_formula == "ҚАУЛЫ ЕТЕМІН:"
    assert [(p.number, p.anchor) for p in decree.paragraphs] == [
        ("1", "decree-1"),
        ("2", "decree-2"),
        ("3", "decree-3"),
    ]
    assert decree.signature == "Қазақстан Республикасының Президенті Қ. Тоқаев"
    assert decree.approval == (
        "Қазақстан Республикасы",
        "Президентінің",
        "2023 жылғы 15 маусымдағы",
        "№ 255 Жарлығымен",
        "БЕКІТІЛГЕН",
    )
    assert decree.rules_title.endswith("қалыптастыру және одан тағайындау ҚАҒИДАЛАРЫ")


def test_amendments_of_decrees_520_and_141(decree: Decree) -> None:
    assert [(a.item, a.act_number, a.anchor) for a in decree.amendments] == [
        ("1", "520", "amend-520"),
        ("2", "141", "amend-141"),
    ]
    assert [len(p.amendments) for p in decree.paragraphs] == [0, 2, 0]
    amend_520, amend_141 = decree.amendments
    # The restated clauses of the model regulation are quoted text of the amendment, not Rules clauses.
    assert any(p.text.startswith('"12. Жұмыс органы') for p in amend_520.paragraphs)
    assert amend_520.paragraphs[0].marker == "1)"  # the head: sub-item 1) of decree paragraph 2
    # then the quoted tasks 1)-4) and functions 1)-11) of the restated model regulation
    assert sum(1 for p in amend_520.paragraphs[1:] if p.item is not None) == 4 + 11
    assert amend_141.paragraphs[-1].text.endswith("деген жол алып тасталсын.")
    assert all(p.anchor is None for a in decree.amendments for p in a.paragraphs)


def test_anchors_are_unique_and_url_safe(decree: Decree) -> None:
    anchors = decree.anchors()
    assert len(anchors) == len(set(anchors))
    assert all(URL_SAFE.match(anchor) for anchor in anchors), anchors
    expected_clause_anchors = [f"cl-{n}" for n in ALL_CLAUSES]
    assert [a for a in anchors if re.fullmatch(r"cl-\d+(-\d+)?", a)] == expected_clause_anchors
    assert [a for a in anchors if a.startswith("ch-")] == ["ch-1", "ch-2", "ch-2-1", "ch-3", "ch-4"]
    assert "cl-13-1" in anchors  # the clause, distinct from cl-13-item-1
    assert "cl-13-item-1" in anchors


# --- nothing dropped, nothing added --------------------------------------------------------------


def test_every_source_line_is_in_the_parsed_text(decree: Decree) -> None:
    text = decree.plain_text()
    missing = [line for line in _source_lines() if line not in text]
    assert missing == []


def test_parsed_text_has_the_same_characters_in_the_same_order(decree: Decree) -> None:
    assert "".join(decree.plain_text().split()) == "".join(load_decree_text().split())


def test_every_source_line_belongs_to_exactly_one_place(decree: Decree) -> None:
    paragraph_texts = (
        [decree.title, decree.act, decree.enacting_formula, decree.signature, decree.rules_title]
        + list(decree.approval)
        + [p.text for d in decree.paragraphs for p in d.paragraphs]
        + [p.text for a in decree.amendments for p in a.paragraphs]
        + [c.heading for c in decree.chapters]
        + [n.text for c in decree.chapters for n in c.notes]
        + [p.text for c in decree.clauses for p in c.paragraphs]
    )
    assert sum(len("".join(t.split())) for t in paragraph_texts) == len("".join(load_decree_text().split()))


# --- the parser fails loudly ----------------------------------------------------------------------


def test_clauses_out_of_order_are_refused() -> None:
    text = load_decree_text().replace("      14. Өңірлік", "      12. Өңірлік", 1)
    with pytest.raises(DecreeParseError, match="clause 12 out of order"):
        parse_decree(text)


def test_a_skipped_sub_item_is_refused() -> None:
    text = load_decree_text().replace("      2) өтініш;", "      3) өтініш;", 1)
    with pytest.raises(DecreeParseError, match="sub-item 3"):
        parse_decree(text)


def test_a_missing_enacting_formula_is_refused() -> None:
    with pytest.raises(DecreeParseError):
        parse_decree(load_decree_text().replace("ҚАУЛЫ ЕТЕМІН:", "", 1))


# --- summaries -----------------------------------------------------------------------------------


def test_every_clause_has_a_summary_and_no_summary_is_orphaned(decree: Decree) -> None:
    assert list(SUMMARIES) == [clause.number for clause in decree.clauses]
    for number, summary in SUMMARIES.items():
        assert summary.ru.strip(), number
        assert summary.en.strip(), number


def test_chapter_titles_and_notes_match_the_chapters(decree: Decree) -> None:
    assert list(CHAPTER_TITLES) == [chapter.number for chapter in decree.chapters]
    assert list(CHAPTER_NOTES) == [chapter.number for chapter in decree.chapters if chapter.notes]


def test_section_summaries_cover_the_decree_paragraphs_and_amendments(decree: Decree) -> None:
    expected = [p.anchor for p in decree.paragraphs] + [a.anchor for a in decree.amendments]
    assert sorted(SECTION_SUMMARIES) == sorted(expected)


def test_text_notes_point_at_existing_anchors(decree: Decree) -> None:
    assert set(TEXT_NOTES) <= set(decree.anchors())
    defects = {
        "cl-1",
        "cl-7",
        "cl-11",
        "cl-13-item-3",
        "cl-15",
        "cl-18-item-8",
        "cl-18-item-11",
    }  # rules.md 0.3
    assert defects <= set(TEXT_NOTES)


def test_clause_7_summary_keeps_the_a01_note() -> None:
    summary = SUMMARIES["7"]
    for text in (summary.ru, summary.en):
        assert "15 бес" in text
        assert "15" in text.split("15 бес", 1)[1]  # ... and says the portal applies 15
    assert "пять" in summary.ru
    assert "five" in summary.en


def test_clause_18_summary_lists_the_eleven_grounds() -> None:
    summary = SUMMARIES["18"]
    assert all(f"({n})" in summary.en for n in range(1, 12))
    assert all(f"{n}) " in summary.ru for n in range(1, 12))


def test_clause_6_summary_lists_the_five_stages() -> None:
    summary = SUMMARIES["6"]
    assert all(f"({n})" in summary.en for n in range(1, 6))
    assert "«Е-қызмет»" in summary.ru


def _all_ru_en() -> list[tuple[str, str, str]]:
    texts = [
        ("decree-title", DECREE_TITLE.ru, DECREE_TITLE.en),
        ("rules-title", RULES_TITLE.ru, RULES_TITLE.en),
    ]
    for group in (SUMMARIES, SECTION_SUMMARIES, CHAPTER_NOTES, TEXT_NOTES):
        texts += [(key, value.ru, value.en) for key, value in group.items()]
    texts += [(f"ch-{key}", value.ru, value.en) for key, value in CHAPTER_TITLES.items()]
    return texts


def test_russian_has_no_latin_letters_and_english_no_cyrillic_outside_quotes() -> None:
    # guards against look-alike letters (Latin "c", "o" in Russian words) and untranslated text
    for key, ru, en in _all_ru_en():
        assert not LATIN.search(ru), key
        assert not CYRILLIC.search(re.sub(r'"[^"]*"', "", en)), key


def test_disclaimer_and_labels_say_the_summaries_are_unofficial() -> None:
    assert set(DISCLAIMER) == set(SUMMARY_LABEL) == {"kk", "ru", "en"}
    assert "unofficial summaries" in DISCLAIMER["en"]
    assert "official Russian text" in DISCLAIMER["en"]
    assert "неофициальные краткие изложения" in DISCLAIMER["ru"]
    assert "ресми емес" in DISCLAIMER["kk"]
    assert "№ 255" in DISCLAIMER["kk"]
    assert SUMMARY_LABEL["ru"].startswith("Неофициальн")
    assert SUMMARY_LABEL["en"] == "Unofficial summary"


def test_summaries_are_one_to_three_sentences() -> None:
    sentence_end = re.compile(r'[.!?]["»]?(?:\s+(?=[A-ZА-ЯЁ«"(])|$)')
    for number, summary in SUMMARIES.items():
        for text in (summary.ru, summary.en):
            assert 1 <= len(sentence_end.findall(text)) <= 3, (number, text)
