"""Cl. 18: what an exclusion proposal needs before the territorial unit may file it, and the
member's time to comment (rules.md 1.6, 3.6, A-23, A-24, A-25).

The grounds themselves (titles, legal bases, sub-bases, the evidence kind each needs) are
portal.rules.grounds.ExclusionGround. This module adds the display titles of the evidence kinds
and the checks a proposal must pass:

- every ground needs its evidence document (rules.md 1.6); a member's own request (18(1)) made in
  the portal is its own evidence (A-23: the signed request opens the draft by itself);
- 18(8) and 18(11) need one of their limbs (sub-bases);
- 18(6), 18(7), 18(8) and 18(10) need the date the act or decision entered into force, and it must
  not lie in the future (R-18(6), R-18(10));
- 18(8): the date of the act is required and must fall inside the membership (A-24: a warning,
  the commission weighs it);
- 18(4) and 18(5) apply to civil servants only (a warning, R-18(4)-(5));
- a limb or legal basis whose text is unverified is flagged (rules.md 0.2).

The Rules set no time for the member's comment; [REC] 10 working days, as the other review
periods of rules.md A-19 and A-RC-4(1); the deployment setting may change it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .calendar import WorkCalendar
from .grounds import EvidenceKind, ExclusionGround, SubBasis, Titles

__all__ = [
    "DEFAULT_COMMENT_WD",
    "EVIDENCE_TITLES",
    "Caution",
    "EvidenceItem",
    "FilingCheck",
    "Problem",
    "cl18_comment_due",
    "cl18_evidence_kinds",
    "cl18_filing_check",
    "cl18_sub_basis",
]

#: [REC] working days the member has to comment on a filed proposal (no period in the Rules).
DEFAULT_COMMENT_WD = 10

#: What each evidence kind of cl. 18 is, as the officer and the member read it [REC wording].
EVIDENCE_TITLES: dict[EvidenceKind, Titles] = {
    EvidenceKind.MEMBER_SIGNED_REQUEST: Titles(
        kk="Резервтегі адамның қол қойылған өтініші",
        ru="Подписанное заявление лица, состоящего в резерве",
        en="The member's signed request",
    ),
    EvidenceKind.OFFICIAL_NOTICE: Titles(
        kk="Қазақстан Республикасының азаматтығын жоғалту туралы ресми хабарлама",
        ru="Официальное уведомление об утрате гражданства Республики Казахстан",
        en="An official notice of the loss of citizenship of the RK",
    ),
    EvidenceKind.FOREIGN_CITIZENSHIP_EVIDENCE: Titles(
        kk="Шет мемлекет азаматтығының болуын растайтын құжат (мәлімдеме немесе ресми хабарлама)",
        ru="Документ, подтверждающий наличие гражданства иностранного государства (декларация или "
        "официальное уведомление)",
        en="Evidence of a foreign citizenship (a declaration or an official notice)",
    ),
    EvidenceKind.DISCIPLINARY_ORDER: Titles(
        kk="Тәртіптік жаза қолдану туралы бұйрық",
        ru="Приказ о наложении дисциплинарного взыскания",
        en="The order imposing the disciplinary sanction",
    ),
    EvidenceKind.ASSESSMENT_RESULT_AND_ORDER: Titles(
        kk="Қызмет тиімділігін бағалау нәтижесі және лауазымын төмендету не қызметтен шығару туралы бұйрық",
        ru="Результаты оценки эффективности деятельности и приказ о понижении в должности или увольнении",
        en="The performance assessment result and the demotion or dismissal order",
    ),
    EvidenceKind.ADMINISTRATIVE_RESOLUTION_IN_FORCE: Titles(
        kk="Заңды күшіне енген әкімшілік құқық бұзушылық туралы іс бойынша қаулы",
        ru="Постановление по делу об административном правонарушении, вступившее в законную силу",
        en="The resolution in the administrative offence case, in force",
    ),
    EvidenceKind.VERDICT_OR_RELEASE_DECISION_IN_FORCE: Titles(
        kk="Заңды күшіне енген сот үкімі немесе қылмыстық жауаптылықтан босату туралы түпкілікті шешім",
        ru="Вступивший в законную силу приговор суда или окончательное решение об освобождении от "
        "уголовной ответственности",
        en="A verdict in force, or a final decision releasing from criminal liability (an indictment "
        "is not enough)",
    ),
    EvidenceKind.WRITTEN_REFUSAL: Titles(
        kk="Сыбайлас жемқорлыққа қарсы шектеулерді қабылдаудан жазбаша бас тарту",
        ru="Письменный отказ от принятия антикоррупционных ограничений",
        en="The written refusal to accept the anti-corruption restrictions",
    ),
    EvidenceKind.COURT_DECISION_IN_FORCE: Titles(
        kk="Заңды күшіне енген сот шешімі",
        ru="Решение суда, вступившее в законную силу",
        en="The court decision, in force",
    ),
    EvidenceKind.DISMISSAL_OR_TERMINATION_ORDER: Titles(
        kk="Жұмыстан шығару немесе еңбек шартын бұзу туралы бұйрық",
        ru="Приказ об увольнении или о расторжении трудового договора",
        en="The dismissal or employment contract termination order",
    ),
}


class Problem(StrEnum):
    """What keeps a proposal from being filed (rules.md 1.6 test ideas)."""

    SUB_BASIS_MISSING = "sub_basis_missing"  # 18(8), 18(11): the limb is not chosen
    EVIDENCE_MISSING = "evidence_missing"  # the ground's evidence document is not attached
    ENTRY_INTO_FORCE_MISSING = "entry_into_force_missing"  # R-18(6), R-18(10)
    NOT_YET_IN_FORCE = "not_yet_in_force"  # the date of entry into force lies in the future
    ACT_DATE_MISSING = "act_date_missing"  # 18(8): A-24 needs the date of the act
    ACT_DATE_IN_FUTURE = "act_date_in_future"


class Caution(StrEnum):
    """What the officer and the commission are warned about; filing is not blocked."""

    ACT_OUTSIDE_MEMBERSHIP = "act_outside_membership"
    CIVIL_SERVANTS_ONLY = "civil_servants_only"  # R-18(4), R-18(5)
    TEXT_UNCONFIRMED = "text_unconfirmed"  # rules.md 0.2: the cited text is to be verified


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One attached document: its kind and the date it entered into force (if it has one)."""

    kind: EvidenceKind
    in_force_on: date | None = None


