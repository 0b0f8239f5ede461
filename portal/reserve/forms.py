"""Reading the reserve's query strings and forms: strings in, checked values (or messages) out."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.core.errors import PageError
from portal.core.forms import Form
from portal.i18n import gettext as _
from portal.reserve.queries import Filters, Sort, StatusFilter
from portal.rules.exclusion import cl18_evidence_kinds
from portal.rules.grounds import EvidenceKind, ExclusionGround

#: "Term ends within N days": at most ten years ahead (a term is two).
MAX_ENDING_WITHIN = 3650
CASE_FIELDS = ("membership", "ground", "sub_basis", "summary", "act_date")
EVIDENCE_FIELDS = ("kind", "document_date", "in_force_on")


def read_filters(
    *,
    direction: str | None,
    status: str | None,
    ending_within: str | None,
    sort: str | None,
    page: str | None,
    known_directions: Mapping[str, Any],
) -> Filters:
    """The list's query string; anything unknown is a 400 (as the other server-side lists)."""
    try:
        chosen = direction or None
        if chosen is not None and chosen not in known_directions:
            raise ValueError(chosen)
        state = StatusFilter(status) if status else StatusFilter.ACTIVE
        within = int(ending_within) if ending_within else None
        if within is not None and not 0 <= within <= MAX_ENDING_WITHIN:
            raise ValueError(ending_within)
        order = Sort((sort or "name").removeprefix("-"))
        number = int(page) if page else 1
        if number < 1:
            raise ValueError(page)
    except ValueError as error:
        raise PageError(status_code=400, detail=_("Unknown filter value.")) from error
    return Filters(chosen, state, within, order, bool(sort and sort.startswith("-")), number)


@dataclass(frozen=True, slots=True)
class CaseFields:
    ground: ExclusionGround
    sub_basis: str
    summary: str
    act_date: date | None


def read_case(data: Mapping[str, Any], today: date) -> tuple[Form, CaseFields | None]:
    """The unit's new case: ground (18.1-18.11), its limb where it has them, the facts, the act's date."""
    form = Form.of(data, CASE_FIELDS)
    code = form.choice("ground", [g.value for g in ExclusionGround])
    summary = form.text("summary", max_length=4000)
    act_date = form.day("act_date", required=False)
    if act_date is not None and act_date > today:
        form.error("act_date", _("The date of the act cannot be in the future."))
    sub_basis = form.get("sub_basis")
    if form.valid:
        ground = ExclusionGround(code)
        codes = [s.code for s in ground.sub_bases]
        if codes:
            form.choice("sub_basis", codes)
        else:
            sub_basis = ""
    if not form.valid:
        return form, None
    return form, CaseFields(ExclusionGround(code), sub_basis, summary, act_date)


@dataclass(frozen=True, slots=True)
class EvidenceFields:
    kind: EvidenceKind
    document_date: date | None
    in_force_on: date | None


def read_evidence(data: Mapping[str, Any], today: date) -> tuple[Form, EvidenceFields | None]:
    form = Form.of(data, EVIDENCE_FIELDS)
    kind = form.choice("kind", [k.value for k in cl18_evidence_kinds()])
    document_date = form.day("document_date", required=False)
    in_force_on = form.day("in_force_on", required=False)
    if document_date is not None and document_date > today:
        form.error("document_date", _("The document cannot be dated in the future."))
    if document_date is not None and in_force_on is not None and in_force_on < document_date:
        form.error("in_force_on", _("A document cannot enter into force before its date."))
    if not form.valid:
        return form, None
    return form, EvidenceFields(EvidenceKind(kind), document_date, in_force_on)


__all__ = ["CaseFields", "EvidenceFields", "read_case", "read_evidence", "read_filters"]
