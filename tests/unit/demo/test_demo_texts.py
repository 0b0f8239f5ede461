"""The demo announcement texts: region forms, sectoral directions, dates, and the kk/ru/en announcements."""

import re
from dataclasses import FrozenInstanceError, replace
from datetime import date
from pathlib import Path

import pytest

from portal.demo.text_dates import ru_plural
from portal.demo.text_regions import KIND_PRIORITIES, REGION_PRIORITIES
from portal.demo.texts import (
    LANGUAGES,
    REGION_FORMS,
    SECTOR_DIRECTIONS,
    AnnouncementTexts,
    DirectionQuota,
    SelectionTextParams,
    Trilingual,
    announcement_texts,
    format_date,
    format_date_range,
    format_month,
    format_month_in,
    region_names_from_kk_ru_en,
)
from portal.tenancy.registry import TenantKind, load_tenants

TENANTS_DIR = Path(__file__).resolve().parents[3] / "tenants"

#: The 20 ISO 3166-2 codes of rules.md 5.1.
ALL_CODES = (
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
)  # fmt: skip
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
SAMPLE_REGIONS = ("KZ-10", "KZ-11", "KZ-23", "KZ-71", "KZ-75", "KZ-79")


def make_params(**changes: object) -> SelectionTextParams:
    params = SelectionTextParams(
        cycle_year=2025,
        quota=17,
        directions=(
            DirectionQuota("economy_finance", 6),
            DirectionQuota("digitalisation_innovation", 5),
            DirectionQuota("social_sphere", 6),
        ),
        intake_start=date(2025, 3, 3),
        intake_end=date(2025, 4, 1),
        interview_month=date(2025, 6, 1),
        tu_address=Trilingual(
            kk="Семей қ., Абай көшесі, 94", ru="г. Семей, ул. Абая, 94", en="94 Abai Street, Semey"
        ),
        tu_email="abai@reserve-demo.kz",
        tu_phone="+7 7222 00-00-00",
        variant_seed=1,
    )
    return replace(params, **changes)  # type: ignore[arg-type]


def all_text(texts: AnnouncementTexts) -> str:
    return "\n".join((texts.title, texts.summary, texts.body))


# --- region forms ------------------------------------------------------------------------------------


def test_all_twenty_regions_have_forms() -> None:
    assert sorted(REGION_FORMS) == sorted(ALL_CODES)
    for code, forms in REGION_FORMS.items():
        assert forms.code == code
        assert forms.kk_gen.endswith(("облысының", "қаласының"))
        assert forms.kk_loc.endswith(("облысында", "қаласында"))
        assert forms.ru_gen.startswith(("области ", "города ")) or forms.ru_gen.endswith(" области")
        assert "(" not in forms.en
        assert "(" not in forms.en_of
        assert code in REGION_PRIORITIES
        assert len(REGION_PRIORITIES[code]) >= 2


#: code -> (kk_gen, kk_loc, ru_gen, ru_dat, ru_prep, en_of)
EXPECTED_FORMS = {
    "KZ-10": ("Абай облысының", "Абай облысында", "области Абай", "области Абай", "области Абай",
              "Abai Region"),
    "KZ-11": ("Ақмола облысының", "Ақмола облысында", "Акмолинской области", "Акмолинской области",
              "Акмолинской области", "Akmola Region"),
    "KZ-33": ("Жетісу облысының", "Жетісу облысында", "области Жетісу", "области Жетісу", "области Жетісу",
              "Zhetysu Region"),
    "KZ-59": ("Солтүстік Қазақстан облысының", "Солтүстік Қазақстан облысында",
              "Северо-Казахстанской области", "Северо-Казахстанской области", "Северо-Казахстанской области",
              "North Kazakhstan Region"),
    "KZ-71": ("Астана қаласының", "Астана қаласында", "города Астаны", "городу Астане", "городе Астане",
              "the City of Astana"),
    "KZ-75": ("Алматы қаласының", "Алматы қаласында", "города Алматы", "городу Алматы", "городе Алматы",
              "the City of Almaty"),
    "KZ-79": ("Шымкент қаласының", "Шымкент қаласында", "города Шымкента", "городу Шымкенту",
              "городе Шымкенте", "the City of Shymkent"),
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(EXPECTED_FORMS))
def test_grammatical_forms(code: str) -> None:
    forms = REGION_FORMS[code]
    actual = (forms.kk_gen, forms.kk_loc, forms.ru_gen, forms.ru_dat, forms.ru_prep, forms.en_of)
    assert actual == EXPECTED_FORMS[code]


