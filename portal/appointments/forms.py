"""Reading the forms of posts and proposals: strings in, checked values (or messages) out."""

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from portal.appointments.positions import PostFields
from portal.core.forms import Form
from portal.i18n import gettext as _

POSITION_FIELDS = ("executive_body", "title", "category")
POSITION_FLAGS = ("is_elective", "heads_regional_budget_body", "vacant")


def _checked(data: Mapping[str, Any], name: str) -> bool:
    return str(data.get(name, "")).strip() in {"on", "1", "true", "yes"}


def position_form(position: Any | None = None) -> Form:
    """The form filled from a post (or empty, vacant by default, for a new one)."""
    if position is None:
        return Form({"vacant": "on"})
    values = {name: str(getattr(position, name)) for name in POSITION_FIELDS}
    values |= {name: "on" for name in POSITION_FLAGS if getattr(position, name)}
    return Form(values)


def read_position(data: Mapping[str, Any]) -> tuple[Form, PostFields | None]:
    form = Form.of(data, POSITION_FIELDS)
    for name in POSITION_FLAGS:
        if _checked(data, name):
            form.values[name] = "on"
    executive_body = form.text("executive_body", max_length=300)
    title = form.text("title", max_length=300)
    category = form.text("category", max_length=16)
    if not form.valid:
        return form, None
    return form, PostFields(
        executive_body=executive_body,
        title=title,
        category=category,
        is_elective=_checked(data, "is_elective"),
        heads_regional_budget_body=_checked(data, "heads_regional_budget_body"),
        vacant=_checked(data, "vacant"),
    )


def read_uuid(form: Form, name: str) -> uuid.UUID | None:
    """A chosen row (post, member) by its id; a missing or malformed one is a form error."""
    value = form.get(name)
    if not value:
        form.error(name, _("Choose one of the options."))
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        form.error(name, _("Choose one of the options."))
        return None


def read_act(form: Form, today: date) -> tuple[str, date | None]:
    """The appointment act's number and date (the date not in the future)."""
    number = form.text("act_number", max_length=80)
    act_date = form.day("act_date")
    if act_date is not None and act_date > today:
        form.error("act_date", _("The act cannot be dated in the future."))
    return number, act_date


__all__ = ["position_form", "read_act", "read_position", "read_uuid"]
