"""The minutes PDF (portal.commission.minutes_pdf; issue 7 item 6; cl. 6(5); rules.md A-20): Kazakh and
Russian in one file, the votes per member for an open ballot and only the totals for a secret one."""

from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from portal.commission.minutes_pdf import (
    ItemRecord,
    MinutesContent,
    Person,
    RecusalLine,
    VoteLine,
    render_minutes,
)

ZONE = ZoneInfo("Asia/Almaty")
OPEN_ITEM = ItemRecord(
    position=1, kind="enrolment", clause="12", selection_reference="KZ-71-2025-0001",
    candidate_name="Серікова Айгерім", candidate_reference="KZ-71-2025-000010", decided=True,
    outcome="adopted", members=5, present=4, quorum_required=4, quorum_met=True, votes_for=3,
    votes_against=1, abstained=0,
    votes=(VoteLine("Төлеуов Асқар", "for"), VoteLine("Қасымова Әлия", "against"),
           VoteLine("Жұмабаев Берік", "for"), VoteLine("Нұрмағанбетова Сәуле", "for")),
    recused=(RecusalLine("Сейітов Ерлан", "туыс"),), term=(date(2025, 2, 20), date(2027, 2, 20)),
)  # fmt: skip
SECRET_ITEM = ItemRecord(
    position=2, kind="cut_off", clause="10", selection_reference="KZ-71-2025-0001", stage="testing",
    decided=True, outcome="rejected", secret=True, members=6, present=4, quorum_required=4,
    quorum_met=True, votes_for=2, votes_against=2, tie=True,
)  # fmt: skip
CONTENT = MinutesContent(
    region={"kk": "Астана қаласы", "ru": "город Астана"},
    number=7, year=2025, version=1,
    held_at=datetime(2025, 2, 20, 10, 0, tzinfo=ZONE), place="Акимат, зал 1",
    secret_ballot=False, quorum="2/3",
    people=(Person("Төлеуов Асқар", "Аким", "chair", "present"),
            Person("Оспанов Марат", "", "deputy_chair", "absent"),
            Person("Сейітов Ерлан", "", "member", "remote"), Person("Әбенова Гүлнар", "", "secretary", "")),
    presiding="Төлеуов Асқар", secretary="Әбенова Гүлнар",
    items=(OPEN_ITEM, SECRET_ITEM, ItemRecord(position=3, kind="enrolment", clause="12", candidate_name="Б")),
    created_at=datetime(2025, 2, 20, 12, 0, tzinfo=UTC),
)  # fmt: skip


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


@pytest.fixture(scope="module")
def text() -> str:
    return _text(render_minutes(CONTENT))


def test_cl6_5_both_languages_number_region_date_and_place(text: str) -> None:
    assert "№ 7/2025 ХАТТАМА" in text and "ПРОТОКОЛ № 7/2025" in text
    assert "Астана қаласы" in text and "город Астана" in text
    assert "20 февраля 2025, 10:00" in text and "20 ақпан 2025, 10:00" in text and "Акимат, зал 1" in text
    assert "открытое голосование" in text and "2/3 от числа членов комиссии" in text


def test_cl6_5_attendance_with_positions_and_presence(text: str) -> None:
    assert "Төлеуов Асқар Аким Председатель присутствовал(а)" in text
    assert "Оспанов Марат Заместитель председателя отсутствовал(а)" in text
    assert "Сейітов Ерлан Член комиссии дистанционно" in text
    assert "Әбенова Гүлнар Секретарь вёл(а) протокол" in text


def test_a20_open_ballot_votes_per_member_secret_ballot_only_totals(text: str) -> None:
    assert "Қасымова Әлия — против" in text and "Қасымова Әлия — қарсы" in text
    assert "за — 3, против — 1, воздержались — 0." in text
    assert "Заявил(а) о конфликте интересов и не голосовал(а): Сейітов Ерлан (туыс)" in text
    assert "Тайное голосование: голоса членов комиссии не указываются, только итоги." in text
    assert "за — 2, против — 2, воздержались — 0." in text and "Голоса разделились поровну" in text
    assert "Этап: тестирование" in text and "пункт 10 Правил" in text


def test_cl12_decisions_with_the_membership_term(text: str) -> None:
    assert "РЕШЕНИЕ: принято." in text and "РЕШЕНИЕ: не принято." in text
    assert (
        "Зачислить Серікова Айгерім в региональный кадровый резерв с 20 февраля 2025 по 20 февраля 2027"
        in text
    )
    assert "Вопрос не рассматривался" in text and "Мәселе қаралмады" in text
    assert "Председательствующий: Төлеуов Асқар" in text and "Комиссия хатшысы: Әбенова Гүлнар" in text


def test_cl6_5_a_version_re_renders_to_the_same_bytes() -> None:
    assert render_minutes(CONTENT) == render_minutes(CONTENT)


def test_cl6_5_a_correction_says_what_it_replaces() -> None:
    corrected = _text(render_minutes(replace(CONTENT, version=2, replaces_version=1, note="Место уточнено")))
    assert "редакция 2" in corrected and "Настоящая редакция заменяет редакцию 1 протокола" in corrected
    assert "Исправление: Место уточнено" in corrected and "Түзету: Место уточнено" in corrected


def test_a20_a_secret_ballot_never_carries_member_votes() -> None:
    leaking = replace(SECRET_ITEM, votes=(VoteLine("X", "for"),))
    with pytest.raises(ValueError, match="secret ballot"):
        render_minutes(replace(CONTENT, items=(leaking,)))


def test_cl6_5_times_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        render_minutes(replace(CONTENT, held_at=datetime(2025, 2, 20, 10, 0)))  # noqa: DTZ001


def test_cl18_cl13_3_an_item_about_a_person_names_them_and_the_recorded_reason() -> None:
    exclusion = ItemRecord(
        position=1, kind="exclusion", clause="18(2)", candidate_name="Шығарылатын Адам", decided=True,
        outcome="adopted", members=5, present=5, quorum_required=4, quorum_met=True, votes_for=5,
        reason="Соттың заңды күшіне енген үкімі",
    )  # fmt: skip
    text = _text(render_minutes(replace(CONTENT, items=(exclusion,))))
    assert "Тұлға: Шығарылатын Адам" in text and "Лицо: Шығарылатын Адам" in text
    assert "Негіздеме: Соттың заңды күшіне енген үкімі" in text
    assert "Основание: Соттың заңды күшіне енген үкімі" in text
    assert "өтініш №" not in text and "заявление №" not in text
