"""The listed person's request form (cl. 13-2): the region of their choice and, optionally, a sector
direction. Strings in, checked values (or messages) out."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from portal.core.forms import Form
from portal.i18n import gettext as _

REQUEST_FIELDS = ("region", "direction")


@dataclass(frozen=True, slots=True)
class RequestChoice:
    tenant_id: str
    direction_code: str | None


def read_request(
    data: Mapping[str, Any], *, regions: Iterable[str], directions: Iterable[str]
) -> tuple[Form, RequestChoice | None]:
    """The chosen region (required, one of `regions`) and direction (optional, one of `directions`)."""
    form = Form.of(data, REQUEST_FIELDS)
    if form.get("region") not in set(regions):
        form.error("region", _("Choose the region whose commission you apply to."))
    direction = form.get("direction")
    if direction:
        form.choice("direction", directions)
    if not form.valid:
        return form, None
    return form, RequestChoice(tenant_id=form.get("region"), direction_code=direction or None)
