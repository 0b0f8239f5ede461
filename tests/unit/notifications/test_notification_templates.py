"""E-mail templates: English source text, rendered in the recipient's language, subject on the first line."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir

from portal.notifications.templates import (
    EMAIL_TEMPLATE_DIR,
    TEMPLATES,
    TemplateError,
    mail_environment,
    render_email,
)

MOMENT = "2025-02-20T06:00:00+00:00"  # 11:00 in Astana
BASE = {
    "reference": "KZ-71-2026-000123",
    "selection_title": {"kk": "Бөлім басшысы", "ru": "Руководитель отдела", "en": "Head of department"},
    "region": {"kk": "Астана қаласы", "ru": "город Астана", "en": "Astana"},
    "tracker_url": "https://reserve.example.kz/me/applications",
}
CONTEXTS: dict[str, dict[str, Any]] = {
    "application_submitted": {**BASE, "submitted_at": MOMENT},
    "application_withdrawn": {**BASE, "withdrawn_at": MOMENT},
    "application_decision": {
        **BASE,
        "decision": "Refused admission to the interview",
        "reason": "The diploma was issued abroad and has not been recognised.",
        "clause": "13-3",
        "next_step": "You may appeal within one month.",
        "decided_at": MOMENT,
    },
    "reserve_notice": {
        "subject": "Appointment proposal accepted",
        "message": "The proposal to appoint you has been accepted.",
        "url": "https://reserve.example.kz/me/proposals",
        "post": "Head of the housing department",
        "region": BASE["region"],
        "clause": "16",
        "at": MOMENT,
    },
}


def test_every_template_has_a_context_and_a_file() -> None:
    assert set(TEMPLATES) == set(CONTEXTS)
    for name in TEMPLATES:
        assert (EMAIL_TEMPLATE_DIR / f"{name}.txt").is_file()


def test_submitted_in_english() -> None:
    mail = render_email("application_submitted", "en", CONTEXTS["application_submitted"])
    assert mail.subject == "Application KZ-71-2026-000123 received"
    assert mail.body.startswith(
        "Hello,\n\nYour application to the selection into the regional personnel reserve"
    )
    for line in (
        "Reference number: KZ-71-2026-000123",
        "Selection: Head of department",
        "Region: Astana",
        "Submitted: 20 February 2025, 11:00 (Astana time)",
        "https://reserve.example.kz/me/applications",
        "-- \nRegional Personnel Reserve Portal\n",
    ):
        assert line in mail.body
    assert mail.body.endswith("Please do not reply to it.\n")


def test_withdrawn_in_english() -> None:
    mail = render_email("application_withdrawn", "en", CONTEXTS["application_withdrawn"])
    assert mail.subject == "Application KZ-71-2026-000123 withdrawn"
    assert "Withdrawn: 20 February 2025, 11:00 (Astana time)" in mail.body
    assert "If you did not withdraw this application" in mail.body


def test_decision_with_reason_clause_and_next_step() -> None:
    mail = render_email("application_decision", "en", CONTEXTS["application_decision"])
    assert mail.subject == "Decision on application KZ-71-2026-000123"
    assert (
        "Decision: Refused admission to the interview\n"
        "Date of the decision: 20 February 2025, 11:00 (Astana time)\n"
        "Reason: The diploma was issued abroad and has not been recognised.\n"
        "Clause 13-3 of the Rules\n"
        "\n"
        "What happens next: You may appeal within one month.\n"
    ) in mail.body


def test_decision_without_the_optional_parts() -> None:
    context = {
        k: v
        for k, v in CONTEXTS["application_decision"].items()
        if k in TEMPLATES["application_decision"].required
    }
    mail = render_email("application_decision", "en", context)
    assert "Decision: Refused admission to the interview\n\nThe decision, its reason" in mail.body
    for absent in ("Reason:", "Clause", "What happens next", "Date of the decision"):
        assert absent not in mail.body


@pytest.mark.parametrize(
    ("language", "portal", "title", "when"),
    [
        ("ru", "Портал регионального кадрового резерва", "Руководитель отдела", "20 февраля 2025, 11:00"),
        ("kk", "Өңірлік кадр резерві порталы", "Бөлім басшысы", "20 ақпан 2025, 11:00"),
    ],
)
def test_the_language_is_carried_into_messages_names_and_dates(
    language: str, portal: str, title: str, when: str
) -> None:
    mail = render_email("application_submitted", language, CONTEXTS["application_submitted"])
    assert portal in mail.body  # a message of the catalogue, in the recipient's language
    assert title in mail.body and when in mail.body


def test_a_decision_label_is_translated_from_the_catalogue() -> None:
    context = {**CONTEXTS["application_decision"], "decision": "Access denied"}  # a message the catalogue has
    assert "Доступ запрещён" in render_email("application_decision", "ru", context).body


def test_missing_names_and_unknown_templates_are_refused() -> None:
    context = dict(CONTEXTS["application_submitted"])
    del context["tracker_url"], context["reference"]
    with pytest.raises(TemplateError, match="reference, tracker_url"):
        render_email("application_submitted", "en", context)
    for name in ("nope", "../base", "_footer"):
        with pytest.raises(TemplateError, match="unknown"):
            render_email(name, "en", {})
    with pytest.raises(TemplateError, match="language"):
        render_email("application_submitted", "de", CONTEXTS["application_submitted"])


def test_the_subject_is_one_line_whatever_a_title_holds() -> None:
    context = {**CONTEXTS["application_submitted"], "reference": "KZ-71\r\nBcc: x@example.kz"}
    mail = render_email("application_submitted", "en", context)
    assert "\n" not in mail.subject and "\r" not in mail.subject


def test_mail_is_plain_text_not_escaped() -> None:
    context = {**CONTEXTS["application_submitted"], "selection_title": "R&D <lead>"}
    assert "Selection: R&D <lead>" in render_email("application_submitted", "en", context).body


def test_a_date_may_be_a_datetime_or_iso_text() -> None:
    context = {**CONTEXTS["application_submitted"], "submitted_at": datetime(2025, 2, 20, 6, tzinfo=UTC)}
    assert "20 February 2025, 11:00" in render_email("application_submitted", "en", context).body


class _Recorder:
    """A catalogue that records every message looked up."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def gettext(self, message: str) -> str:
        self.seen.add(message)
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.seen.add(singular)
        return singular if n == 1 else plural


def _extracted() -> Iterator[str]:
    method_map = [("**.txt", "jinja2")]
    options = {"**.txt": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(EMAIL_TEMPLATE_DIR), method_map, options_map=options
    ):
        yield message if isinstance(message, str) else message[0]


def test_pybabel_extracts_every_message_the_templates_look_up() -> None:
    """With `trimmed = true` (babel.cfg) the extracted ids are those looked up at render time."""
    extracted = set(_extracted())
    recorder = _Recorder()
    env = mail_environment("en").overlay()
    env.install_gettext_translations(recorder, newstyle=True)  # type: ignore[attr-defined]
    for name, context in CONTEXTS.items():
        values = dict.fromkeys(TEMPLATES[name].optional) | context
        env.get_template(f"{name}.txt").render(values)
    dynamic = {CONTEXTS["application_decision"]["decision"], CONTEXTS["application_decision"]["next_step"]}
    assert {"Hello,", "Application %(reference)s received", "Clause %(clause)s of the Rules"} <= recorder.seen
    assert recorder.seen - dynamic <= extracted
    assert "Application %(reference)s received" in extracted
