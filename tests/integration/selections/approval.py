"""The commission's approval of a submitted selection's parameters (cl. 3, A-RC-4(10)), over HTTP as the
secretary and the members do it: a meeting with the item, everyone present, opened, the item put to the
vote, all six voting members vote, the vote closed (with the secretary's reason), the meeting closed.

Every demo region has the demo commission (portal.demo.commission): six voting members, quorum 4.
"""

import uuid
from dataclasses import dataclass

import httpx
import sqlalchemy as sa

from portal.commission.models import AgendaItem, CommissionMember, ItemKind
from portal.core.settings import Settings
from portal.demo.users import demo_user
from portal.selections.models import Selection, SelectionStatus
from tests.integration.commission.support import MEETING_AT, SECRETARY, VOTERS, People, post, rows


def _members(settings: Settings, tenant_id: str) -> dict[str, str]:
    found = rows(settings, sa.select(CommissionMember).where(CommissionMember.tenant_id == tenant_id))  # type: ignore[arg-type]
    by_iin = {m.iin: str(m.id) for m in found if m.ended_on is None}
    return {sub: by_iin[demo_user(sub).iin] for sub in VOTERS}


def _ok(response: httpx.Response) -> httpx.Response:
    assert response.status_code == 303, response.text[:2000]
    return response


@dataclass(frozen=True)
class Decision:
    """The meeting that decided (or is deciding) the parameters, and the response of closing the vote."""

    meeting_url: str
    item_id: uuid.UUID
    closed: httpx.Response

    def close(self, people: People, reason: str) -> httpx.Response:
        """Close the vote again (after a 422), with the reason, then the meeting."""
        closed = post(people(SECRETARY), f"{self.meeting_url}/items/{self.item_id}/close", {"reason": reason})
        if closed.status_code == 303:
            _ok(post(people(SECRETARY), f"{self.meeting_url}/close"))
        return closed


def decide_parameters(
    people: People,
    settings: Settings,
    *,
    slug: str,
    tenant_id: str,
    selection_id: str,
    approve: bool = True,
    reason: str = "",
) -> Decision:
    """Put the selection's parameters before the commission and vote on them (all six for, or all
    against); `closed` is 303 when decided (the meeting is closed too), 422 when "not approved" came
    without a reason (the vote and the meeting stay open: `Decision.close` again)."""
    secretary = people(SECRETARY)
    created = _ok(
        post(
            secretary,
            f"/{slug}/commission/meetings",
            {
                "scheduled_at": MEETING_AT,
                "place": "Akimat, hall 2",
                "agenda": [f"{ItemKind.SELECTION_PARAMETERS}:{selection_id}"],
            },
        )
    )
    url = created.headers["location"]
    meeting_id = uuid.UUID(url.rstrip("/").rsplit("/", 1)[-1])
    item = rows(settings, sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting_id))[0]  # type: ignore[arg-type]
    assert item.kind == ItemKind.SELECTION_PARAMETERS and item.clause == "3"
    marks = {f"presence-{member}": "present" for member in _members(settings, tenant_id).values()}
    _ok(post(secretary, f"{url}/attendance", marks))
    _ok(post(secretary, f"{url}/open"))
    _ok(post(secretary, f"{url}/items/{item.id}/open"))
    ballot = f"/{slug}/commission/ballots/{meeting_id}/items/{item.id}/vote"
    for sub in VOTERS:
        _ok(post(people(sub), ballot, {"choice": "for" if approve else "against"}))
    decision = Decision(url, item.id, post(secretary, f"{url}/items/{item.id}/close", {"reason": reason}))
    if decision.closed.status_code == 303:
        _ok(post(secretary, f"{url}/close"))
    return decision


def approve_parameters(
    people: People, settings: Settings, *, slug: str, tenant_id: str, selection_id: str
) -> None:
    """The commission approves: the selection goes to the Agency's queue (awaiting agreement)."""
    _ok(decide_parameters(people, settings, slug=slug, tenant_id=tenant_id, selection_id=selection_id).closed)
    status = rows(settings, sa.select(Selection.status).where(Selection.id == uuid.UUID(selection_id)))  # type: ignore[arg-type]
    assert status == [SelectionStatus.AWAITING_AGREEMENT], status
