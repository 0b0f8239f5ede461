"""Shared steps of the commission tests: a selection whose candidates attended the interview, people
signed in, and a meeting driven through HTTP as the secretary and the members would.

Astana's demo commission (portal.demo.commission) votes: the chair (chair-askar), the deputy chair
(tu-head-marat) and four members; the quorum base is 6 and the default quorum 2/3 needs 4.
"""

import asyncio
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from portal.applications.models import Application, ApplicationStatus, CandidateProfile
from portal.applications.references import next_reference
from portal.auth.models import User
from portal.commission import settings as voting_settings
from portal.commission.models import AgendaItem, CommissionMember
from portal.commission.settings import Rule
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import demo_user, make_iin
from portal.rules.voting import VotingRule
from portal.selections.models import AnnouncementText, Selection, SelectionStatus
from portal.selections.results_import import ResultStage
from portal.selections.stage_models import ImportStatus, InterviewSlot, ResultsImport, SlotStatus, StageResult
from portal.tenancy.models import VotingSettings
from tests.conftest import csrf_headers, sign_in

ASTANA = "KZ-71"
SECRETARY = "secretary-gulnar"
CHAIR, DEPUTY = "chair-askar", "tu-head-marat"
ALIYA, BERIK, SAULE, YERLAN = "member-aliya", "member-berik", "member-saule", "member-yerlan"
VOTERS = (CHAIR, DEPUTY, ALIYA, BERIK, SAULE, YERLAN)
MEETING_AT = "2025-02-20T10:00"


def rows[T](settings: Settings, statement: sa.Select[tuple[T]]) -> list[T]:
    async def work() -> list[T]:
        async with session_scope(settings) as session:
            return list((await session.execute(statement)).scalars())

    return asyncio.run(work())


@dataclass(frozen=True)
class Stage:
    selection_id: str
    applications: list[str]
    names: list[str]
    user_ids: list[uuid.UUID]

    def key(self, n: int) -> str:
        return f"enrolment:{self.applications[n]}"


async def _user(session: Any, n: int, tag: str) -> uuid.UUID:
    iin = make_iin(date(1994, 1 + n % 12, 1 + n % 28), n % 2 == 0, 9400 + n)
    user = (await session.execute(sa.select(User).where(User.iin == iin))).scalar_one_or_none()
    if user is None:
        user = User(
            iin=iin,
            issuer="test",
            sub=f"commission-{uuid.uuid4()}",
            given_name="Үміткер",
            family_name=f"Комиссия{n}",
            birth_date=date(1994, 1 + n % 12, 1 + n % 28),
        )
        session.add(user)
        await session.flush()
        session.add(CandidateProfile(user_id=user.id, email=f"commission-{tag}-{n}@example.kz"))
    return user.id


def stage(
    settings: Settings, *, count: int = 2, quota: int = 3, languages: Sequence[str] = ("kk", "ru")
) -> Stage:
    """A selection of Astana at the interview stage whose `count` candidates attended their interview."""

    async def work() -> Stage:
        async with session_scope(settings) as session:
            selection = Selection(
                tenant_id=ASTANA,
                reference=f"T-COM-{uuid.uuid4().hex[:10]}",
                cycle_year=2025,
                status=SelectionStatus.INTERVIEW,
                quota=quota,
                contact_email="astana@reserve-demo.kz",
                intake_start=date(2024, 11, 4),
                intake_end=date(2024, 11, 29),
            )
            session.add(selection)
            await session.flush()
            for language, title in (
                ("kk", "Комиссия іріктеуі"),
                ("ru", "Отбор: комиссия"),
                ("en", "Commission"),
            ):
                session.add(
                    AnnouncementText(
                        selection_id=selection.id,
                        language=language,
                        tenant_id=ASTANA,
                        title=title,
                        summary=title,
                        body=title,
                    )
                )
            applications, names, users = [], [], []
            for n in range(count):
                user_id = await _user(session, n, selection.reference)
                application = Application(
                    tenant_id=ASTANA,
                    selection_id=selection.id,
                    candidate_iin=(await session.get(User, user_id)).iin,
                    user_id=user_id,
                    candidate_name=f"Комиссияев Кандидат{n}",
                    reference=await next_reference(session, ASTANA, 2025),
                    status=ApplicationStatus.IN_INTERVIEW,
                    language=languages[n % len(languages)],
                    submitted_at=datetime(2024, 11, 10, tzinfo=UTC),
                )
                session.add(application)
                await session.flush()
                session.add(
                    InterviewSlot(
                        tenant_id=ASTANA,
                        selection_id=selection.id,
                        application_id=application.id,
                        pseudonym=f"C-{n + 1:02d}",
                        starts_at=datetime(2025, 2, 19, 4 + n, tzinfo=UTC),
                        place="Акимат",
                        status=SlotStatus.ATTENDED,
                    )
                )
                applications.append(str(application.id))
                names.append(application.candidate_name)
                users.append(user_id)
            return Stage(str(selection.id), applications, names, users)

    return asyncio.run(work())


