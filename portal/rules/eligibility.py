"""Who may take part in a selection: cl. 4 (citizen, not older than 35, higher education, 3 years'
work experience) and cl. 5 (the barred categories).

All criteria are measured on one reference date `on`: the date the application was submitted,
or for paper and e-mail the date the territorial unit received it (rules.md A-03; a selection may
choose the intake end date instead, which is the caller's choice of `on`). A failure is a
refusal under cl. 13(1); `Eligibility.refusal_ground` says so.

Some facts need an officer rather than a rule; they come back as `flags`, never as reasons:
a foreign diploma (recognition to be checked, rules.md A-05) and experience that reaches three
years only if self-employment or civil-law contracts are accepted (rules.md A-06).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .grounds import RefusalGround
from .terms import add_years

__all__ = [
    "KZ",
    "MAX_AGE",
    "MIN_EXPERIENCE_YEARS",
    "BarredCategory",
    "CandidateFacts",
    "Education",
    "EducationLevel",
    "Eligibility",
    "EmploymentKind",
    "EmploymentPeriod",
    "Flag",
    "FlagCode",
    "Reason",
    "ReasonCode",
    "age_on",
    "check_eligibility",
    "experience_days",
    "required_experience_days",
]

#: ISO 3166-1 alpha-2 code of the Republic of Kazakhstan.
KZ = "KZ"
#: cl. 4 "отыз бес жастан аспаған": completed age at most 35 (rules.md A-04).
MAX_AGE = 35
#: cl. 4 "үш жылдан кем емес еңбек өтілі".
MIN_EXPERIENCE_YEARS = 3


class EducationLevel(StrEnum):
    """Levels of education; which count as "higher" for cl. 4 is rules.md A-05."""

    SECONDARY = "secondary"
    TECHNICAL_VOCATIONAL = "technical_vocational"  # ТиПО, does not count
    POST_SECONDARY = "post_secondary"  # does not count
    INCOMPLETE_HIGHER = "incomplete_higher"  # does not count
    BACHELOR = "bachelor"
    SPECIALIST = "specialist"  # specialist diploma of a higher-education institution
    MASTER = "master"
    RESIDENCY = "residency"
    PHD = "phd"
    DOCTOR_BY_PROFILE = "doctor_by_profile"

    @property
    def is_higher(self) -> bool:
        """Whether this level is "жоғары білім" for cl. 4 (rules.md A-05)."""
        return self in _HIGHER


_HIGHER = frozenset(
    {
        EducationLevel.BACHELOR,
        EducationLevel.SPECIALIST,
        EducationLevel.MASTER,
        EducationLevel.RESIDENCY,
        EducationLevel.PHD,
        EducationLevel.DOCTOR_BY_PROFILE,
    }
)


@dataclass(frozen=True, slots=True)
class Education:
    """One education document (cl. 8(3)); `foreign` = issued abroad (rules.md A-05)."""

    level: EducationLevel
    foreign: bool = False


class EmploymentKind(StrEnum):
    """Kinds of work for "еңбек өтілі" (cl. 4, rules.md A-06)."""

    LABOUR_CONTRACT = "labour_contract"  # in Kazakhstan or abroad: counted
    CIVIL_SERVICE = "civil_service"  # counted
    MILITARY_SERVICE = "military_service"  # counted
    SELF_EMPLOYMENT = "self_employment"  # counted only if the TU accepts the evidence
    CIVIL_LAW_CONTRACT = "civil_law_contract"  # counted only if the TU accepts the evidence

    @property
    def counted_by_default(self) -> bool:
        """Whether this kind counts without an officer's acceptance (rules.md A-06)."""
        return self in _COUNTED_BY_DEFAULT


_COUNTED_BY_DEFAULT = frozenset(
    {EmploymentKind.LABOUR_CONTRACT, EmploymentKind.CIVIL_SERVICE, EmploymentKind.MILITARY_SERVICE}
)


