"""From a candidate's profile to the facts cl. 4 and cl. 5 look at, and the translated explanation.

The rule itself is portal.rules.eligibility; this module only gathers its inputs and words its
answer for the candidate.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from portal.applications.models import CandidateProfile, EducationEntry, EmploymentEntry
from portal.i18n import N_
from portal.rules.eligibility import (
    KZ,
    BarredCategory,
    CandidateFacts,
    Education,
    Eligibility,
    EmploymentPeriod,
    FlagCode,
    ReasonCode,
    check_eligibility,
)

#: Plain-language explanations (translated where shown), by reason.
REASON_TEXTS: dict[ReasonCode, str] = {
    ReasonCode.AGE_OVER_35: N_("You must not be older than 35 on the day you apply."),
    ReasonCode.NOT_CITIZEN: N_("Only citizens of the Republic of Kazakhstan may apply."),
    ReasonCode.NO_HIGHER_EDUCATION: N_(
        "You need higher education: a bachelor's, specialist's, master's or higher degree."
    ),
    ReasonCode.EXPERIENCE_UNDER_3_YEARS: N_("You need at least three years of work experience in any field."),
    ReasonCode.BARRED_PRESIDENTIAL_APPOINTEE: N_("Persons appointed by the President may not take part."),
    ReasonCode.BARRED_POLITICAL_SERVANT: N_("Political civil servants may not take part."),
    ReasonCode.BARRED_CORPS_A: N_("Administrative civil servants of corps A may not take part."),
    ReasonCode.BARRED_PRESIDENTIAL_YOUTH_RESERVE: N_(
        "Members of the Presidential Youth Personnel Reserve may not take part."
    ),
}
FLAG_TEXTS: dict[FlagCode, str] = {
    FlagCode.FOREIGN_DIPLOMA: N_(
        "Your diploma was issued abroad: the territorial unit will check its recognition."
    ),
    FlagCode.EXPERIENCE_NEEDS_REVIEW: N_(
        "Your experience reaches three years only with self-employment or civil-law contracts: "
        "the territorial unit will check the evidence."
    ),
}
BARRED_LABELS: dict[BarredCategory, str] = {
    BarredCategory.PRESIDENTIAL_APPOINTEE: N_(
        "I am a person appointed by the President of the Republic of Kazakhstan"
    ),
    BarredCategory.POLITICAL_SERVANT: N_("I am a political civil servant"),
    BarredCategory.CORPS_A: N_("I am an administrative civil servant of corps A"),
    BarredCategory.PRESIDENTIAL_YOUTH_RESERVE: N_(
        "I am a member of the Presidential Youth Personnel Reserve"
    ),
}


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    """Whether the profile has what the check needs, and the facts when it does."""

    complete: bool
    missing: tuple[str, ...]
    facts: CandidateFacts | None


def profile_facts(
    birth_date: date,
    profile: CandidateProfile | None,
    education: Sequence[EducationEntry],
    employment: Sequence[EmploymentEntry],
) -> ProfileFacts:
    missing = []
    if profile is None or profile.declarations_made_at is None:
        missing.append("declarations")
    if not education:
        missing.append("education")
    if not employment:
        missing.append("employment")
    if missing or profile is None:
        return ProfileFacts(False, tuple(missing), None)
    facts = CandidateFacts(
        birth_date=birth_date,
        citizenships=frozenset(profile.citizenships),
        education=tuple(Education(e.level, foreign=e.country != KZ) for e in education),
        employment=tuple(EmploymentPeriod(e.start_date, e.end_date, e.kind) for e in employment),
        barred=frozenset(BarredCategory(b) for b in profile.barred),
    )
    return ProfileFacts(True, (), facts)


def check(facts: ProfileFacts, on: date) -> Eligibility | None:
    """cl. 4 and cl. 5 on the application date; None while the profile is incomplete."""
    return check_eligibility(facts.facts, on) if facts.facts is not None else None


def snapshot(result: Eligibility) -> dict[str, object]:
    """What the application keeps of the check made at submission (for the officer and the audit)."""
    return {
        "on": result.on.isoformat(),
        "eligible": result.eligible,
        "age": result.age,
        "experience_days": result.experience_days,
        "reasons": [{"code": r.code, "clause": r.clause} for r in result.reasons],
        "flags": [{"code": f.code, "clause": f.clause} for f in result.flags],
    }
