"""Fixed-window rate limits on the sign-in routes, per client address and per browser session.

The client address is the socket's peer, unless that peer is a configured trusted proxy: only
then does X-Forwarded-For count, read from the right (CVE-2025-59152 is the lesson).
"""

import time
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any

from litestar.connection import ASGIConnection
from litestar.stores.base import Store


def client_address(connection: ASGIConnection[Any, Any, Any, Any], trusted_proxies: tuple[str, ...]) -> str:
    peer = connection.client.host if connection.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    hops = [h.strip() for h in connection.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted_proxies:
            try:
                return str(ip_address(hop))
            except ValueError:
                return peer
    return peer


@dataclass(frozen=True, slots=True)
class RateLimiter:
    store: Store
    limit: int
    window_seconds: int = 60

    async def allow(self, key: str) -> bool:
        """Count one hit for the key in the current window; False once the limit is passed."""
        window = int(time.time() // self.window_seconds)
        bucket = f"{key}:{window}"
        raw = await self.store.get(bucket)
        hits = int(raw or 0) + 1
        await self.store.set(bucket, str(hits), expires_in=self.window_seconds)
        return hits <= self.limit
