"""The minutes (protocol) of a commission meeting as a PDF: the Kazakh text, then the Russian one, in
one file (issue 7 item 6; cl. 6(5); A-RC-4(3)).

Framework-free, like portal.applications.receipt, whose embedded DejaVu Sans fonts it reuses (Kazakh
and Russian need no system fonts). The texts are fixed here in both languages, not taken from the
interface translations: the minutes are a legal record and must not change with a .po file. The
creation date is the version's, so a version always re-renders to the same bytes.

An open ballot lists every member's vote; a secret ballot only its totals (rules.md A-20: nobody
can link a vote to a member). No IIN is ever printed.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import as_file, files
from typing import TYPE_CHECKING

from babel.dates import format_date

if TYPE_CHECKING:
    from fpdf import FPDF

LANGUAGES = ("kk", "ru")

#: Items about a person rather than an application: a ch. 2-1 request (cl. 13-3), a cl. 18 case.
PERSON_KINDS = frozenset({"direct_enrolment", "exclusion"})
LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "portal": "Өңірлік кадр резерві порталы",
        "commission": "Кадр комиссиясы — {region}",
        "title": "№ {number}/{year} ХАТТАМА",
        "subtitle": "кадр комиссиясы отырысының",
        "version": "{version}-редакция",
        "replaces": "Осы редакция хаттаманың {version}-редакциясын ауыстырады (түзету).",
        "note": "Түзету: {note}",
        "facts": "Күні мен уақыты|Өткізілген орны|Дауыс беру тәртібі|Кворум",
        "ballots": "ашық дауыс беру|жасырын дауыс беру",
        "quorum": "комиссия мүшелері санының {quorum}",
        "attendance": "Қатысқандар",
        "columns": "Тегі, аты, әкесінің аты|Лауазымы|Комиссиядағы орны|Қатысуы",
        "agenda": "Күн тәртібі және шешімдер",
        "clause": "Қағидалардың {clause}-тармағы",
        "selection": "Іріктеу: {reference}",
        "candidate": "Үміткер: {name}, өтініш № {reference}",
        "person": "Тұлға: {name}",
        "reason": "Негіздеме: {reason}",
        "stage": "Кезең: {stage}",
        "present": "Комиссияның {members} мүшесінің {present} қатысты; кворум үшін {required} қажет.",
        "quorum_met": "Кворум бар.",
        "quorum_not_met": "Кворум жоқ.",
        "open_votes": "Дауыс бергендер (ашық дауыс беру):",
        "tally": "Дауыс беру қорытындысы: қолдады — {for_}, қарсы — {against}, қалыс қалды — {abstain}.",
        "secret": "Жасырын дауыс беру: мүшелердің дауыстары көрсетілмейді, тек қорытындысы.",
        "recused": "Мүдделер қақтығысын мәлімдеп, дауыс бермеді: {name} ({reason})",
        "casting": "Дауыстар тең болған кезде төрағалық етушінің дауысы шешуші болды.",
        "tie": "Дауыстар тең бөлінді: шешім қабылданбады.",
        "adopted": "ШЕШІМ: қабылданды.",
        "rejected": "ШЕШІМ: қабылданбады.",
        "no_quorum": "Шешім қабылданбады: кворум жоқ.",
        "subject_changed": "Шешім қабылданбады: мәселе дауыс беру кезінде өзектілігін жоғалтты.",
        "pending": "Мәселе қаралмады (дауысқа қойылмады).",
        "enrolled": "{name} өңірлік кадр резервіне {start} бастап {end} дейін қабылдансын "
        "(Қағидалардың 12-тармағы).",
        "not_enrolled": "{name} өңірлік кадр резервіне қабылданбасын (Қағидалардың 12-тармағы).",
        "presiding": "Төрағалық етуші",
        "secretary": "Комиссия хатшысы",
        "signature": "(қолы)",
        "footer": "№ {number}/{year} хаттама, {version}-редакция · {page} / {{nb}}",
    },
    "ru": {
        "portal": "Портал регионального кадрового резерва",
        "commission": "Кадровая комиссия — {region}",
        "title": "ПРОТОКОЛ № {number}/{year}",
        "subtitle": "заседания кадровой комиссии",
        "version": "редакция {version}",
        "replaces": "Настоящая редакция заменяет редакцию {version} протокола (исправление).",
        "note": "Исправление: {note}",
        "facts": "Дата и время|Место проведения|Порядок голосования|Кворум",
        "ballots": "открытое голосование|тайное голосование",
        "quorum": "{quorum} от числа членов комиссии",
        "attendance": "Присутствовали",
        "columns": "Фамилия, имя, отчество|Должность|Место в комиссии|Участие",
        "agenda": "Повестка дня и решения",
        "clause": "пункт {clause} Правил",
        "selection": "Отбор: {reference}",
        "candidate": "Кандидат: {name}, заявление № {reference}",
        "person": "Лицо: {name}",
        "reason": "Основание: {reason}",
        "stage": "Этап: {stage}",
        "present": "Присутствовали {present} из {members} членов комиссии; "
        "для кворума необходимо {required}.",
        "quorum_met": "Кворум имеется.",
        "quorum_not_met": "Кворум отсутствует.",
        "open_votes": "Голосовали (открытое голосование):",
        "tally": "Итоги голосования: за — {for_}, против — {against}, воздержались — {abstain}.",
        "secret": "Тайное голосование: голоса членов комиссии не указываются, только итоги.",
        "recused": "Заявил(а) о конфликте интересов и не голосовал(а): {name} ({reason})",
        "casting": "При равенстве голосов решающим стал голос председательствующего.",
        "tie": "Голоса разделились поровну: решение не принято.",
        "adopted": "РЕШЕНИЕ: принято.",
        "rejected": "РЕШЕНИЕ: не принято.",
        "no_quorum": "Решение не принято: нет кворума.",
        "subject_changed": "Решение не принято: предмет рассмотрения утратил актуальность до решения.",
        "pending": "Вопрос не рассматривался (не ставился на голосование).",
        "enrolled": "Зачислить {name} в региональный кадровый резерв с {start} по {end} (пункт 12 Правил).",
        "not_enrolled": "Не зачислять {name} в региональный кадровый резерв (пункт 12 Правил).",
        "presiding": "Председательствующий",
        "secretary": "Секретарь комиссии",
        "signature": "(подпись)",
        "footer": "Протокол № {number}/{year}, редакция {version} · {page} / {{nb}}",
    },
}
POSITIONS: dict[str, dict[str, str]] = {
    "kk": {
        "chair": "Төраға",
        "deputy_chair": "Төрағаның орынбасары",
        "member": "Комиссия мүшесі",
        "secretary": "Хатшы",
    },
    "ru": {
        "chair": "Председатель",
        "deputy_chair": "Заместитель председателя",
        "member": "Член комиссии",
        "secretary": "Секретарь",
    },
}
PRESENCE: dict[str, dict[str, str]] = {
    "kk": {
        "present": "қатысты",
        "remote": "қашықтан қатысты",
        "absent": "қатыспады",
        "": "хаттаманы жүргізді",
    },
    "ru": {
        "present": "присутствовал(а)",
        "remote": "дистанционно",
        "absent": "отсутствовал(а)",
        "": "вёл(а) протокол",
    },
}
CHOICES: dict[str, dict[str, str]] = {
    "kk": {"for": "қолдады", "against": "қарсы", "abstain": "қалыс қалды", "none": "дауыс бермеді"},
    "ru": {"for": "за", "against": "против", "abstain": "воздержался(ась)", "none": "не голосовал(а)"},
}
KINDS: dict[str, dict[str, str]] = {
    "kk": {
        "cut_off": "Кезең қорытындысы бойынша өту балын айқындау туралы",
        "enrolment": "Өңірлік кадр резервіне қабылдау туралы",
        "selection_parameters": "Іріктеу параметрлері туралы",
        "direct_enrolment": "Іріктеусіз резервке қабылдау туралы",
        "exclusion": "Резервтен шығару туралы",
    },
    "ru": {
        "cut_off": "Об определении проходного балла по итогам этапа",
        "enrolment": "О зачислении в региональный кадровый резерв",
        "selection_parameters": "О параметрах отбора",
        "direct_enrolment": "О зачислении в резерв без проведения отбора",
        "exclusion": "Об исключении из резерва",
    },
}
STAGES: dict[str, dict[str, str]] = {
    "kk": {"testing": "тестілеу", "competency": "құзыреттерді бағалау"},
    "ru": {"testing": "тестирование", "competency": "оценка компетенций"},
}


@dataclass(frozen=True, slots=True)
class Person:
    """A member (or the secretary) as the minutes list them; `presence` is "" for the secretary."""

    name: str
    post: str
    position: str
    presence: str


@dataclass(frozen=True, slots=True)
class VoteLine:
    name: str
    choice: str  # "for", "against", "abstain" or "none" (present, did not vote)


@dataclass(frozen=True, slots=True)
class RecusalLine:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One agenda item: its subject, the count (numbers only for a secret ballot) and the decision."""

    position: int
    kind: str
    clause: str
    selection_reference: str = ""
    candidate_name: str = ""
    candidate_reference: str = ""
    stage: str = ""
    #: The recorded reason of the decision on a ch. 2-1 request or a cl. 18 case (A-18).
    reason: str = ""
    decided: bool = False
    outcome: str = ""  # "adopted", "rejected", "no_quorum", "subject_changed" once decided
    secret: bool = False
    members: int = 0
    present: int = 0
    quorum_required: int = 0
    quorum_met: bool = False
    votes_for: int = 0
    votes_against: int = 0
    abstained: int = 0
    tie: bool = False
    casting: bool = False
    votes: tuple[VoteLine, ...] = ()
    recused: tuple[RecusalLine, ...] = ()
    term: tuple[date, date] | None = None


