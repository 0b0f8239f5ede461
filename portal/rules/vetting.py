"""Cl. 11: before the structured interview the territorial unit checks every candidate against
the Civil Service Law art. 16 p. 3 (the persons who may not enter the civil service), using
information requested from state bodies. A negative finding is a removal under cl. 13(3).

rules.md R-11 and 5.4: the art. 16 p. 3 list below is the working summary marked [UNCONF]; the
verbatim current text replaces it before go-live (rules.md 8, question 11). An interview may only
be scheduled for a candidate whose every check is clear (R-6(4): "a pending check blocks
interview scheduling").
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.rules.calendar import WorkCalendar
from portal.rules.grounds import Titles

__all__ = [
    "CHECK_ITEMS",
    "DEFAULT_REPLY_WD",
    "CheckItem",
    "Conclusion",
    "a_rc_4_1_reply_due",
    "a_rc_4_1_reply_overdue",
    "cl11_conclusion",
    "cl11_may_schedule_interview",
]

#: rules.md A-RC-4(1): working days a state body is given to answer a cl. 11 request before the
#: request is shown as overdue (a working default; the deployment setting may change it).
DEFAULT_REPLY_WD = 10


class Conclusion(StrEnum):
    """The outcome of the cl. 11 check of one candidate."""

    PENDING = "pending"  # a check has no reply yet
    CLEARED = "cleared"  # every check clear
    NON_COMPLIANT = "non_compliant"  # at least one adverse finding: removal proposal, cl. 13(3)


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One art. 16 p. 3 ground and the state body usually asked about it."""

    code: str
    title: Titles
    authority: Titles


CHECK_ITEMS: tuple[CheckItem, ...] = (
    CheckItem(
        "incapacity",
        Titles(
            kk="Сот әрекетке қабілетсіз немесе әрекет қабілеті шектеулі деп танымаған",
            ru="Не признан судом недееспособным или ограниченно дееспособным",
            en="Not declared legally incapable or of limited capacity by a court",
        ),
        Titles(kk="Сот органдары", ru="Органы судебной системы", en="Courts"),
    ),
    CheckItem(
        "health",
        Titles(
            kk="Қызметті атқаруға кедергі келтіретін ауруы жоқ (медициналық қорытынды)",
            ru="Отсутствует заболевание, препятствующее исполнению обязанностей (медицинское заключение)",
            en="No disease preventing the performance of duties (medical conclusion)",
        ),
        Titles(kk="Денсаулық сақтау ұйымы", ru="Организация здравоохранения", en="Health organisation"),
    ),
    CheckItem(
        "restrictions",
        Titles(
            kk="Заңмен белгіленген шектеулерді қабылдауға келісім берді",
            ru="Согласен принять ограничения, установленные законом",
            en="Accepts the restrictions established by law (anti-corruption)",
        ),
        Titles(kk="Кандидаттың міндеттемесі", ru="Обязательство кандидата", en="The candidate's undertaking"),
    ),
    CheckItem(
        "criminal_record",
        Titles(
            kk="Өтелмеген немесе алынбаған соттылығы жоқ",
            ru="Отсутствует непогашенная или неснятая судимость",
            en="No criminal record that is not expunged or lifted",
        ),
        Titles(
            kk="ҚР Бас прокуратурасының Құқықтық статистика комитеті",
            ru="Комитет по правовой статистике Генеральной прокуратуры РК",
            en="Committee on Legal Statistics of the Prosecutor General's Office",
        ),
    ),
    CheckItem(
        "corruption_crime",
        Titles(
            kk="Бұрын сыбайлас жемқорлық қылмысы үшін сотталмаған",
            ru="Ранее не судим за коррупционное преступление",
            en="Not previously convicted of a corruption crime",
        ),
        Titles(
            kk="ҚР Бас прокуратурасының Құқықтық статистика комитеті",
            ru="Комитет по правовой статистике Генеральной прокуратуры РК",
            en="Committee on Legal Statistics of the Prosecutor General's Office",
        ),
    ),
    CheckItem(
        "non_rehabilitating_release",
        Titles(
            kk=(
                "Ақталмайтын негіздер бойынша қылмыстық жауаптылықтан босатылмаған"
                " (белгіленген мерзім ішінде)"
            ),
            ru=(
                "Не освобождён от уголовной ответственности по нереабилитирующим основаниям"
                " (в установленный срок)"
            ),
            en="Not released from criminal liability on non-rehabilitating grounds (within the set period)",
        ),
        Titles(
            kk="ҚР Бас прокуратурасының Құқықтық статистика комитеті",
            ru="Комитет по правовой статистике Генеральной прокуратуры РК",
            en="Committee on Legal Statistics of the Prosecutor General's Office",
        ),
    ),
    CheckItem(
        "negative_dismissal",
        Titles(
            kk="Теріс себептер бойынша қызметтен шығарылмаған (белгіленген мерзім ішінде)",
            ru="Не уволен со службы по отрицательным мотивам (в установленный срок)",
            en="Not dismissed from service on negative grounds (within the set period)",
        ),
        Titles(
            kk="Соңғы жұмыс орнының персоналды басқару қызметі",
            ru="Служба управления персоналом последнего места работы",
            en="HR service of the last place of work",
        ),
    ),
    CheckItem(
        "corruption_offence",
        Titles(
            kk=(
                "Сыбайлас жемқорлық құқық бұзушылығы үшін әкімшілік жауаптылыққа тартылмаған"
                " (белгіленген мерзім ішінде)"
            ),
            ru=(
                "Не привлекался к административной ответственности за коррупционное правонарушение"
                " (в установленный срок)"
            ),
            en="No administrative liability for a corruption offence (within the set period)",
        ),
        Titles(
            kk="ҚР Бас прокуратурасының Құқықтық статистика комитеті",
            ru="Комитет по правовой статистике Генеральной прокуратуры РК",
            en="Committee on Legal Statistics of the Prosecutor General's Office",
        ),
    ),
    CheckItem(
        "public_office_ban",
        Titles(
            kk="Сот мемлекеттік лауазымдарды атқару құқығынан айырмаған",
            ru="Не лишён судом права занимать государственные должности",
            en="Not deprived by a court of the right to hold public posts",
        ),
        Titles(kk="Сот органдары", ru="Органы судебной системы", en="Courts"),
    ),
)


