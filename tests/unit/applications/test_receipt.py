"""The PDF receipt of an application (cl. 8, 9; issue 5 item 6): text, fingerprints, fonts, layout."""

import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files
from io import BytesIO
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from portal.applications.receipt import (
    LABELS,
    ReceiptData,
    ReceiptDocument,
    format_local_time,
    format_size,
    render_receipt,
)

FULL_IIN = "960415450019"
MASKED_IIN = "9604******19"
KINDS = {
    "kk": ("Жеке куәліктің көшірмесі", "Өтініш", "Білімі туралы құжаттар", "Еңбек қызметін растайтын құжат"),
    "ru": ("Копия удостоверения личности", "Заявление", "Документы об образовании", "Трудовая деятельность"),
    "en": ("Copy of the ID card", "Application", "Education documents", "Employment record"),
}
FILES = (
    ("udostoverenie.pdf", 345_678, "application/pdf"),
    ("otinish-saparova.pdf", 120_000, "application/pdf"),
    ("Диплом бакалавра Қарағанды университеті.pdf", 4_812_345, "application/pdf"),
    ("enbek-kitapshasy.jpg", 1_048_576, "image/jpeg"),
)


def documents(language: str, count: int = 4) -> tuple[ReceiptDocument, ...]:
    return tuple(
        ReceiptDocument(
            kind_label=KINDS[language][i % 4],
            file_name=FILES[i % 4][0],
            size_bytes=FILES[i % 4][1],
            sha256=hashlib.sha256(f"file {i}".encode()).hexdigest(),
            media_type=FILES[i % 4][2],
        )
        for i in range(count)
    )