@dataclass(frozen=True, slots=True)
class MinutesContent:
    region: Mapping[str, str]
    number: int
    year: int
    version: int
    held_at: datetime  # aware, in the region's time zone
    place: str
    secret_ballot: bool
    quorum: str
    people: tuple[Person, ...]
    presiding: str
    secretary: str
    items: tuple[ItemRecord, ...]
    created_at: datetime
    replaces_version: int | None = None
    note: str = ""


def _check(content: MinutesContent) -> None:
    if content.held_at.utcoffset() is None or content.created_at.utcoffset() is None:
        raise ValueError("the minutes' times must be timezone-aware")
    for item in content.items:
        if item.secret and item.votes:
            raise ValueError("a secret ballot's minutes list no member's vote")


@functools.cache
def _pdf_class() -> "type[FPDF]":
    from fpdf import FPDF  # lazy: fpdf2 takes a while to import (see portal.applications.receipt)

    class _MinutesPDF(FPDF):
        footer_text: dict[str, str] = {}  # noqa: RUF012 - set per instance before the first page
        language = "kk"

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 8)
            self.set_text_color(90)
            text = self.footer_text.get(self.language, "").replace("{page}", str(self.page_no()))
            self.cell(0, 5, text, align="C")

    return _MinutesPDF


def _line(
    pdf: "FPDF", text: str, size: float = 10, style: str = "", *, h: float = 5, align: str = "L"
) -> None:
    pdf.set_font("DejaVu", style, size)
    pdf.set_text_color(0)
    pdf.multi_cell(0, h, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _day(value: date, language: str) -> str:
    return str(format_date(value, "d MMMM y", locale=language))


def render_minutes(content: MinutesContent) -> bytes:
    """Render the minutes, Kazakh then Russian, as an A4 PDF with embedded DejaVu Sans."""
    _check(content)
    pdf = _pdf_class()()
    pdf.footer_text = {  # type: ignore[attr-defined]
        lang: LABELS[lang]["footer"].format(
            number=content.number, year=content.year, version=content.version, page="{page}"
        )
        for lang in LANGUAGES
    }
    pdf.set_title(LABELS["ru"]["title"].format(number=content.number, year=content.year))
    pdf.set_lang("kk")
    pdf.set_creation_date(content.created_at)
    pdf.set_producer("Regional Personnel Reserve Portal (fpdf2)")
    pdf.set_margins(18, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    with as_file(files("portal.applications").joinpath("fonts")) as fonts:
        pdf.add_font("DejaVu", "", fonts / "DejaVuSans.ttf")
        pdf.add_font("DejaVu", "B", fonts / "DejaVuSans-Bold.ttf")
        for language in LANGUAGES:
            pdf.language = language  # type: ignore[attr-defined]
            pdf.add_page()
            _section(pdf, content, language)
        return bytes(pdf.output())


def _section(pdf: "FPDF", content: MinutesContent, language: str) -> None:
    label = LABELS[language]
    _line(pdf, label["portal"], 8)
    _line(pdf, label["commission"].format(region=content.region.get(language, "")), 10, "B", align="C")
    pdf.ln(2)
    _line(pdf, label["title"].format(number=content.number, year=content.year), 15, "B", h=8, align="C")
    _line(pdf, label["subtitle"], 11, align="C")
    _line(pdf, label["version"].format(version=content.version), 9, align="C")
    if content.replaces_version is not None:
        pdf.ln(1)
        _line(pdf, label["replaces"].format(version=content.replaces_version), 9, "B")
        if content.note:
            _line(pdf, label["note"].format(note=content.note), 9)
    pdf.ln(3)
    _facts(pdf, content, language)
    pdf.ln(3)
    _line(pdf, label["attendance"], 12, "B", h=7)
    _attendance(pdf, content, language)
    pdf.ln(4)
    _line(pdf, label["agenda"], 12, "B", h=7)
    for item in content.items:
        _item(pdf, item, language)
    pdf.ln(6)
    for role, name in (("presiding", content.presiding), ("secretary", content.secretary)):
        _line(pdf, f"{label[role]}: {name or '—'}    ____________________ {label['signature']}", 10, h=8)


def _facts(pdf: "FPDF", content: MinutesContent, language: str) -> None:
    from fpdf import FontFace  # lazy

    label = LABELS[language]
    open_, secret = label["ballots"].split("|")
    held = content.held_at
    values = (
        f"{_day(held.date(), language)}, {held:%H:%M}",
        content.place,
        secret if content.secret_ballot else open_,
        label["quorum"].format(quorum=content.quorum),
    )
    pdf.set_font("DejaVu", size=10)
    with pdf.table(
        col_widths=(35, 65), borders_layout="HORIZONTAL_LINES", first_row_as_headings=False,
        text_align="LEFT", v_align="TOP", line_height=5, padding=(1.2, 1.5),
    ) as table:  # fmt: skip
        for name, value in zip(label["facts"].split("|"), values, strict=True):
            row = table.row()
            row.cell(name, style=FontFace(emphasis="BOLD"))
            row.cell(value)


def _attendance(pdf: "FPDF", content: MinutesContent, language: str) -> None:
    from fpdf import FontFace  # lazy

    pdf.set_font("DejaVu", size=9)
    with pdf.table(
        col_widths=(32, 22, 24, 22), text_align="LEFT", v_align="TOP", line_height=4.5,
        padding=(1.2, 1.5), headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
    ) as table:  # fmt: skip
        table.row(LABELS[language]["columns"].split("|"))
        for person in content.people:
            row = table.row()
            row.cell(person.name)
            row.cell(person.post)
            row.cell(POSITIONS[language].get(person.position, person.position))
            row.cell(PRESENCE[language].get(person.presence, person.presence))


def _item(pdf: "FPDF", item: ItemRecord, language: str) -> None:
    label = LABELS[language]
    pdf.ln(2)
    kind = KINDS[language].get(item.kind, item.kind)
    _line(pdf, f"{item.position}. {kind} ({label['clause'].format(clause=item.clause)})", 10.5, "B")
    _subject(pdf, item, language)
    if not item.decided:
        _line(pdf, label["pending"], 9.5)
        return
    present = label["present"].format(
        present=item.present, members=item.members, required=item.quorum_required
    )
    _line(pdf, f"{present} {label['quorum_met'] if item.quorum_met else label['quorum_not_met']}", 9.5)
    for recusal in item.recused:
        _line(pdf, label["recused"].format(name=recusal.name, reason=recusal.reason), 9.5)
    if item.secret:
        _line(pdf, label["secret"], 9.5)
    elif item.votes:
        _line(pdf, label["open_votes"], 9.5)
        for vote in item.votes:
            _line(pdf, f"    {vote.name} — {CHOICES[language][vote.choice]}", 9.5)
    _line(
        pdf,
        label["tally"].format(for_=item.votes_for, against=item.votes_against, abstain=item.abstained),
        9.5,
    )
    if item.casting:
        _line(pdf, label["casting"], 9.5)
    elif item.tie:
        _line(pdf, label["tie"], 9.5)
    _decision(pdf, item, language)


def _subject(pdf: "FPDF", item: ItemRecord, language: str) -> None:
    """What the item is about: the selection, the stage, the candidate or the person."""
    label = LABELS[language]
    if item.selection_reference:
        _line(pdf, label["selection"].format(reference=item.selection_reference), 9.5)
    if item.stage:
        _line(pdf, label["stage"].format(stage=STAGES[language].get(item.stage, item.stage)), 9.5)
    if item.candidate_name and item.kind in PERSON_KINDS:
        _line(pdf, label["person"].format(name=item.candidate_name), 9.5)
    elif item.candidate_name:
        candidate = label["candidate"].format(
            name=item.candidate_name, reference=item.candidate_reference or "—"
        )
        _line(pdf, candidate, 9.5)


def _decision(pdf: "FPDF", item: ItemRecord, language: str) -> None:
    """The outcome, the enrolment it makes, and the recorded reason (A-18)."""
    label = LABELS[language]
    _line(pdf, label.get(item.outcome, item.outcome), 10, "B")
    if item.kind == "enrolment" and item.outcome == "adopted" and item.term is not None:
        start, end = (_day(d, language) for d in item.term)
        _line(pdf, label["enrolled"].format(name=item.candidate_name, start=start, end=end), 10)
    elif item.kind == "enrolment" and item.outcome == "rejected":
        _line(pdf, label["not_enrolled"].format(name=item.candidate_name), 10)
    if item.reason:
        _line(pdf, label["reason"].format(reason=item.reason), 9.5)
