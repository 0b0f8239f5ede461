"""Rate limits of the sign-in routes (issue 4 item 8): per client address and per browser session."""

from typing import Any

from litestar import Request
from litestar.exceptions import TooManyRequestsException

from portal.core.ratelimit import RateLimiter, client_address


async def login_rate_limited(request: Request[Any, Any, Any], step: str) -> None:
    """Raise 429 when this address or this session starts or completes sign-ins too often."""
    settings = request.app.state.settings
    store = request.app.stores.get("ratelimit")
    by_ip = RateLimiter(store, settings.login_rate_per_ip)
    address = client_address(request, settings.trusted_proxies)
    if not await by_ip.allow(f"login:{step}:ip:{address}"):
        raise TooManyRequestsException()
    session_id = request.cookies.get(request.app.state.session_config.key)
    if session_id and not await RateLimiter(store, settings.login_rate_per_session).allow(
        f"login:{step}:session:{session_id}"
    ):
        raise TooManyRequestsException()