@dataclass(frozen=True, slots=True)
class EmploymentPeriod:
    """One period of work (cl. 8(4)); both ends inclusive, `end=None` = still working.

    `accepted` is the territorial unit's decision on the evidence (rules.md A-06: the TU has the
    final say): None = not decided, so the kind's default applies; True/False override it.
    """

    start: date
    end: date | None = None
    kind: EmploymentKind = EmploymentKind.LABOUR_CONTRACT
    accepted: bool | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError("an employment period cannot end before it starts")

    @property
    def counted(self) -> bool:
        """Whether the period counts towards the cl. 4 experience (rules.md A-06)."""
        return self.kind.counted_by_default if self.accepted is None else self.accepted


class BarredCategory(StrEnum):
    """The four categories not admitted to selection (cl. 5)."""

    PRESIDENTIAL_APPOINTEE = "presidential_appointee"
    POLITICAL_SERVANT = "political_servant"
    CORPS_A = "corps_a"
    PRESIDENTIAL_YOUTH_RESERVE = "presidential_youth_reserve"


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """What cl. 4 and cl. 5 look at, as declared by the candidate and checked by the TU.

    `citizenships`: ISO 3166-1 alpha-2 codes, "KZ" for the Republic of Kazakhstan. Citizenship
    comes from the ID document (cl. 8(1)), never from the IIN (rules.md A-29).
    `barred`: the cl. 5 categories the candidate declared or the TU found.
    """

    birth_date: date
    citizenships: frozenset[str]
    education: tuple[Education, ...]
    employment: tuple[EmploymentPeriod, ...]
    barred: frozenset[BarredCategory] = frozenset()


class ReasonCode(StrEnum):
    """Why a candidate is not eligible (cl. 4, cl. 5)."""

    AGE_OVER_35 = "AGE_OVER_35"
    NOT_CITIZEN = "NOT_CITIZEN"
    NO_HIGHER_EDUCATION = "NO_HIGHER_EDUCATION"
    EXPERIENCE_UNDER_3_YEARS = "EXPERIENCE_UNDER_3_YEARS"
    BARRED_PRESIDENTIAL_APPOINTEE = "BARRED_PRESIDENTIAL_APPOINTEE"
    BARRED_POLITICAL_SERVANT = "BARRED_POLITICAL_SERVANT"
    BARRED_CORPS_A = "BARRED_CORPS_A"
    BARRED_PRESIDENTIAL_YOUTH_RESERVE = "BARRED_PRESIDENTIAL_YOUTH_RESERVE"


_BARRED_REASON = {
    BarredCategory.PRESIDENTIAL_APPOINTEE: ReasonCode.BARRED_PRESIDENTIAL_APPOINTEE,
    BarredCategory.POLITICAL_SERVANT: ReasonCode.BARRED_POLITICAL_SERVANT,
    BarredCategory.CORPS_A: ReasonCode.BARRED_CORPS_A,
    BarredCategory.PRESIDENTIAL_YOUTH_RESERVE: ReasonCode.BARRED_PRESIDENTIAL_YOUTH_RESERVE,
}


class FlagCode(StrEnum):
    """Facts an officer must look at; they do not decide eligibility by themselves."""

    FOREIGN_DIPLOMA = "FOREIGN_DIPLOMA"  # rules.md A-05: recognition to be checked by the TU
    EXPERIENCE_NEEDS_REVIEW = "EXPERIENCE_NEEDS_REVIEW"  # rules.md A-06: only undecided periods reach 3 years


