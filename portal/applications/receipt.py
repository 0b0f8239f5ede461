"""The PDF receipt for a submitted application (cl. 8, 9): what the candidate sent, and when.

Framework-free. DejaVu Sans ships in fonts/ (licence there), so Kazakh and Russian need no system
fonts. The creation date is the submission time, so a receipt always re-renders to the same bytes.
fpdf2 (and fontTools under it) takes about 0.3 s to import, so it is imported when the first
receipt is drawn, not when the portal starts (issue 9: cold start).
"""

import functools
import re
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import as_file, files
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from fpdf import FPDF

ALMATY = "Asia/Almaty"
CHANNELS = ("portal", "paper", "email")

# "|" separates items in a fixed order: facts (submitted, candidate, IIN, region, selection, sector
# direction, channel, consent), channels (in the order of CHANNELS), document table columns.
LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "portal": "Өңірлік кадр резерві порталы",
        "title": "Өтініштің қабылданғаны туралы қолхат",
        "reference": "Өтініштің тіркеу нөмірі",
        "facts": "Берілген уақыты|Үміткер|ЖСН|Өңір|Іріктеу|Сала бағыты|Беру тәсілі|Келісім (9-тармақ)",
        "channels": "портал арқылы|қағаз түрінде|электрондық пошта арқылы",
        "consent": "{version} нұсқасы, {time} қабылданды",
        "documents": "Қабылданған құжаттар",
        "columns": "Құжат түрі|Файл атауы|Көлемі|SHA-256",
        "note": "SHA-256 цифрлық іздері портал қабылдаған файлдарды дәл анықтайды: файлдағы кез келген, "
        "тіпті ең кішкентай өзгеріс оның цифрлық ізін өзгертеді. Өтінішіңіз бойынша қабылданған "
        "әрбір шешім туралы сіз порталда және электрондық пошта арқылы хабардар етілесіз.",
        "verify": "Қолхатты мына мекенжай бойынша тексеруге болады: {url}",
    },
    "ru": {
        "portal": "Портал регионального кадрового резерва",
        "title": "Расписка о приёме заявления",
        "reference": "Регистрационный номер заявления",
        "facts": "Дата и время подачи|Кандидат|ИИН|Регион|Отбор|Отраслевое направление|Способ подачи"
        "|Согласие (п. 9)",
        "channels": "через портал|на бумажном носителе|по электронной почте",
        "consent": "версия {version}, дано {time}",
        "documents": "Принятые документы",
        "columns": "Вид документа|Имя файла|Размер|SHA-256",
        "note": "Отпечатки SHA-256 однозначно определяют файлы, полученные порталом: любое, даже "
        "малейшее, изменение файла меняет его отпечаток. О каждом решении по вашему заявлению вы "
        "будете уведомлены на портале и по электронной почте.",
        "verify": "Проверить расписку можно по адресу: {url}",
    },
    "en": {
        "portal": "Regional Personnel Reserve Portal",
        "title": "Receipt for an application",
        "reference": "Application reference",
        "facts": "Submitted|Candidate|IIN|Region|Selection|Sector direction|Channel|Consent (cl. 9)",
        "channels": "online, through the portal|on paper|by e-mail",
        "consent": "version {version}, given {time}",
        "documents": "Documents received",
        "columns": "Document|File name|Size|SHA-256",
        "note": "The SHA-256 fingerprints identify exactly the files the portal received: any change to "
        "a file, however small, changes its fingerprint. You will be notified of every decision on "
        "your application on the portal and by e-mail.",
        "verify": "This receipt can be checked at: {url}",
    },
}


@dataclass(frozen=True, slots=True)
class ReceiptDocument:
    kind_label: str  # already translated by the caller, e.g. "Жеке куәліктің көшірмесі"
    file_name: str
    size_bytes: int
    sha256: str  # 64 hex digits
    media_type: str


@dataclass(frozen=True, slots=True)
class ReceiptData:
    language: str  # "kk", "ru" or "en"
    reference: str  # e.g. "KZ-71-2026-000123"
    submitted_at: datetime  # aware; printed in Asia/Almaty time
    candidate_name: str
    candidate_iin_masked: str  # "9604******19", never the whole IIN
    region_name: str
    selection_title: str
    selection_reference: str
    direction_name: str | None
    channel: str  # one of CHANNELS (labelled in the receipt's language), or a label translated already
    consent_version: str
    consent_accepted_at: datetime  # aware
    documents: tuple[ReceiptDocument, ...]
    verify_url: str | None = None


def format_local_time(moment: datetime, language: str) -> str:
    """'05.03.2026 14:07:09 (Asia/Almaty, UTC+05:00)'; year first in English."""
    if moment.utcoffset() is None:
        raise ValueError("receipt times must be timezone-aware")
    pattern = "%Y-%m-%d %H:%M:%S" if language == "en" else "%d.%m.%Y %H:%M:%S"
    return moment.astimezone(ZoneInfo(ALMATY)).strftime(f"{pattern} ({ALMATY}, UTC%:z)")