def receipt(language: str, **changes: object) -> ReceiptData:
    data = ReceiptData(
        language=language,
        reference="KZ-71-2026-000123",
        submitted_at=datetime(2026, 3, 5, 9, 7, 9, tzinfo=UTC),
        candidate_name="Әйгерім Сапарова Болатқызы",
        candidate_iin_masked=MASKED_IIN,
        region_name="Қарағанды облысы",
        selection_title="Өңірлік кадр резервіне іріктеу: ауыл шаруашылығы, жиһаз өнеркәсібі және тұрғын үй",
        selection_reference="SEL-35-2026-004",
        direction_name="Ауыл шаруашылығы",
        channel="portal",
        consent_version="2026-01",
        consent_accepted_at=datetime(2026, 3, 5, 9, 5, tzinfo=UTC),
        documents=documents(language),
        verify_url="https://karaganda.reserve.gov.kz/me/applications/KZ-71-2026-000123/receipt",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> str:
    """The text of every page, runs of whitespace made one space: table cells wrap their lines."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {language: render_receipt(receipt(language)) for language in ("kk", "ru", "en")}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_receipt_shows_what_was_received(rendered: dict[str, bytes], language: str) -> None:
    pdf = rendered[language]
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    text = text_of(pdf)
    assert "KZ-71-2026-000123" in text
    assert MASKED_IIN in text
    assert FULL_IIN not in squeeze(text)
    for doc in receipt(language).documents:
        assert doc.sha256 in squeeze(text)
        assert doc.kind_label in text
    assert format_size(4_812_345, language) in text
    assert "SEL-35-2026-004" in text
    assert "https://karaganda.reserve.gov.kz/me/applications/KZ-71-2026-000123/receipt" in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_kazakh_letters_survive_in_every_language(rendered: dict[str, bytes], language: str) -> None:
    text = text_of(rendered[language])
    assert "Әйгерім Сапарова Болатқызы" in text
    assert "Қарағанды облысы" in text
    assert "Диплом бакалавра Қарағанды университеті.pdf" in text
    assert set("әғқңөұүһі") <= set(text.lower())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", ["Өтініштің қабылданғаны туралы қолхат", "Үміткер", "ЖСН", "Сала бағыты", "портал арқылы"]),
        ("ru", ["Расписка о приёме заявления", "Кандидат", "ИИН", "Отраслевое направление", "через портал"]),
        ("en", ["Receipt for an application", "Candidate", "IIN", "Sector direction", "through the portal"]),
    ],
)
def test_labels_are_in_the_chosen_language(
    rendered: dict[str, bytes], language: str, expected: list[str]
) -> None:
    text = text_of(rendered[language])
    for label in [*expected, *LABELS[language]["columns"].split("|")]:
        assert label in text
    assert "SHA-256" in text


@pytest.mark.parametrize(
    ("channel", "shown"), [("paper", "на бумажном носителе"), ("Через ЦОН", "Через ЦОН")]
)
def test_channel_code_is_labelled_and_a_translated_label_kept(channel: str, shown: str) -> None:
    assert shown in text_of(render_receipt(receipt("ru", channel=channel)))


def test_times_are_shown_in_almaty_with_the_zone(rendered: dict[str, bytes]) -> None:
    text = text_of(rendered["ru"])
    assert "05.03.2026 14:07:09 (Asia/Almaty, UTC+05:00)" in text
    assert "версия 2026-01, дано 05.03.2026 14:05:00 (Asia/Almaty, UTC+05:00)" in text
    late_evening = datetime(2026, 3, 5, 23, 30, tzinfo=timezone(timedelta(hours=3)))
    assert format_local_time(late_evening, "kk") == "06.03.2026 01:30:00 (Asia/Almaty, UTC+05:00)"
    assert format_local_time(late_evening, "en") == "2026-03-06 01:30:00 (Asia/Almaty, UTC+05:00)"


def test_sizes_in_kilobytes_and_megabytes() -> None:
    assert format_size(1536, "ru") == "1,5 КБ"
    assert format_size(1536, "en") == "1.5 KB"
    assert format_size(10 * 1024 * 1024, "kk") == "10,0 МБ"
    assert format_size(4_812_345, "en") == "4.6 MB"


def test_long_file_names_and_long_titles_wrap() -> None:
    long_name = "Диплом_бакалавра_" + "Қарағанды_университеті_" * 8 + "қосымшасымен.pdf"
    long_title = "Өңірлік кадр резервіне іріктеу, " * 20 + "Қарағанды облысы"
    docs = tuple(replace(doc, file_name=long_name) for doc in documents("kk"))
    pdf = render_receipt(receipt("kk", documents=docs, selection_title=long_title, direction_name=None))
    text = squeeze(text_of(pdf))
    assert squeeze(long_name) in text
    assert squeeze(long_title) in text
    assert "—" in text  # no sector direction


def test_many_documents_flow_onto_numbered_pages() -> None:
    data = receipt("en", documents=documents("en", count=20))
    pdf = render_receipt(data)
    reader = PdfReader(BytesIO(pdf))
    pages = len(reader.pages)
    assert pages > 1
    assert f"KZ-71-2026-000123 · 1 / {pages}" in reader.pages[0].extract_text()
    assert f"KZ-71-2026-000123 · {pages} / {pages}" in reader.pages[-1].extract_text()
    assert "SHA-256" in reader.pages[-1].extract_text()  # the table headings repeat
    text = squeeze(text_of(pdf))
    assert all(doc.sha256 in text for doc in data.documents)


def test_metadata_and_fonts(rendered: dict[str, bytes]) -> None:
    reader = PdfReader(BytesIO(rendered["kk"]))
    info = reader.metadata
    assert info is not None
    assert info.title == "Өтініштің қабылданғаны туралы қолхат KZ-71-2026-000123"
    assert info.creation_date == datetime(2026, 3, 5, 9, 7, 9, tzinfo=UTC)
    assert "fpdf2" in (info.producer or "")
    assert str(reader.root_object["/Lang"]) == "kk"
    resources = reader.pages[0]["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    fonts = resources["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    names = {str(cast(DictionaryObject, fonts[key])["/BaseFont"]).lstrip("/").split("+")[-1] for key in fonts}
    assert names == {"DejaVuSansBook", "DejaVuSansBold", "Courier"}  # DejaVu embedded as subsets


def test_fonts_and_licence_ship_inside_the_package() -> None:
    fonts = files("portal.applications").joinpath("fonts")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert fonts.joinpath(name).read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines
    assert "Bitstream Vera" in fonts.joinpath("LICENSE.txt").read_text(encoding="utf-8")


def test_same_receipt_renders_to_the_same_bytes(rendered: dict[str, bytes]) -> None:
    assert render_receipt(receipt("kk")) == rendered["kk"]


@pytest.mark.parametrize(
    "changes",
    [
        {"language": "de"},
        {"channel": " "},
        {"candidate_iin_masked": FULL_IIN},
        {"submitted_at": datetime(2026, 3, 5, 14, 7)},  # noqa: DTZ001 - a naive time is the error
        {"consent_accepted_at": datetime(2026, 3, 5, 14, 5)},  # noqa: DTZ001
        {"documents": (ReceiptDocument("Өтініш", "a.pdf", 10, "not-a-digest", "application/pdf"),)},
    ],
)
def test_bad_data_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"."):
        render_receipt(replace(receipt("kk"), **changes))  # type: ignore[arg-type]
