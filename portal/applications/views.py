"""What the candidate's pages show: the task list of an application and the words for refusals."""

from dataclasses import dataclass

from portal.applications.consent import CURRENT_CONSENT
from portal.applications.models import (
    SLOT_CLAUSES,
    SLOT_LABELS,
    Application,
    ApplicationDocument,
    DocumentSlot,
)
from portal.applications.services import Refusal
from portal.i18n import N_
from portal.rules.eligibility import Eligibility

REFUSAL_TEXTS: dict[Refusal, str] = {
    Refusal.INTAKE_CLOSED: N_("Documents for this selection are not being accepted now (clause 8)."),
    Refusal.NOT_ELIGIBLE: N_("You do not meet the conditions of clauses 4 and 5, so you cannot submit."),
    Refusal.PROFILE_INCOMPLETE: N_(
        "Complete your profile first: declarations, education and work experience."
    ),
    Refusal.DOCUMENTS_MISSING: N_("Upload all four documents of clause 8."),
    Refusal.NO_CONSENT: N_("Give your consent to the processing of personal data (clause 9)."),
    Refusal.NO_DIRECTION: N_("Choose a sector direction."),
    Refusal.UNKNOWN_DIRECTION: N_("This sector direction is not part of the selection."),
    Refusal.NOT_EDITABLE: N_("The application can no longer be changed."),
    Refusal.FINAL: N_("This application has already reached its final decision."),
}

TASK_STATES = {
    "done": N_("Completed"),
    "todo": N_("Not started"),
    "failed": N_("Not eligible"),
    "blocked": N_("Cannot start yet"),
}


@dataclass(frozen=True, slots=True)
class Task:
    key: str
    title: str
    state: str
    url: str | None
    clause: str = ""


def task_list(
    application: Application,
    eligibility: Eligibility | None,
    directions: list[str],
    documents: dict[DocumentSlot, ApplicationDocument],
    base: str,
) -> list[Task]:
    """GOV.UK task list: each step with its state; documents only after the eligibility check passes."""
    eligible = eligibility is not None and eligibility.eligible
    eligibility_state = "todo" if eligibility is None else ("done" if eligible else "failed")
    tasks = [
        Task("eligibility", N_("Check that you may apply"), eligibility_state, f"{base}/eligibility", "4, 5")
    ]
    if directions:
        state = "done" if application.direction_code else ("todo" if eligible else "blocked")
        tasks.append(Task("direction", N_("Choose a sector direction"), state, f"{base}/direction", "3"))
    for slot in DocumentSlot:
        state = "done" if slot in documents else ("todo" if eligible else "blocked")
        tasks.append(
            Task(slot.value, SLOT_LABELS[slot], state, f"{base}/documents/{slot.value}", SLOT_CLAUSES[slot])
        )
    consent_state = (
        "done" if application.consent_version == CURRENT_CONSENT else ("todo" if eligible else "blocked")
    )
    tasks.append(
        Task(
            "consent", N_("Consent to the processing of personal data"), consent_state, f"{base}/consent", "9"
        )
    )
    ready = all(t.state == "done" for t in tasks)
    tasks.append(
        Task("check", N_("Check your answers and submit"), "todo" if ready else "blocked", f"{base}/check")
    )
    return tasks