def cl11_conclusion(statuses: Mapping[str, str], items: Iterable[CheckItem] = CHECK_ITEMS) -> Conclusion:
    """Cl. 11: the conclusion from each item's status ("pending", "clear" or "adverse").

    One adverse finding is enough for non-compliance even while other replies are awaited: the
    commission may act on it at once (cl. 13(3)). A missing item counts as pending.
    """
    found = [statuses.get(item.code, "pending") for item in items]
    if "adverse" in found:
        return Conclusion.NON_COMPLIANT
    if all(status == "clear" for status in found):
        return Conclusion.CLEARED
    return Conclusion.PENDING


def cl11_may_schedule_interview(conclusion: Conclusion) -> bool:
    """Cl. 6(4) with cl. 11: only a candidate cleared by the check is invited to the interview."""
    return conclusion == Conclusion.CLEARED


def a_rc_4_1_reply_due(requested_on: date, calendar: WorkCalendar, reply_wd: int = DEFAULT_REPLY_WD) -> date:
    """rules.md A-RC-4(1) with cl. 11: the day a reply to a request sent on `requested_on` is due.

    The `reply_wd`-th working day after the request (the day it is sent never counts).
    """
    if reply_wd < 1:
        raise ValueError("a reply period is at least one working day")
    return calendar.add_working_days(requested_on, reply_wd)


def a_rc_4_1_reply_overdue(
    requested_on: date | None,
    *,
    replied: bool,
    today: date,
    calendar: WorkCalendar,
    reply_wd: int = DEFAULT_REPLY_WD,
) -> bool:
    """rules.md A-RC-4(1): a request sent, still without a reply after its due day, is overdue (cl. 11)."""
    if requested_on is None or replied:
        return False
    return today > a_rc_4_1_reply_due(requested_on, calendar, reply_wd)
