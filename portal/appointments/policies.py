"""Who decides a proposal, and what may happen to it in each state (rules.md 3.5, A-19, A-22). Pure.

The routing itself (cl. 15, 16, 17) is portal.rules.routing's; this module only says which
permission decides for each addressee and which steps each state allows.
"""

from portal.appointments.models import ProposalStatus
from portal.auth.policies import Permission
from portal.rules.routing import Addressee

S = ProposalStatus

#: Who decides for each addressee: the Agency (cl. 15, 17; A-34) or the post's territorial unit (cl. 16).
DECIDING_PERMISSION: dict[Addressee, Permission] = {
    Addressee.AGENCY: Permission.DECIDE_CL15_CL17_PROPOSAL,
    Addressee.TERRITORIAL_UNIT: Permission.DECIDE_CL16_PROPOSAL,
}

#: The appointing official's steps, by the state they start from.
MAY_ATTACH_SERVICE_RECORD = frozenset({S.AWAITING_MEMBER, S.DRAFT, S.RETURNED})
MAY_SUBMIT = frozenset({S.DRAFT, S.RETURNED})
MAY_WITHDRAW = frozenset({S.DRAFT, S.AWAITING_MEMBER, S.SUBMITTED, S.RETURNED, S.ACCEPTED})
#: The member answers only while asked; the reviewer decides only what is in the queue.
MAY_ANSWER = frozenset({S.AWAITING_MEMBER})
MAY_DECIDE = frozenset({S.SUBMITTED})
#: The act is uploaded once the addressee has accepted (cl. 17: consented), A-19.
MAY_RECORD_ACT = frozenset({S.ACCEPTED})


def may_submit(status: ProposalStatus, *, member_confirmed: bool, has_service_record: bool) -> bool:
    """cl. 15-16: filed with the member's application and the service record, from a draft or returned."""
    return status in MAY_SUBMIT and member_confirmed and has_service_record


def may_ask_again(status: ProposalStatus, *, member_declined: bool) -> bool:
    """rules.md 3.5: a member who declined may be asked again (the draft goes back to them)."""
    return status == S.DRAFT and member_declined


__all__ = [
    "DECIDING_PERMISSION",
    "MAY_ANSWER",
    "MAY_ATTACH_SERVICE_RECORD",
    "MAY_DECIDE",
    "MAY_RECORD_ACT",
    "MAY_SUBMIT",
    "MAY_WITHDRAW",
    "may_ask_again",
    "may_submit",
]
