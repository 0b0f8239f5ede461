"""structlog set-up owned by the portal (Litestar 3 drops its structlog plugin).

Every line carries the request id; every string in every line goes through the IIN mask, so a
12-digit number (an IIN) can never reach a log file whole, whichever library logged it.
"""

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

from portal.core.settings import Settings
from portal.rules.iin import mask_iin

_TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def mask_iins_in_text(text: str) -> str:
    """Mask every free-standing 12-digit run, valid IIN or not: a typo is personal data too."""
    return _TWELVE_DIGITS.sub(lambda m: mask_iin(m.group(0)), text)


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_iins_in_text(value)
    if isinstance(value, Mapping):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return type(value)(_mask(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) == 12:
        return mask_iin(str(value))
    return value


def mask_iin_processor(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: mask IINs in the event and in every field."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _mask(value)
    return event_dict


def configure_logging(settings: Settings) -> None:
    """Configure structlog and route the standard library's loggers (uvicorn, SQLAlchemy) through it."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
        mask_iin_processor,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.json_logs
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            # A line below the level is dropped before any work is done on it (the access log
            # costs nothing per request when the level is WARNING).
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    # uvicorn installs its own handlers; send its lines through ours. Access logs stay off:
    # our request middleware logs one line per request without query strings or bodies.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO if settings.db_echo else logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
