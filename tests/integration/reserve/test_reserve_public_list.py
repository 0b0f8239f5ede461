"""The public list of the enrolled (rules.md A-27, cl. 12; issue 8 item 1) and the consent to it.

A-27: the public sees the enrolled list only for members who consented to publication, with their
name and sector direction (in the reader's language), and nothing else. The member gives and
withdraws the consent on their membership page; the page is open to everyone, kept in the public
page cache, and shows a change of consent or membership at once.
"""

import asyncio
import re
import uuid
from datetime import timedelta

import sqlalchemy as sa
from litestar import Litestar
from sqlmodel import col

from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.reserve.publication_models import PublicationConsent
from portal.selections.models import SectorDirection
from tests.conftest import FIXED_CLOCK, TODAY
from tests.integration.reserve.support import (
    KARAGANDA,
    SPARE_PERSON,
    account,
    browser,
    member,
    membership,
    post,
    rows,
    sign_in_once,
    tag,
)

DIRECTION = "ecology_natural_resources"
PAVLODAR = "KZ-55"
ASTANA_LIST, PAVLODAR_LIST = "/astana/reserve/public", "/pavlodar/reserve/public"


def _consented(settings: Settings, membership_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """A consent to publication as the member's page leaves it (for memberships nobody signs in to)."""

    async def work() -> None:
        async with session_scope(settings) as session:
            found = await session.get(ReserveMembership, membership_id)
            assert found is not None
            session.add(
                PublicationConsent(
                    tenant_id=found.tenant_id,
                    membership_id=membership_id,
                    user_id=user_id,
                    given_at=FIXED_CLOCK.now(),
                )
            )

    asyncio.run(work())


def _set_status(settings: Settings, membership_id: uuid.UUID, status: MembershipStatus) -> None:
    async def work() -> None:
        async with session_scope(settings) as session:
            await session.execute(
                sa.update(ReserveMembership)
                .where(col(ReserveMembership.id) == membership_id)
                .values(status=status)
            )

    asyncio.run(work())


def _public(app: Litestar, path: str, language: str = "en") -> str:
    """The page as an anonymous reader sees it (through the public page cache)."""
    with browser(app) as anonymous:
        anonymous.cookies.set("lang", language)
        page = anonymous.get(path)
        assert page.status_code == 200, path
        return page.text


def test_a27_cl12_the_member_gives_and_withdraws_the_consent_and_the_public_list_follows(
    app: Litestar, database: Settings
) -> None:
    sign_in_once(app, SPARE_PERSON.sub)
    mine = member(database, person=SPARE_PERSON, direction=DIRECTION)
    silent = member(database, name=f"Silent{tag()}", direction=DIRECTION)  # never consented
    name = membership(database, mine).candidate_name
    assert name not in _public(app, ASTANA_LIST)  # read once: the page is now in the cache
    with browser(app, SPARE_PERSON.sub) as me:
        page = me.get(f"/me/memberships/{mine}").text
        assert 'name="publication" value="give"' in page
        # without the CSRF token nothing changes
        assert me.post(f"/me/memberships/{mine}/publication", data={"publication": "give"}).status_code == 403
        assert name not in _public(app, ASTANA_LIST)
        assert post(me, f"/me/memberships/{mine}/publication", {"publication": "give"}).status_code == 303
        given = me.get(f"/me/memberships/{mine}").text
        assert "Your name and sector direction are now on the public list of the reserve." in given
        assert 'name="publication" value="withdraw"' in given
        again = post(me, f"/me/memberships/{mine}/publication", {"publication": "give"})
        assert "You have already given this consent." in me.get(again.headers["location"]).text

        listed = _public(app, ASTANA_LIST)
        assert name in listed and "Ecology and natural resources" in listed
        assert membership(database, silent).candidate_name not in listed
        # nothing else: no IIN, no term
        assert SPARE_PERSON.iin not in listed and membership(database, mine).ends_on.isoformat() not in listed
        russian = rows(database, sa.select(SectorDirection).where(col(SectorDirection.code) == DIRECTION))[0]
        assert russian.name_ru in _public(app, ASTANA_LIST, "ru")

        assert post(me, f"/me/memberships/{mine}/publication", {"publication": "withdraw"}).status_code == 303
        after = me.get(f"/me/memberships/{mine}").text
        assert "Your name has been taken off the public list of the reserve." in after
        assert "Consent to the public list of the enrolled given" in after
        assert "Consent to the public list of the enrolled withdrawn" in after
        assert name not in _public(app, ASTANA_LIST)
    consents = rows(
        database, sa.select(PublicationConsent).where(col(PublicationConsent.membership_id) == mine)
    )
    assert len(consents) == 1 and consents[0].withdrawn_at is not None
    events = rows(
        database,
        sa.select(AuditEvent)
        .where(col(AuditEvent.object_type) == "reserve_membership", col(AuditEvent.object_id) == str(mine))
        .order_by(col(AuditEvent.seq)),
    )
    assert [(e.action, e.clause) for e in events] == [
        ("member.publication_consent_given", "12"),
        ("member.publication_consent_withdrawn", "12"),
    ]


def test_a27_an_expired_or_excluded_member_or_another_regions_member_is_never_listed(
    app: Litestar, database: Settings
) -> None:
    prefix = f"Public{tag()}"
    user = account(database, prefix)
    kinds = {
        "active": {},
        "expired": {"status": MembershipStatus.EXPIRED},
        "excluded": {"status": MembershipStatus.EXCLUDED},
        "ended": {"ends_on": TODAY - timedelta(days=1), "starts_on": TODAY - timedelta(days=731)},
        "later": {},  # excluded after it was listed
    }
    ids = {
        kind: member(database, PAVLODAR, name=f"{prefix} {kind}", direction=DIRECTION, **extra)  # type: ignore[arg-type]
        for kind, extra in kinds.items()
    }
    foreign = member(database, KARAGANDA, name=f"{prefix} karaganda", direction=DIRECTION)
    for membership_id in [*ids.values(), foreign]:
        _consented(database, membership_id, user[0])
    listed = re.findall(rf"{prefix} \w+", _public(app, PAVLODAR_LIST))
    assert listed == [f"{prefix} active", f"{prefix} later"]
    assert f"{prefix} karaganda" in _public(app, "/karaganda/reserve/public")
    assert prefix not in _public(app, ASTANA_LIST)
    _set_status(database, ids["later"], MembershipStatus.EXCLUDED)
    assert re.findall(rf"{prefix} \w+", _public(app, PAVLODAR_LIST)) == [f"{prefix} active"]


def test_a27_the_public_list_is_sorted_by_name_paged_and_linked_from_the_region_home(
    app: Litestar, database: Settings
) -> None:
    prefix = f"Paged{tag()}"
    user = account(database, prefix)
    for n in reversed(range(12)):
        _consented(
            database, member(database, PAVLODAR, name=f"{prefix}-{n:02d}", direction=DIRECTION), user[0]
        )
    first = _public(app, PAVLODAR_LIST)
    assert re.findall(rf"{prefix}-\d\d", first)[:1] == [f"{prefix}-00"]
    on_pages = [re.findall(rf"{prefix}-\d\d", _public(app, f"{PAVLODAR_LIST}?page={n}")) for n in (1, 2, 3)]
    names = [f"{prefix}-{n:02d}" for n in range(12)]
    assert on_pages == [names[:10], names[10:], []]  # by name, ten a page, each once
    assert 'rel="next"' in first
    with browser(app) as anonymous:
        assert anonymous.get(f"{PAVLODAR_LIST}?page=0").status_code == 400
        assert anonymous.get(f"{PAVLODAR_LIST}?page=x").status_code == 400
    assert 'href="/pavlodar/reserve/public"' in _public(app, "/pavlodar/")