@dataclass(frozen=True, slots=True)
class Reason:
    """One failed criterion: its code and the clause ("4" or "5")."""

    code: ReasonCode
    clause: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Flag:
    """A fact for an officer to check, with the clause it concerns."""

    code: FlagCode
    clause: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The result of `check_eligibility`: cl. 4 and cl. 5 on the reference date `on`."""

    eligible: bool
    reasons: tuple[Reason, ...]
    flags: tuple[Flag, ...]
    on: date
    age: int
    experience_days: int
    required_experience_days: int

    @property
    def refusal_ground(self) -> RefusalGround | None:
        """cl. 13(1) (non-compliance with these Rules) when not eligible, else None."""
        return None if self.eligible else RefusalGround.NON_COMPLIANCE_WITH_RULES


def age_on(birth: date, on: date) -> int:
    """Completed years of age on `on` (cl. 4, rules.md A-04).

    A person turns N on the birthday; a 29 February birthday turns on 28 February in
    non-leap years.
    """
    if on < birth:
        raise ValueError("the reference date is before the birth date")
    years = on.year - birth.year
    if on < add_years(birth, years):
        years -= 1
    return years


def experience_days(periods: Iterable[EmploymentPeriod], on: date, *, counted_only: bool = True) -> int:
    """Days of work up to and including `on`, overlaps counted once (cl. 4, rules.md A-06).

    Periods are inclusive; an open period (`end=None`) runs to `on`; days after `on` do not count.
    With `counted_only` (default) periods that do not count (rules.md A-06) are left out.
    """
    spans: list[tuple[date, date]] = []
    for p in periods:
        if counted_only and not p.counted:
            continue
        end = on if p.end is None or p.end > on else p.end
        if p.start <= end:
            spans.append((p.start, end))
    spans.sort()
    total = 0
    cur_start: date | None = None
    cur_end = date.min
    for start, end in spans:
        if cur_start is not None and start <= cur_end + timedelta(days=1):
            cur_end = max(cur_end, end)
            continue
        if cur_start is not None:
            total += (cur_end - cur_start).days + 1
        cur_start, cur_end = start, end
    if cur_start is not None:
        total += (cur_end - cur_start).days + 1
    return total


def required_experience_days(on: date, years: int = MIN_EXPERIENCE_YEARS) -> int:
    """Days that make `years` calendar years of experience on `on` (cl. 4, rules.md A-06).

    The length of the `years` calendar years ending on `on` (1095 or 1096 days for three years),
    so that continuous work of exactly 3 y 0 m 0 d up to `on` qualifies and 2 y 11 m 30 d does not.
    """
    return (on - add_years(on, -years)).days


def check_eligibility(facts: CandidateFacts, on: date) -> Eligibility:
    """Check cl. 4 (citizenship, age, higher education, experience) and cl. 5 (barred categories) on `on`.

    Every failing criterion is reported, in the order of the clauses, each with its clause
    ("4" or "5"); `eligible` is True only if there is none. Flags (rules.md A-05, A-06) never
    make a candidate ineligible by themselves.
    """
    reasons: list[Reason] = []
    flags: list[Flag] = []

    citizenships = frozenset(c.upper() for c in facts.citizenships)
    if KZ not in citizenships:
        reasons.append(Reason(ReasonCode.NOT_CITIZEN, "4"))
    elif citizenships - {KZ}:
        foreign = ", ".join(sorted(citizenships - {KZ}))
        reasons.append(Reason(ReasonCode.NOT_CITIZEN, "4", f"foreign citizenship declared: {foreign} (A-29)"))

    age = age_on(facts.birth_date, on)
    if age > MAX_AGE:
        reasons.append(Reason(ReasonCode.AGE_OVER_35, "4", f"age {age} on {on.isoformat()}"))

    higher = [e for e in facts.education if e.level.is_higher]
    if not higher:
        reasons.append(Reason(ReasonCode.NO_HIGHER_EDUCATION, "4"))
    elif all(e.foreign for e in higher):
        flags.append(Flag(FlagCode.FOREIGN_DIPLOMA, "4", "recognition of the foreign diploma (A-05)"))

    days = experience_days(facts.employment, on)
    needed = required_experience_days(on)
    if days < needed:
        reasons.append(Reason(ReasonCode.EXPERIENCE_UNDER_3_YEARS, "4", f"{days} of {needed} days"))
        undecided = [p for p in facts.employment if p.accepted is None and not p.kind.counted_by_default]
        if undecided and experience_days([*facts.employment, *_as_accepted(undecided)], on) >= needed:
            detail = "3 years reached only with undecided periods (A-06)"
            flags.append(Flag(FlagCode.EXPERIENCE_NEEDS_REVIEW, "4", detail))

    reasons.extend(Reason(_BARRED_REASON[c], "5") for c in BarredCategory if c in facts.barred)

    return Eligibility(
        eligible=not reasons,
        reasons=tuple(reasons),
        flags=tuple(flags),
        on=on,
        age=age,
        experience_days=days,
        required_experience_days=needed,
    )


def _as_accepted(periods: Iterable[EmploymentPeriod]) -> list[EmploymentPeriod]:
    return [EmploymentPeriod(p.start, p.end, p.kind, accepted=True) for p in periods]
