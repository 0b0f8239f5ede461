"""The candidate's forms: profile sections and the application's steps."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from portal.core.forms import Form
from portal.i18n import gettext as _
from portal.rules.eligibility import KZ, BarredCategory, EducationLevel, EmploymentKind

COUNTRY = "country"


def contact_form(data: Mapping[str, Any]) -> Form:
    form = Form.of(data, ["email", "phone"])
    form.email("email")
    form.phone("phone")
    return form


def declarations_form(data: Mapping[str, Any], barred: list[str]) -> Form:
    """Citizenship (cl. 4) and the cl. 5 categories: each is a yes or no the candidate must give."""
    form = Form.of(data, ["kz_citizen", "other_citizenship"])
    form.choice("kz_citizen", ["yes", "no"])
    other = form.text("other_citizenship", required=False, max_length=2).upper()
    if other and (len(other) != 2 or not other.isalpha() or other == KZ):
        form.error("other_citizenship", _("Enter the two-letter country code, for example RU."))
    form.values["barred"] = ",".join(b for b in barred if b in {c.value for c in BarredCategory})
    return form


def education_form(data: Mapping[str, Any], today: date) -> Form:
    form = Form.of(data, ["level", "institution", COUNTRY, "start_date", "end_date", "diploma_number"])
    form.choice("level", [level.value for level in EducationLevel])
    form.text("institution")
    country = form.text(COUNTRY, max_length=2).upper()
    if country and (len(country) != 2 or not country.isalpha()):
        form.error(COUNTRY, _("Enter the two-letter country code, for example KZ."))
    form.values[COUNTRY] = country
    _period(form, today, end_required=True)
    form.text("diploma_number", required=False, max_length=60)
    return form


def employment_form(data: Mapping[str, Any], today: date) -> Form:
    form = Form.of(data, ["employer", "position", "sector", "kind", "start_date", "end_date"])
    form.text("employer")
    form.text("position")
    form.text("sector", required=False, max_length=120)
    form.choice("kind", [kind.value for kind in EmploymentKind])
    _period(form, today, end_required=False)
    return form


def _period(form: Form, today: date, *, end_required: bool) -> None:
    start = form.day("start_date")
    end = form.day("end_date", required=end_required)
    if start and start > today:
        form.error("start_date", _("The start cannot be in the future."))
    if start and end and end < start:
        form.error("end_date", _("The end cannot be before the start."))
    if end and end > today:
        form.error("end_date", _("The end cannot be in the future."))
