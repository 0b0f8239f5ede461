"""The one guard of the application: every route declares in its `opt` who may call it.

`opt=PUBLIC` opens a route to everyone; `opt=requires(Permission.X)` asks portal.auth.policies.
A route that declares neither is refused (fail closed), and the matrix test names it.
"""

from typing import Any

import structlog
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from portal.auth.policies import Permission, Principal, can
from portal.core.access import PERMISSION_KEY, PUBLIC_KEY

_security_log = structlog.get_logger("portal.security")


def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    principal: Principal | None = connection.scope.get("user")
    return principal


def signed_in(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The principal of a route the guard has already let through (never a public one)."""
    principal = current_principal(connection)
    if principal is None:
        raise NotAuthorizedException()
    return principal


def authorize(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    if handler.opt.get(PUBLIC_KEY):
        return
    permission: Permission | None = handler.opt.get(PERMISSION_KEY)
    if permission is None:
        _security_log.error(
            "route without a declared permission", route=handler.name, path=connection.url.path
        )
        raise PermissionDeniedException()
    principal = current_principal(connection)
    if principal is None:
        raise NotAuthorizedException()
    tenant_id = None
    if slug := connection.path_params.get("tenant_slug"):
        tenant = connection.app.state.registry.by_slug(slug)
        if tenant is None:
            raise NotFoundException()
        tenant_id = tenant.code
    if not can(principal, permission, tenant_id):
        _security_log.warning(
            "authorization denied",
            user=str(principal.user_id),
            permission=permission,
            tenant=tenant_id,
            path=connection.url.path,
        )
        raise PermissionDeniedException()
