"""The commission's forms: a term in the composition, its end, the voting settings, a meeting."""

from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from portal.commission.composition import NewTerm
from portal.commission.models import Position
from portal.commission.settings import QUORUM_CHOICES, Rule
from portal.core.forms import Form
from portal.i18n import gettext as _
from portal.rules.iin import InvalidIin, parse_iin
from portal.rules.voting import MajorityBase, Vote, VotingRule

TERM_FIELDS = ("iin", "iin_confirm", "full_name", "post", "position", "term_from", "term_to")
END_FIELDS = ("ended_on", "reason")
SETTINGS_FIELDS = ("quorum", "majority_of", "chair_casting_vote", "remote_participation", "secret_ballot")
MEETING_FIELDS = ("scheduled_at", "place")


def read_term(data: Mapping[str, Any], today: date) -> tuple[Form, NewTerm | None]:
    form = Form.of(data, TERM_FIELDS)
    iin = form.get("iin")
    try:
        parse_iin(iin, today=today)
    except InvalidIin:
        form.error("iin", _("Enter a valid 12-digit IIN."))
    if "iin" not in form.errors and form.get("iin_confirm") != iin:
        form.error("iin_confirm", _("The two IINs do not match. Type the IIN again."))
    full_name = form.text("full_name", max_length=300)
    post = form.text("post", required=False, max_length=300)
    position = form.choice("position", [p.value for p in Position])
    term_from = form.day("term_from")
    term_to = form.day("term_to", required=False)
    if term_from is not None and term_to is not None and term_to < term_from:
        form.error("term_to", _("The end of the term cannot be before its start."))
    if not form.valid or term_from is None:
        return form, None
    return form, NewTerm(iin, full_name, post, Position(position), term_from, term_to)


def read_end(data: Mapping[str, Any]) -> tuple[Form, date | None, str]:
    form = Form.of(data, END_FIELDS)
    ended_on = form.day("ended_on")
    reason = form.text("reason", max_length=2000)
    return form, ended_on, reason


def settings_form(rule: Rule) -> Form:
    quorum = rule.voting.quorum
    return Form(
        {
            "quorum": f"{quorum.numerator}/{quorum.denominator}",
            "majority_of": rule.voting.majority_of.value,
            "chair_casting_vote": "on" if rule.voting.chair_casting_vote else "",
            "remote_participation": "on" if rule.voting.remote_participation else "",
            "secret_ballot": "on" if rule.secret_ballot else "",
        }
    )


def read_settings(data: Mapping[str, Any]) -> tuple[Form, Rule | None]:
    form = Form.of(data, SETTINGS_FIELDS)
    quorum = form.choice("quorum", QUORUM_CHOICES)
    majority = form.choice("majority_of", [m.value for m in MajorityBase])
    if not form.valid:
        return form, None
    rule = VotingRule(
        quorum=Fraction(quorum),
        majority_of=MajorityBase(majority),
        chair_casting_vote=bool(form.get("chair_casting_vote")),
        remote_participation=bool(form.get("remote_participation")),
    )
    return form, Rule(rule, bool(form.get("secret_ballot")))


def read_moment(form: Form, name: str, zone: ZoneInfo) -> datetime | None:
    """A `datetime-local` field ("2025-06-02T10:00") read as a time in the portal's time zone."""
    value = form.get(name)
    if not value:
        form.error(name, _("Enter the date and time."))
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=zone)
    except ValueError:
        form.error(name, _("Enter the date and time as YYYY-MM-DD HH:MM."))
        return None


def read_meeting(data: Mapping[str, Any], zone: ZoneInfo) -> tuple[Form, datetime | None, str]:
    form = Form.of(data, MEETING_FIELDS)
    scheduled_at = read_moment(form, "scheduled_at", zone)
    place = form.text("place", max_length=300)
    return form, scheduled_at, place


def read_choice(data: Mapping[str, Any]) -> Vote | None:
    value = str(data.get("choice", ""))
    return Vote(value) if value in {v.value for v in Vote} else None