def test_almaty_city_and_region_are_distinct() -> None:
    assert REGION_FORMS["KZ-19"].ru_gen == "Алматинской области"
    assert REGION_FORMS["KZ-19"].kind is TenantKind.OBLAST
    assert REGION_FORMS["KZ-75"].kind is TenantKind.CITY_REP
    assert REGION_FORMS["KZ-71"].kind is TenantKind.CAPITAL


def test_forms_agree_with_the_tenant_files() -> None:
    registry = load_tenants(TENANTS_DIR)
    assert len(registry) == 20
    for tenant in registry:
        derived = region_names_from_kk_ru_en(
            tenant.code, tenant.kind, tenant.name.kk, tenant.name.ru, tenant.name.en
        )
        assert derived == REGION_FORMS[tenant.code]


@pytest.mark.parametrize(
    ("kind", "kk", "ru"),
    [
        (TenantKind.OBLAST, "Абай", "область Абай"),  # no облысы / қаласы
        (TenantKind.OBLAST, "Абай облысы", "Абай"),  # not a recognised Russian shape
        (TenantKind.CITY_REP, "Алматы қаласы", "Алматинская область"),  # kind does not match
    ],
)
def test_underivable_names_are_rejected(kind: TenantKind, kk: str, ru: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        region_names_from_kk_ru_en("KZ-99", kind, kk, ru, "Somewhere")


# --- sectoral directions -----------------------------------------------------------------------------


def test_seven_directions_with_unique_codes_and_names() -> None:
    assert len(SECTOR_DIRECTIONS) == 7
    codes = [direction.code for direction in SECTOR_DIRECTIONS]
    assert len(set(codes)) == 7
    for direction in SECTOR_DIRECTIONS:
        assert re.fullmatch(r"[a-z]+(?:_[a-z]+)*", direction.code)
        assert len(direction.code) <= 40
        for lang in LANGUAGES:
            assert direction.name.get(lang).strip()
            assert direction.description.get(lang).strip()
        assert KAZAKH_LETTERS & set(direction.name.kk + direction.description.kk)
    for lang in LANGUAGES:
        names = [direction.name.get(lang) for direction in SECTOR_DIRECTIONS]
        assert len(set(names)) == 7


def test_direction_seed_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        SECTOR_DIRECTIONS[0].code = "other"  # type: ignore[misc]


# --- dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kk", "ru", "en"),
    [
        (date(2025, 3, 1), "2025 жылғы 1 наурыз", "1 марта 2025 года", "1 March 2025"),
        (date(2024, 1, 15), "2024 жылғы 15 қаңтар", "15 января 2024 года", "15 January 2024"),
        (date(2024, 9, 30), "2024 жылғы 30 қыркүйек", "30 сентября 2024 года", "30 September 2024"),
        (date(2025, 12, 31), "2025 жылғы 31 желтоқсан", "31 декабря 2025 года", "31 December 2025"),
    ],
)
def test_format_date(value: date, kk: str, ru: str, en: str) -> None:
    assert (format_date(value, "kk"), format_date(value, "ru"), format_date(value, "en")) == (kk, ru, en)


def test_format_date_range() -> None:
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    assert format_date_range(start, end, "kk") == "2025 жылғы 1 наурыздан бастап 2025 жылғы 31 наурызға дейін"
    assert format_date_range(start, end, "ru") == "с 1 марта 2025 года по 31 марта 2025 года"
    assert format_date_range(start, end, "en") == "from 1 March 2025 to 31 March 2025"
    assert (
        format_date_range(date(2024, 9, 2), date(2024, 10, 1), "kk")
        == "2024 жылғы 2 қыркүйектен бастап 2024 жылғы 1 қазанға дейін"
    )
    with pytest.raises(ValueError, match="before"):
        format_date_range(end, start, "en")


def test_every_month_range_contains_both_plain_dates() -> None:
    for month in range(1, 13):
        day = date(2025, month, 10)
        for lang in LANGUAGES:
            text = format_date_range(day, day, lang)
            assert text.count(format_date(day, lang)) == 2