def cut_off_stage(settings: Settings) -> str:
    """A selection of Astana at the testing stage whose results are all imported: its cut-off (cl. 10)
    waits for the commission. Returns the selection's id."""

    async def work() -> str:
        async with session_scope(settings) as session:
            selection = Selection(
                tenant_id=ASTANA,
                reference=f"T-CUT-{uuid.uuid4().hex[:10]}",
                cycle_year=2025,
                status=SelectionStatus.TESTING,
                quota=2,
                contact_email="astana@reserve-demo.kz",
                intake_start=date(2024, 11, 4),
                intake_end=date(2024, 11, 29),
            )
            session.add(selection)
            await session.flush()
            uploader = await _user(session, 20, selection.reference)
            batch = ResultsImport(
                tenant_id=ASTANA,
                selection_id=selection.id,
                stage=ResultStage.TESTING,
                file_name="results.csv",
                sha256="0" * 64,
                status=ImportStatus.APPROVED,
                uploaded_by=uploader,
            )
            session.add(batch)
            await session.flush()
            for n in range(2):
                user_id = await _user(session, 20 + n, selection.reference)
                application = Application(
                    tenant_id=ASTANA,
                    selection_id=selection.id,
                    candidate_iin=(await session.get(User, user_id)).iin,
                    user_id=user_id,
                    candidate_name=f"Тестілеу Кандидат{n}",
                    reference=await next_reference(session, ASTANA, 2025),
                    status=ApplicationStatus.IN_TESTING,
                )
                session.add(application)
                await session.flush()
                session.add(
                    StageResult(
                        tenant_id=ASTANA,
                        selection_id=selection.id,
                        application_id=application.id,
                        stage=ResultStage.TESTING,
                        score=70 + n,
                        import_id=batch.id,
                    )
                )
            return str(selection.id)

    return asyncio.run(work())


def set_rule(settings: Settings, **changes: Any) -> None:
    """Astana's voting settings: the A-20 defaults with some changes (no changes: back to defaults)."""

    async def work() -> None:
        async with session_scope(settings) as session:
            await session.execute(sa.delete(VotingSettings).where(VotingSettings.tenant_id == ASTANA))  # type: ignore[arg-type]
            if changes:
                secret = bool(changes.pop("secret_ballot", False))
                await voting_settings.save(session, ASTANA, Rule(VotingRule(**changes), secret), actor="test")

    asyncio.run(work())


@contextmanager
def rule(settings: Settings, **changes: Any) -> Iterator[None]:
    """Astana's voting settings changed for the length of the block, then back to the defaults."""
    set_rule(settings, **changes)
    try:
        yield
    finally:
        set_rule(settings)


def member_ids(settings: Settings) -> dict[str, str]:
    """Astana's commission members by demo user (sub)."""
    found = rows(settings, sa.select(CommissionMember).where(CommissionMember.tenant_id == ASTANA))  # type: ignore[arg-type]
    by_iin = {m.iin: str(m.id) for m in found}
    return {sub: by_iin[demo_user(sub).iin] for sub in (*VOTERS, SECRETARY)}


