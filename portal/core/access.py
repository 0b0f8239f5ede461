"""How a route declares who may call it, in its `opt` (read by portal.auth.guards.authorize)."""

from enum import StrEnum
from typing import Any, Final

PUBLIC_KEY: Final = "public"
PERMISSION_KEY: Final = "permission"
#: Open to everyone, signed in or not.
PUBLIC: Final[dict[str, Any]] = {PUBLIC_KEY: True}


def requires(permission: StrEnum) -> dict[str, Any]:
    """Only for a signed-in person holding the permission (in the route's region, if it has one)."""
    return {PERMISSION_KEY: permission}