def test_format_month() -> None:
    may = date(2025, 5, 20)
    assert format_month(may, "kk") == "2025 жылғы мамыр"
    assert format_month(may, "ru") == "май 2025 года"
    assert format_month(may, "en") == "May 2025"
    assert format_month_in(may, "kk") == "2025 жылғы мамыр айында"
    assert format_month_in(may, "ru") == "в мае 2025 года"
    assert format_month_in(may, "en") == "in May 2025"


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "место"), (2, "места"), (4, "места"), (5, "мест"), (11, "мест"), (12, "мест"), (21, "место"),
     (22, "места"), (25, "мест"), (111, "мест"), (101, "место")],
)  # fmt: skip
def test_ru_plural(count: int, expected: str) -> None:
    assert ru_plural(count, "место", "места", "мест") == expected


# --- announcements -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", SAMPLE_REGIONS)
def test_texts_in_three_languages_carry_the_facts(code: str) -> None:
    params = make_params()
    texts = announcement_texts(REGION_FORMS[code], params)
    assert set(texts) == {"kk", "ru", "en"}
    for lang, announcement in texts.items():
        assert lang in LANGUAGES
        text = all_text(announcement)
        assert announcement.title
        assert announcement.summary
        assert announcement.body
        assert str(params.quota) in announcement.summary
        assert str(params.quota) in announcement.body
        for day in (params.intake_start, params.intake_end):
            assert format_date(day, lang) in announcement.summary
            assert format_date(day, lang) in announcement.body
        assert params.tu_email in announcement.body
        assert params.tu_phone in announcement.body
        assert params.tu_address.get(lang) in announcement.body
        forms = REGION_FORMS[code]
        assert {"kk": forms.kk_gen, "ru": forms.ru_gen, "en": forms.en_of}[lang] in announcement.title
        lowered = text.lower()
        for banned in ("lorem", "ipsum", "todo", "{", "}", "none"):
            assert banned not in lowered, (lang, banned)
        assert "255" in announcement.body.split("\n\n")[-1]
        assert "2023" in announcement.body.split("\n\n")[-1]


def test_titles_follow_the_pattern() -> None:
    abai = announcement_texts(REGION_FORMS["KZ-10"], make_params())
    assert abai["kk"].title == "Абай облысының өңірлік кадр резервіне іріктеу — 2025"
    assert abai["ru"].title == "Отбор в региональный кадровый резерв области Абай — 2025"
    assert abai["en"].title == "Selection into the regional personnel reserve of Abai Region, 2025"
    astana = announcement_texts(REGION_FORMS["KZ-71"], make_params())
    assert astana["kk"].title == "Астана қаласының өңірлік кадр резервіне іріктеу — 2025"
    assert astana["ru"].title == "Отбор в региональный кадровый резерв города Астаны — 2025"


def test_body_is_plain_paragraphs() -> None:
    for code in ALL_CODES:
        for announcement in announcement_texts(REGION_FORMS[code], make_params()).values():
            paragraphs = announcement.body.split("\n\n")
            assert len(paragraphs) >= 6
            assert announcement.paragraphs == tuple(paragraphs)
            assert all(p.strip() == p and p and "\n" not in p for p in paragraphs)
            assert "\n" not in announcement.summary
            assert "\n" not in announcement.title
            assert not re.search(r"[<>*#`_\[\]]", announcement.body + announcement.summary)


def test_body_covers_the_rules() -> None:
    texts = announcement_texts(REGION_FORMS["KZ-39"], make_params())
    ru, en, kk = texts["ru"].body, texts["en"].body, texts["kk"].body
    # cl. 4-5, cl. 6 (five stages), cl. 8 (four documents; paper or e-mail), cl. 9 (consent), cl. 12.
    assert "не старше тридцати пяти лет" in ru
    assert "корпуса «А»" in ru
    assert all(f"{n})" in ru for n in range(1, 6))
    assert "на бумажном носителе" in ru
    assert "адрес электронной почты" in ru
    assert "портал" in ru
    assert "персональных данных" in ru
    assert "сроком на два года" in ru
    assert "five stages" in en
    assert "structured interview" in en
    assert "for two years" in en
    assert "collection and processing of personal data" in en
    assert "бес кезеңнен" in kk
    assert "қағаз жеткізгіште" in kk
    assert "дербес деректерді" in kk
    assert "мамыр" not in kk
    assert "2025 жылғы маусым айында" in kk
    assert "в июне 2025 года" in ru
    assert "planned for June 2025" in en


