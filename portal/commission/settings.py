"""The region's voting settings (rules.md A-20) and the rule a meeting freezes when it opens.

The defaults are those of portal.rules.voting.VotingRule: quorum 2/3 of the members, a simple
majority of those present, the chair's casting vote on a tie, remote participation allowed; open
ballot. The tenant administrator changes them; an opened meeting keeps the rule it froze.
"""

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from portal.core.audit import Change, record
from portal.core.models import utcnow
from portal.rules.voting import MajorityBase, VotingRule
from portal.tenancy.models import VotingSettings

CLAUSE = "A-20"
#: The quorum fractions offered (rules.md A-20: default 2/3).
QUORUM_CHOICES: tuple[str, ...] = ("1/2", "3/5", "2/3", "3/4", "1/1")


@dataclass(frozen=True, slots=True)
class Rule:
    """A meeting's frozen rule: the counting rule of portal.rules.voting and the kind of ballot."""

    voting: VotingRule
    secret_ballot: bool

    def as_json(self) -> dict[str, Any]:
        quorum = self.voting.quorum
        return {
            "quorum": f"{quorum.numerator}/{quorum.denominator}",
            "majority_of": self.voting.majority_of.value,
            "chair_casting_vote": self.voting.chair_casting_vote,
            "remote_participation": self.voting.remote_participation,
            "secret_ballot": self.secret_ballot,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Rule":
        return cls(
            VotingRule(
                quorum=Fraction(str(data["quorum"])),
                majority_of=MajorityBase(data["majority_of"]),
                chair_casting_vote=bool(data["chair_casting_vote"]),
                remote_participation=bool(data["remote_participation"]),
            ),
            bool(data["secret_ballot"]),
        )


def rule_of(settings: VotingSettings) -> Rule:
    return Rule(
        VotingRule(
            quorum=Fraction(settings.quorum_numerator, settings.quorum_denominator),
            majority_of=settings.majority_of,
            chair_casting_vote=settings.chair_casting_vote,
            remote_participation=settings.remote_participation,
        ),
        settings.secret_ballot,
    )


def defaults(tenant_id: str) -> VotingSettings:
    """The A-20 defaults, as an unsaved row."""
    rule = VotingRule()
    return VotingSettings(
        tenant_id=tenant_id,
        quorum_numerator=rule.quorum.numerator,
        quorum_denominator=rule.quorum.denominator,
        majority_of=rule.majority_of,
        chair_casting_vote=rule.chair_casting_vote,
        remote_participation=rule.remote_participation,
        secret_ballot=False,
        updated_by="",
    )


async def current(session: AsyncSession, tenant_id: str) -> VotingSettings:
    """The region's settings, or the defaults when the administrator never changed them."""
    return await session.get(VotingSettings, tenant_id) or defaults(tenant_id)


async def current_rule(session: AsyncSession, tenant_id: str) -> Rule:
    return rule_of(await current(session, tenant_id))


async def save(session: AsyncSession, tenant_id: str, rule: Rule, *, actor: str) -> VotingSettings:
    """Store the region's new rule (audited with the old one); meetings already opened keep theirs."""
    row = await session.get(VotingSettings, tenant_id)
    before = rule_of(row).as_json() if row is not None else None
    if row is None:
        row = defaults(tenant_id)
        session.add(row)
    row.quorum_numerator = rule.voting.quorum.numerator
    row.quorum_denominator = rule.voting.quorum.denominator
    row.majority_of = rule.voting.majority_of
    row.chair_casting_vote = rule.voting.chair_casting_vote
    row.remote_participation = rule.voting.remote_participation
    row.secret_ballot = rule.secret_ballot
    row.updated_by, row.updated_at = actor, utcnow()
    await session.flush()
    await record(
        session,
        Change(
            "commission.voting_settings",
            "tenant",
            tenant_id,
            actor,
            tenant_id,
            clause=CLAUSE,
            before=before,
            after=rule.as_json(),
        ),
    )
    return row
