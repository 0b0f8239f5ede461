"""One vote per member per item even under concurrent requests (issue 7 "done when"): 50 simultaneous
vote requests of the same member on the same item store exactly one vote (PostgreSQL only).

The unique constraint on (item, member) decides, not a check in Python: every request passes the
"already voted?" read at about the same time, and all but one insert fail at the database.
Runs when the suite runs on PostgreSQL (PORTAL_TEST_DATABASE_URL), as CI does.
"""

import asyncio
import os
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
from litestar import Litestar

from portal.commission.models import MemberVote, VoteCast
from portal.core.audit import AuditEvent
from portal.core.settings import Settings
from tests.conftest import csrf_headers
from tests.integration.commission.support import ALIYA, BERIK, CHAIR, SAULE, People, new_meeting, rows, stage

URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not URL.startswith("postgresql"), reason="PORTAL_TEST_DATABASE_URL is not PostgreSQL"),
]
BURST = 50


@pytest.fixture
def people(app: Litestar) -> Iterator[People]:
    found = People(app)
    yield found
    found.close()


def test_a20_fifty_simultaneous_votes_of_one_member_store_exactly_one(
    app: Litestar, people: People, database: Settings
) -> None:
    s = stage(database, count=1)
    meeting = new_meeting(people, database, [s.key(0)])
    meeting.attend([CHAIR, ALIYA, BERIK, SAULE])
    meeting.open()
    meeting.put_to_vote()
    item = meeting.item()
    member = people(ALIYA)
    url = f"{meeting.ballot_url}/items/{item.id}/vote"
    headers = csrf_headers(member)
    cookies = dict(member.cookies.items())

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", cookies=cookies
        ) as client:
            return list(
                await asyncio.gather(
                    *(client.post(url, data={"choice": "for"}, headers=headers) for _ in range(BURST))
                )
            )

    # In the browser's own event loop, where the application is running.
    responses = member.blocking_portal.call(burst)
    assert [r.status_code for r in responses] == [303] * BURST
    assert len(rows(database, sa.select(VoteCast).where(VoteCast.item_id == item.id))) == 1  # type: ignore[arg-type]
    assert rows(database, sa.select(MemberVote.choice).where(MemberVote.item_id == item.id)) == ["for"]  # type: ignore[arg-type]
    cast = rows(
        database,
        sa.select(AuditEvent.seq).where(  # type: ignore[arg-type]
            AuditEvent.object_id == str(item.id), AuditEvent.action == "commission.vote_cast"
        ),
    )
    assert len(cast) == 1