def test_directions_and_per_direction_places_are_listed() -> None:
    texts = announcement_texts(REGION_FORMS["KZ-23"], make_params())
    assert "«Экономика және қаржы» (6 орын)" in texts["kk"].body
    assert "«Цифровизация и инновации» (5 мест)" in texts["ru"].body
    assert "“Social sphere (education, health care, social protection)” (6 places)" in texts["en"].body
    single = make_params(quota=1, directions=(DirectionQuota("ecology_natural_resources", 1),))
    one = announcement_texts(REGION_FORMS["KZ-23"], single)
    assert "«Экология и природные ресурсы» (1 место)" in one["ru"].body
    assert "(1 place)" in one["en"].body
    assert "1 candidate will be enrolled" in one["en"].summary
    assert "1 candidates" not in all_text(one["en"])
    assert "1 кандидата" in one["ru"].summary or "— 1." in one["ru"].summary


def test_regional_priorities_appear() -> None:
    region = REGION_FORMS["KZ-23"]
    texts = announcement_texts(region, make_params())
    regional = [p for p in REGION_PRIORITIES["KZ-23"] if p.ru in texts["ru"].body]
    common = [p for p in KIND_PRIORITIES[TenantKind.OBLAST] if p.ru in texts["ru"].body]
    assert len(regional) == 2
    assert len(common) == 1
    for priority in (*regional, *common):
        assert priority.kk in texts["kk"].body
        assert priority.en in texts["en"].body


def test_kazakh_texts_use_kazakh_letters() -> None:
    for code in ALL_CODES:
        kk = announcement_texts(REGION_FORMS[code], make_params())["kk"]
        for part in (kk.title, kk.summary, kk.body):
            assert KAZAKH_LETTERS & set(part)


def test_output_is_deterministic() -> None:
    for code in SAMPLE_REGIONS:
        first = announcement_texts(REGION_FORMS[code], make_params(variant_seed=7))
        second = announcement_texts(REGION_FORMS[code], make_params(variant_seed=7))
        assert first == second


def test_variant_seeds_change_the_wording() -> None:
    for code in ALL_CODES:
        region = REGION_FORMS[code]
        one = announcement_texts(region, make_params(variant_seed=1))
        two = announcement_texts(region, make_params(variant_seed=2))
        for lang in LANGUAGES:
            assert one[lang].body != two[lang].body
            assert one[lang].title == two[lang].title  # the facts do not change


def test_regions_and_cycles_vary() -> None:
    bodies = {announcement_texts(REGION_FORMS[code], make_params())["ru"].body for code in ALL_CODES}
    assert len(bodies) == 20
    cycles = {
        announcement_texts(REGION_FORMS["KZ-47"], make_params(cycle_year=year, variant_seed=0))["en"].body
        for year in (2024, 2025, 2026, 2027)
    }
    assert len(cycles) == 4


def test_languages_say_the_same_thing() -> None:
    texts = announcement_texts(REGION_FORMS["KZ-62"], make_params(variant_seed=5))
    counts = {lang: len(texts[lang].paragraphs) for lang in LANGUAGES}
    assert len(set(counts.values())) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quota": 0}, "at least 1"),
        ({"directions": ()}, "at least one"),
        ({"directions": (DirectionQuota("economy_finance"), DirectionQuota("economy_finance"))}, "twice"),
        ({"quota": 10}, "exceed"),
        ({"quota": 20}, "add up"),
        ({"intake_end": date(2025, 3, 1)}, "before it starts"),
        ({"interview_month": date(2025, 3, 1)}, "interview"),
        ({"tu_email": "not-an-address"}, "e-mail"),
        ({"cycle_year": 2020}, "Decree"),
    ],
)
def test_invalid_params_are_rejected(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_params(**changes)


def test_unknown_direction_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown sectoral direction"):
        DirectionQuota("space_programme")
    with pytest.raises(ValueError, match="at least 1"):
        DirectionQuota("economy_finance", 0)


def test_trilingual_requires_every_language() -> None:
    with pytest.raises(ValueError, match="ru"):
        Trilingual(kk="мәтін", ru=" ", en="text")
