"""The commission's tables (issue 7): composition, meetings, agenda items, attendance, votes, recusals,
interview scores and minutes.

Every row belongs to one region (tenant_id). Nothing here is deleted: a member's term is ended, a
meeting closed, minutes replaced by a new version. Votes are one per member per item by database
constraint, so concurrent duplicates fail at the database, not in Python.

Secret ballot (rules.md A-20, issue 7 item 4): nobody, the administrator included, may link a
vote to a member. So a secret vote is stored as two unrelated facts: `VoteCast` says that a member
has voted (it carries no choice), and `SecretBallotCount` adds one to the choice's counter (it
carries no member, no time, no row per vote). A row per secret vote, even without a member id,
would leak the link through its physical order (SQLite rowid, PostgreSQL ctid) or its time-ordered
id, paired with the n-th `VoteCast`. Open ballots store `MemberVote` rows naming the member.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field
from portal.i18n import N_
from portal.rules.voting import Vote


class Position(StrEnum):
    """A place in the commission (rules.md 2.1, A-RC-COMP; the secretary is the working body, A-RC-12)."""

    CHAIR = "chair"
    DEPUTY_CHAIR = "deputy_chair"
    SECRETARY = "secretary"
    MEMBER = "member"


#: Who counts for the quorum and votes; the secretary (working body) records, and does not vote.
VOTING_POSITIONS: frozenset[Position] = frozenset({Position.CHAIR, Position.DEPUTY_CHAIR, Position.MEMBER})
#: Positions held by one person at a time (A-RC-COMP: the chair; the deputy chair, head of the TU).
SINGLE_POSITIONS: frozenset[Position] = frozenset({Position.CHAIR, Position.DEPUTY_CHAIR})

POSITION_LABELS: dict[Position, str] = {
    Position.CHAIR: N_("Chair"),
    Position.DEPUTY_CHAIR: N_("Deputy chair"),
    Position.SECRETARY: N_("Secretary"),
    Position.MEMBER: N_("Member"),
}


class CommissionMember(SQLModel, table=True):
    """One term of one person in the commission's composition (A-RC-1: the history shows who was a
    member on any past date). Ending a term sets `ended_on`; the row stays."""

    __tablename__ = "commission_member"
    __table_args__ = (
        sa.CheckConstraint("term_to IS NULL OR term_to >= term_from", name="term_ordered"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= term_from", name="end_after_start"),
        sa.Index("ix_commission_member_tenant_iin", "tenant_id", "iin"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    #: The person (rules.md 5.2). Personal data: never in a URL or a log line.
    iin: str = Field(sa_type=sa.String(12), nullable=False)
    #: The account, once the person has signed in (the term may be recorded before).
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    full_name: str = Field(sa_type=sa.String(300), nullable=False)
    #: The office the person holds outside the commission ("Head of the akim's apparatus").
    post: str = Field(default="", sa_type=sa.String(300), nullable=False)
    position: Position = Field(sa_type=enum_type(Position, 16), nullable=False)
    term_from: date = Field(nullable=False)
    #: The planned end of the term (inclusive); None: until further notice.
    term_to: date | None = Field(default=None)
    #: The term ended early on this day (inclusive), by the tenant administrator.
    ended_on: date | None = Field(default=None)
    end_reason: str = Field(default="", sa_type=sa.Text, nullable=False)
    #: The commission role the composition granted (portal.auth), revoked when the term ends.
    role_assignment_id: uuid.UUID | None = Field(default=None, foreign_key="role_assignment.id")
    added_by: str = Field(sa_type=sa.String(80), nullable=False)
    added_at: datetime = created_at_field()
    ended_by: str | None = Field(default=None, sa_type=sa.String(80))
    ended_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))

    @property
    def last_day(self) -> date | None:
        """The last day in force: the earlier of the planned end and the early end."""
        days = [d for d in (self.term_to, self.ended_on) if d is not None]
        return min(days) if days else None

    def in_force_on(self, day: date) -> bool:
        last = self.last_day
        return self.term_from <= day and (last is None or day <= last)

    @property
    def votes(self) -> bool:
        return self.position in VOTING_POSITIONS


class MeetingStatus(StrEnum):
    DRAFT = "draft"  # agenda and attendance being prepared
    OPEN = "open"  # the voting rule is frozen; items are voted on
    CLOSED = "closed"


class Meeting(SQLModel, table=True):
    """A commission meeting (cl. 6(5); A-RC-4(3)), numbered per region per year.

    `voting_rule` is the tenant's voting settings frozen when the meeting opens (rules.md A-20):
    {"quorum": "2/3", "majority_of": "present", "chair_casting_vote": true,
    "remote_participation": true, "secret_ballot": false}. Later changes to the settings do not
    reach an opened meeting.
    """

    __table_args__ = (sa.UniqueConstraint("tenant_id", "year", "number"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    year: int = Field(nullable=False)
    number: int = Field(nullable=False)
    scheduled_at: datetime = Field(sa_type=DateTimeUTC(timezone=True), nullable=False)
    place: str = Field(sa_type=sa.String(300), nullable=False)
    status: MeetingStatus = Field(
        default=MeetingStatus.DRAFT, sa_type=enum_type(MeetingStatus, 16), nullable=False
    )
    voting_rule: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    created_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    created_at: datetime = created_at_field()
    opened_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    opened_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    closed_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    closed_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))


class ItemKind(StrEnum):
    """What the commission decides (issue 7; A-RC-4(3), (8), (9), (10))."""

    CUT_OFF = "cut_off"  # cl. 10
    ENROLMENT = "enrolment"  # cl. 6(5), 12
    SELECTION_PARAMETERS = "selection_parameters"  # cl. 3
    DIRECT_ENROLMENT = "direct_enrolment"  # ch. 2-1, cl. 13-3
    EXCLUSION = "exclusion"  # cl. 18


ITEM_CLAUSES: dict[ItemKind, str] = {
    ItemKind.CUT_OFF: "10",
    ItemKind.ENROLMENT: "12",
    ItemKind.SELECTION_PARAMETERS: "3",
    ItemKind.DIRECT_ENROLMENT: "13-3",
    ItemKind.EXCLUSION: "18",
}


class ItemStatus(StrEnum):
    PENDING = "pending"  # on the agenda, not yet put to the vote
    OPEN = "open"  # members vote
    CLOSED = "closed"  # counted; votes can no longer be cast or changed


class ItemOutcome(StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"  # nothing decided: the item may come back at a later meeting
    # nothing decided: the subject stopped being decidable while the item was being voted on
    # (a request withdrawn or decided, a case closed, a candidate or selection no longer waiting)
    SUBJECT_CHANGED = "subject_changed"


class AgendaItem(SQLModel, table=True):
    """One question on a meeting's agenda, its vote and its recorded decision.

    The subject: `selection_id` and `application_id` where they apply, the rest in `subject`
    (a cut-off's {"stage": "testing"}; later a direct-enrolment request or an exclusion proceeding).
    `tally` keeps the count from portal.rules.voting.tally and the rule it was taken under.
    """

    __tablename__ = "agenda_item"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "position"),
        sa.Index("ix_agenda_item_tenant_application", "tenant_id", "application_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True, nullable=False)
    position: int = Field(nullable=False)
    kind: ItemKind = Field(sa_type=enum_type(ItemKind, 24), nullable=False)
    selection_id: uuid.UUID | None = Field(default=None, foreign_key="selection.id")
    application_id: uuid.UUID | None = Field(default=None, foreign_key="application.id")
    subject: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    clause: str = Field(sa_type=sa.String(16), nullable=False)
    status: ItemStatus = Field(default=ItemStatus.PENDING, sa_type=enum_type(ItemStatus, 16), nullable=False)
    outcome: ItemOutcome | None = Field(default=None, sa_type=enum_type(ItemOutcome, 16))
    tally: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    opened_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    decided_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")


class Attendance(SQLModel, table=True):
    """Whether a member attends a meeting, in person or remotely (rules.md A-20)."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "member_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", nullable=False)
    member_id: uuid.UUID = Field(foreign_key="commission_member.id", nullable=False)
    present: bool = Field(nullable=False)
    remote: bool = Field(default=False, nullable=False)
    recorded_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    recorded_at: datetime = created_at_field()


class MemberVote(SQLModel, table=True):
    """An open-ballot vote: who voted how on one item. One per member per item (database constraint)."""

    __tablename__ = "vote"
    __table_args__ = (sa.UniqueConstraint("item_id", "member_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    item_id: uuid.UUID = Field(foreign_key="agenda_item.id", nullable=False)
    member_id: uuid.UUID = Field(foreign_key="commission_member.id", nullable=False)
    choice: Vote = Field(sa_type=enum_type(Vote, 8), nullable=False)
    cast_at: datetime = created_at_field()


class VoteCast(SQLModel, table=True):
    """That a member has voted on an item (both ballots), without the choice. One per member per item."""

    __tablename__ = "vote_cast"
    __table_args__ = (sa.UniqueConstraint("item_id", "member_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    item_id: uuid.UUID = Field(foreign_key="agenda_item.id", index=True, nullable=False)
    member_id: uuid.UUID = Field(foreign_key="commission_member.id", nullable=False)
    cast_at: datetime = created_at_field()


class SecretBallotCount(SQLModel, table=True):
    """A secret ballot's counter for one choice on one item: no member, no time (see the module doc)."""

    __tablename__ = "secret_ballot_count"

    item_id: uuid.UUID = Field(foreign_key="agenda_item.id", primary_key=True)
    choice: Vote = Field(sa_type=enum_type(Vote, 8), primary_key=True)
    tenant_id: str = tenant_id_field()
    votes: int = Field(default=0, nullable=False)


class Recusal(SQLModel, table=True):
    """A declared conflict of interest (rules.md 2.3 item 5; anchors row 31): the member neither scores
    nor votes, and leaves the quorum base. On an item (`item_id`), or on a candidate
    (`selection_id` + `application_id`: then every item and every score about that candidate)."""

    __table_args__ = (
        sa.UniqueConstraint("member_id", "item_id", name="uq_recusal_member_item"),
        sa.UniqueConstraint("member_id", "application_id", name="uq_recusal_member_application"),
        sa.CheckConstraint("item_id IS NOT NULL OR application_id IS NOT NULL", name="has_subject"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    member_id: uuid.UUID = Field(foreign_key="commission_member.id", index=True, nullable=False)
    item_id: uuid.UUID | None = Field(default=None, foreign_key="agenda_item.id")
    selection_id: uuid.UUID | None = Field(default=None, foreign_key="selection.id")
    application_id: uuid.UUID | None = Field(default=None, foreign_key="application.id")
    reason: str = Field(sa_type=sa.Text, nullable=False)
    recorded_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    declared_at: datetime = created_at_field()


class InterviewScore(SQLModel, table=True):
    """One member's score of one candidate on one competency of the rubric (cl. 6(4), 12; rules.md
    A-12). The upper bound is the rubric's `scale_max` (5 by default), checked by the service."""

    __tablename__ = "interview_score"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "member_id", "competency"),
        sa.CheckConstraint("score >= 1", name="score_positive"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", index=True, nullable=False)
    application_id: uuid.UUID = Field(foreign_key="application.id", nullable=False)
    member_id: uuid.UUID = Field(foreign_key="commission_member.id", nullable=False)
    #: A competency code of the selection's InterviewRubric.
    competency: str = Field(sa_type=sa.String(40), nullable=False)
    score: int = Field(nullable=False)
    scored_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class Minutes(SQLModel, table=True):
    """The minutes (protocol) of a meeting, numbered per region per year. Signed-off minutes never
    change: a correction is a new version (same number, version + 1) that `replaces_id` the old."""

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "year", "number", "version"),
        sa.UniqueConstraint("meeting_id", "version"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", nullable=False)
    year: int = Field(nullable=False)
    number: int = Field(nullable=False)
    version: int = Field(default=1, nullable=False)
    replaces_id: uuid.UUID | None = Field(default=None, foreign_key="minutes.id")
    storage_key: str | None = Field(default=None, sa_type=sa.String(120))
    sha256: str | None = Field(default=None, sa_type=sa.String(64))
    created_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    created_at: datetime = created_at_field()
    signed_off_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    signed_off_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