@dataclass(frozen=True, slots=True)
class FilingCheck:
    """The outcome of `cl18_filing_check`: blocking problems and warnings, in a stable order."""

    problems: tuple[Problem, ...]
    cautions: tuple[Caution, ...]

    @property
    def may_file(self) -> bool:
        """cl. 18 chapeau, rules.md 1.6: a proposal without its ground's evidence cannot be filed."""
        return not self.problems


def cl18_sub_basis(ground: ExclusionGround, code: str) -> SubBasis | None:
    """The limb `code` of 18(8) or 18(11) (rules.md 5.5, 5.6); None if the ground has no such limb."""
    return next((s for s in ground.sub_bases if s.code == code), None)


def cl18_evidence_kinds() -> tuple[EvidenceKind, ...]:
    """The evidence kinds of cl. 18 (rules.md 1.6), the ground's own first in `ExclusionGround` order."""
    return tuple(dict.fromkeys(g.evidence for g in ExclusionGround))


def _in_force_problems(ground: ExclusionGround, required: list[EvidenceItem], today: date) -> list[Problem]:
    if not ground.info.needs_entry_into_force_date or not required:
        return []
    dates = [e.in_force_on for e in required if e.in_force_on is not None]
    if not dates:
        return [Problem.ENTRY_INTO_FORCE_MISSING]
    if min(dates) > today:
        return [Problem.NOT_YET_IN_FORCE]
    return []


def _act_date_findings(
    ground: ExclusionGround, act_date: date | None, term: tuple[date, date], today: date
) -> tuple[list[Problem], list[Caution]]:
    if not ground.info.act_within_membership:
        if act_date is not None and act_date > today:
            return [Problem.ACT_DATE_IN_FUTURE], []
        return [], []
    if act_date is None:
        return [Problem.ACT_DATE_MISSING], []
    if act_date > today:
        return [Problem.ACT_DATE_IN_FUTURE], []
    starts_on, ends_on = term
    if not starts_on <= act_date <= ends_on:
        return [], [Caution.ACT_OUTSIDE_MEMBERSHIP]
    return [], []


def _unconfirmed(ground: ExclusionGround, sub_basis: SubBasis | None) -> bool:
    if sub_basis is not None:
        return not sub_basis.confirmed or (
            sub_basis.legal_basis is not None and not sub_basis.legal_basis.confirmed
        )
    return any(not basis.confirmed for basis in ground.legal_basis)


def cl18_filing_check(
    ground: ExclusionGround,
    *,
    sub_basis: str,
    evidence: Iterable[EvidenceItem],
    requested_by_member: bool,
    act_date: date | None,
    membership_term: tuple[date, date],
    today: date,
) -> FilingCheck:
    """Whether the territorial unit may file a cl. 18 proposal (rules.md 1.6, 3.6, A-23, A-24).

    `membership_term` is (starts_on, ends_on) of the membership, `today` the filing date.
    """
    problems: list[Problem] = []
    cautions: list[Caution] = []
    chosen = cl18_sub_basis(ground, sub_basis) if sub_basis else None
    if ground.sub_bases and chosen is None:
        problems.append(Problem.SUB_BASIS_MISSING)
    items = list(evidence)
    required = [e for e in items if e.kind == ground.evidence]
    own_request = ground == ExclusionGround.AT_OWN_WISH and requested_by_member
    if not required and not own_request:
        problems.append(Problem.EVIDENCE_MISSING)
    problems.extend(_in_force_problems(ground, required, today))
    act_problems, act_cautions = _act_date_findings(ground, act_date, membership_term, today)
    problems.extend(act_problems)
    cautions.extend(act_cautions)
    if ground.info.civil_servants_only:
        cautions.append(Caution.CIVIL_SERVANTS_ONLY)
    if _unconfirmed(ground, chosen):
        cautions.append(Caution.TEXT_UNCONFIRMED)
    return FilingCheck(tuple(problems), tuple(cautions))


def cl18_comment_due(told_on: date, calendar: WorkCalendar, *, comment_wd: int = DEFAULT_COMMENT_WD) -> date:
    """The last day the member may comment on a filed cl. 18 proposal (rules.md 3.6 [REC]).

    `comment_wd` working days after the day the member is told (that day not counted), inclusive
    until 23:59:59 Asia/Almaty (A-35). Default 10 working days.
    """
    if comment_wd < 1:
        raise ValueError("the comment period must be at least 1 working day (rules.md 3.6)")
    return calendar.add_working_days(told_on, comment_wd)