def format_size(size_bytes: int, language: str) -> str:
    """Binary kilobytes below 1 MB, megabytes above; a decimal comma in Kazakh and Russian."""
    kb, mb = ("KB", "MB") if language == "en" else ("КБ", "МБ")
    value, unit = (size_bytes / 1024, kb) if size_bytes < 1024 * 1024 else (size_bytes / 1024**2, mb)
    return f"{value:.1f} {unit}" if language == "en" else f"{value:.1f} {unit}".replace(".", ",")


def _check(data: ReceiptData) -> None:
    if data.language not in LABELS or not data.channel.strip():
        raise ValueError(f"unknown language {data.language!r} or empty channel {data.channel!r}")
    if re.fullmatch(r"\d{12}", data.candidate_iin_masked.strip()):
        raise ValueError("a receipt shows the masked IIN, never the whole one")
    for doc in data.documents:
        if not re.fullmatch(r"[0-9a-f]{64}", doc.sha256.lower()):
            raise ValueError(f"not a SHA-256 hex digest: {doc.sha256!r}")


@functools.cache
def _receipt_pdf_class() -> "type[FPDF]":
    from fpdf import FPDF  # lazy: see the module docstring

    class _ReceiptPDF(FPDF):  # A4, millimetres: fpdf2's defaults
        reference = ""

        def footer(self) -> None:
            self.set_y(-12)  # "{nb}" is fpdf2's alias for the page count, filled in at output()
            _text(self, f"{self.reference} · {self.page_no()} / {{nb}}", 8, grey=True)

    return _ReceiptPDF


def _text(pdf: "FPDF", text: str, size: float, style: str = "", *, grey: bool = False, h: float = 5) -> None:
    pdf.set_font("DejaVu", style, size)
    pdf.set_text_color(90 if grey else 0)
    pdf.multi_cell(0, h, text, align="C" if pdf.in_footer else "L", new_x="LMARGIN", new_y="NEXT")


def render_receipt(data: ReceiptData) -> bytes:
    """Render the receipt as an A4 PDF with embedded DejaVu Sans; returns the PDF bytes."""
    _check(data)
    label = LABELS[data.language]
    pdf = _receipt_pdf_class()()
    pdf.reference = data.reference  # type: ignore[attr-defined]
    pdf.set_title(f"{label['title']} {data.reference}")
    pdf.set_lang(data.language)
    pdf.set_creation_date(data.submitted_at)
    pdf.set_producer("Regional Personnel Reserve Portal (fpdf2)")
    pdf.set_margins(15, 15, 15)
    # fontTools reads the font files lazily: they must stay reachable until output().
    with as_file(files("portal.applications").joinpath("fonts")) as fonts:
        pdf.add_font("DejaVu", "", fonts / "DejaVuSans.ttf")
        pdf.add_font("DejaVu", "B", fonts / "DejaVuSans-Bold.ttf")
        pdf.add_page()
        _text(pdf, label["portal"], 9, grey=True)
        _text(pdf, label["title"], 16, "B", h=8)
        _text(pdf, label["reference"], 9, grey=True)
        _text(pdf, data.reference, 20, "B", h=13)
        _facts(pdf, label, data)
        pdf.ln(5)
        _text(pdf, label["documents"], 12, "B", h=7)
        _documents(pdf, label, data)
        pdf.ln(4)
        verify = "\n" + label["verify"].format(url=data.verify_url) if data.verify_url else ""
        _text(pdf, label["note"] + verify, 9, h=4.5)
        return bytes(pdf.output())


def _facts(pdf: "FPDF", label: dict[str, str], data: ReceiptData) -> None:
    from fpdf import FontFace  # lazy: see the module docstring

    consent_time = format_local_time(data.consent_accepted_at, data.language)
    channels = dict(zip(CHANNELS, label["channels"].split("|"), strict=True))
    values = (
        format_local_time(data.submitted_at, data.language),
        data.candidate_name,
        data.candidate_iin_masked,
        data.region_name,
        f"{data.selection_title}\n{data.selection_reference}",
        data.direction_name or "—",
        channels.get(data.channel, data.channel),
        label["consent"].format(version=data.consent_version, time=consent_time),
    )
    pdf.set_font("DejaVu", size=10)
    with pdf.table(
        col_widths=(30, 70), borders_layout="HORIZONTAL_LINES", first_row_as_headings=False,
        text_align="LEFT", v_align="TOP", line_height=5, padding=(1.2, 1.5),
    ) as table:  # fmt: skip
        for name, value in zip(label["facts"].split("|"), values, strict=True):
            row = table.row()
            row.cell(name, style=FontFace(emphasis="BOLD"))
            row.cell(value)


def _documents(pdf: "FPDF", label: dict[str, str], data: ReceiptData) -> None:
    from fpdf import FontFace  # lazy: see the module docstring

    pdf.set_font("DejaVu", size=9)
    with pdf.table(
        col_widths=(25, 31, 12, 32), text_align="LEFT", v_align="TOP", line_height=4.5,
        padding=(1.2, 1.5), headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
    ) as table:  # fmt: skip
        table.row(label["columns"].split("|"))
        for doc in data.documents:
            row = table.row()
            for text in (doc.kind_label, doc.file_name, format_size(doc.size_bytes, data.language)):
                row.cell(text)
            # Courier is a core PDF font: the hex digits need no embedding.
            row.cell(f"{doc.sha256[:32]}\n{doc.sha256[32:]}".lower(), style=FontFace("Courier", size_pt=7))
