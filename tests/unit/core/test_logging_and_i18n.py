"""IIN masking in logs and language negotiation (issue 2, items 2 and 4)."""

import json
import logging

import pytest
import structlog

from portal.core.logging import configure_logging, mask_iin_processor, mask_iins_in_text
from portal.core.settings import Settings
from portal.i18n import from_accept_language, negotiate


def test_twelve_digit_runs_are_masked_in_text() -> None:
    assert mask_iins_in_text("iin=900515301234 ok") == "iin=9005******34 ok"
    assert mask_iins_in_text("1234567890123") == "1234567890123"  # 13 digits: not an IIN
    assert mask_iins_in_text("a900515301234b") == "a9005******34b"


def test_processor_masks_nested_fields_and_integers() -> None:
    event = mask_iin_processor(
        None, "info", {"event": "login 900515301234", "claims": {"iin": "850808310738"}, "n": 900515301234}
    )
    assert event == {"event": "login 9005******34", "claims": {"iin": "8508******38"}, "n": "9005******34"}


def test_json_log_lines_never_contain_a_whole_iin(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging(Settings(log_json=True, log_level="INFO"))
        structlog.get_logger("t").info("candidate 900515301234 applied", iin="061211600012")
        logging.getLogger("third.party").warning("raw %s", "850808310738")
    finally:
        # The handler wrote to capsys' stream, which closes after this test.
        root.handlers[:], root.level = saved_handlers, saved_level
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    text = json.dumps(lines)
    assert "900515301234" not in text and "061211600012" not in text and "850808310738" not in text
    assert "9005******34" in text and "0612******12" in text and "8508******38" in text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("en-US,en;q=0.9", "en"),
        ("de-DE,de;q=0.9,ru;q=0.5", "ru"),
        ("kk,ru;q=0.9", "kk"),
        ("en;q=0.1,ru;q=0.8", "ru"),
        ("de", None),
        ("", None),
        ("ru;q=abc", None),
    ],
)
def test_accept_language_quality_values(header: str, expected: str | None) -> None:
    assert from_accept_language(header) == expected


def test_negotiation_order_query_cookie_header_default() -> None:
    assert negotiate("en", "ru", "ru", "kk") == "en"
    assert negotiate(None, "ru", "en", "kk") == "ru"
    assert negotiate("xx", "yy", "en", "kk") == "en"
    assert negotiate(None, None, None, "kk") == "kk"