@dataclass
class People:
    """Browsers signed in as the secretary, the members and whoever else a test needs."""

    app: Litestar
    clients: dict[str, TestClient[Litestar]] = field(default_factory=dict)

    def __call__(self, sub: str) -> TestClient[Litestar]:
        if sub not in self.clients:
            client = TestClient(app=self.app, base_url="http://127.0.0.1", cookies={"lang": "en"})
            client.__enter__()
            assert sign_in(client, sub).status_code == 303, sub
            self.clients[sub] = client
        return self.clients[sub]

    def close(self) -> None:
        """Last in, first out: each browser's application start-up is undone in reverse order."""
        for client in reversed(list(self.clients.values())):
            client.__exit__(None, None, None)


def post(client: TestClient[Litestar], url: str, data: dict[str, Any] | None = None) -> httpx.Response:
    return client.post(url, data=data or {}, headers=csrf_headers(client), follow_redirects=False)


@dataclass
class Meeting:
    """One meeting of Astana's commission, driven as the secretary (and the members) would."""

    people: People
    settings: Settings
    url: str

    @property
    def id(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    @property
    def ballot_url(self) -> str:
        return f"/astana/commission/ballots/{self.id}"

    @property
    def secretary(self) -> TestClient[Litestar]:
        return self.people(SECRETARY)

    def items(self) -> list[AgendaItem]:
        return rows(
            self.settings,
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == uuid.UUID(self.id))  # type: ignore[arg-type]
            .order_by(AgendaItem.position),  # type: ignore[arg-type]
        )

    def item(self, n: int = 0) -> AgendaItem:
        return self.items()[n]

    def attend(self, present: Sequence[str], remote: Sequence[str] = ()) -> httpx.Response:
        ids = member_ids(self.settings)
        marks = {f"presence-{ids[sub]}": "absent" for sub in VOTERS}
        marks.update({f"presence-{ids[sub]}": "present" for sub in present})
        marks.update({f"presence-{ids[sub]}": "remote" for sub in remote})
        return post(self.secretary, f"{self.url}/attendance", marks)

    def open(self) -> httpx.Response:
        return post(self.secretary, f"{self.url}/open")

    def put_to_vote(self, n: int = 0) -> httpx.Response:
        return post(self.secretary, f"{self.url}/items/{self.item(n).id}/open")

    def close_item(self, n: int = 0) -> httpx.Response:
        return post(self.secretary, f"{self.url}/items/{self.item(n).id}/close")

    def vote(self, sub: str, choice: str, n: int = 0) -> httpx.Response:
        return post(self.people(sub), f"{self.ballot_url}/items/{self.item(n).id}/vote", {"choice": choice})

    def recuse(self, sub: str, reason: str, n: int = 0) -> httpx.Response:
        return post(self.people(sub), f"{self.ballot_url}/items/{self.item(n).id}/recuse", {"reason": reason})

    def votes(self, choices: dict[str, str], n: int = 0) -> None:
        for sub, choice in choices.items():
            assert self.vote(sub, choice, n).status_code == 303

    def page(self) -> str:
        return self.secretary.get(self.url).text

    def decided(self, n: int = 0) -> AgendaItem:
        closed = self.close_item(n)
        assert closed.status_code == 303, closed.text
        return self.item(n)


def new_meeting(people: People, settings: Settings, keys: Sequence[str]) -> Meeting:
    created = post(
        people(SECRETARY),
        "/astana/commission/meetings",
        {"scheduled_at": MEETING_AT, "place": "Akimat, hall 1", "agenda": list(keys)},
    )
    assert created.status_code == 303, created.text
    return Meeting(people, settings, created.headers["location"])


def flashes(page: str) -> list[str]:
    return re.findall(r'<div class="notice notice--\w+" role="status"><p>(.*?)</p></div>', page, re.S)
