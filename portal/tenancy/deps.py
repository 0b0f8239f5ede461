"""Which region a request is about: from the /{tenant_slug}/ path prefix (or a tenant's host)."""

from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from portal.tenancy.registry import TenantConfig, TenantRegistry


class TenantAliasRedirect(Exception):  # noqa: N818 - a control-flow signal, not an error
    """A transliteration alias (/jambyl/) was used: send the reader to the canonical slug (/zhambyl/)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def registry_of(request: Request[Any, Any, Any]) -> TenantRegistry:
    registry: TenantRegistry = request.app.state.registry
    return registry


async def provide_tenant(request: Request[Any, Any, Any], tenant_slug: FromPath[str]) -> TenantConfig:
    registry = registry_of(request)
    tenant = registry.by_slug(tenant_slug)
    if tenant is not None:
        return tenant
    alias = registry.by_alias(tenant_slug.lower())
    if alias is not None:
        rest = request.url.path.removeprefix(f"/{tenant_slug}")
        query = f"?{request.url.query}" if request.url.query else ""
        raise TenantAliasRedirect(f"/{alias.slug}{rest or '/'}{query}")
    raise NotFoundException()


def alias_redirect_handler(_: Request[Any, Any, Any], exc: TenantAliasRedirect) -> Redirect:
    return Redirect(exc.location, status_code=301)
