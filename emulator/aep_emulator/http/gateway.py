"""The platform.adobe.io gateway: token, API key, org, sandbox and Content-Type checks.

A platform endpoint is a plain async function ``endpoint(emu, request, ctx) -> Response`` declared with
:class:`Endpoint` and turned into a Starlette route by :func:`platform_routes`; it runs only once every check
passed, with a :class:`~aep_emulator.core.context.RequestContext`. Public endpoints (IMS, the inlet, test
hooks) are ``endpoint(emu, request)`` declared with :func:`public_routes`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core.context import RequestContext
from aep_emulator.core.errors import ApiError, flow_error, gateway_error, generic_error
from aep_emulator.domain import ims, sandboxes
from aep_emulator.runtime import Emulator

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})

PlatformHandler = Callable[[Emulator, Request, RequestContext], Awaitable[Response]]
PublicHandler = Callable[[Emulator, Request], Awaitable[Response]]


@dataclass(frozen=True)
class Endpoint:
    """``methods`` on ``path`` (relative to the service's base path) are answered by ``handler``."""

    path: str
    methods: tuple[str, ...]
    handler: Callable


def _by_path(endpoints: list[Endpoint]) -> dict[str, dict[str, Callable]]:
    """path -> {method: handler}, in the order the paths first appear (one Starlette route per path keeps
    routing cheap: the router tries routes one by one)."""
    table: dict[str, dict[str, Callable]] = {}
    for endpoint in endpoints:
        handlers = table.setdefault(endpoint.path, {})
        for method in endpoint.methods:
            if method in handlers:
                raise ValueError(f"{method} {endpoint.path} is declared twice")
            handlers[method] = endpoint.handler
    for handlers in table.values():
        if "GET" in handlers:
            handlers.setdefault("HEAD", handlers["GET"])  # Starlette answers HEAD wherever GET is allowed
    return table


def platform_routes(emu: Emulator, base: str, endpoints: list[Endpoint], service: str,
                    needs_sandbox: bool = True) -> list[Route]:
    """Starlette routes for a platform service's endpoints (gateway checks first).

    ``service`` picks the sandbox error style: ``"flowservice"`` uses FLOW codes, others the generic body."""
    routes = []
    for path, handlers in _by_path(endpoints).items():
        async def handle(request: Request, handlers=handlers) -> Response:
            ctx = authorize(emu, request, service, needs_sandbox)
            return await handlers[request.method](emu, request, ctx)
        routes.append(Route(base + path, handle, methods=list(handlers)))
    return routes


def platform_route(emu: Emulator, path: str, handler: PlatformHandler, methods: list[str], service: str,
                   needs_sandbox: bool = True) -> Route:
    async def handle(request: Request) -> Response:
        ctx = authorize(emu, request, service, needs_sandbox)
        return await handler(emu, request, ctx)

    handle.__name__ = getattr(handler, "__name__", "endpoint")
    return Route(path, handle, methods=methods)


def public_routes(emu: Emulator, base: str, endpoints: list[Endpoint]) -> list[Route]:
    """Starlette routes for endpoints that take no platform credentials."""
    routes = []
    for path, handlers in _by_path(endpoints).items():
        async def handle(request: Request, handlers=handlers) -> Response:
            return await handlers[request.method](emu, request)
        routes.append(Route(base + path, handle, methods=list(handlers)))
    return routes


def authorize(emu: Emulator, request: Request, service: str, needs_sandbox: bool = True) -> RequestContext:
    """The request context once the gateway checks passed, in AEP's order (see emulator/README.md)."""
    headers = request.headers
    token = _bearer_token(headers.get("authorization"))
    grant = ims.grant_of(emu.store, token)
    if grant is None:
        raise gateway_error(401, "401013", "Oauth token is not valid")
    api_key = headers.get("x-api-key")
    if not api_key:
        raise gateway_error(403, "403000", "Api Key is required")
    if api_key != grant["client_id"]:
        raise gateway_error(403, "403003", "Api Key is invalid")
    org_id = headers.get("x-gw-ims-org-id")
    if not org_id:
        raise gateway_error(400, "400003", "Missing header")
    if org_id != grant["org"]:
        raise gateway_error(403, "403025", "Profile is not valid")
    sandbox = _sandbox(emu, org_id, headers.get("x-sandbox-name"), service) if needs_sandbox else None
    _check_content_type(request)
    return RequestContext(
        org=org_id, client_id=grant["client_id"], tenant=emu.config.org(org_id).tenant,
        sandbox=sandbox["name"] if sandbox else "", sandbox_id=sandbox["id"] if sandbox else "",
        sandbox_type=sandbox["type"] if sandbox else "",
    )


def _bearer_token(value: str | None) -> str:
    if not value:
        raise gateway_error(403, "403010", "Oauth token is missing.")
    scheme, _sep, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _sandbox(emu: Emulator, org_id: str, name: str | None, service: str) -> dict:
    if not name:
        raise _sandbox_missing(service)
    sandbox = sandboxes.find(emu.config, emu.store, org_id, name)
    if sandbox is None:
        raise _sandbox_unknown(service, name)
    return sandbox


def _sandbox_missing(service: str) -> ApiError:
    message = "Header x-sandbox-name is missing in the request."
    if service == "flowservice":
        return flow_error("2105-400", message)
    return generic_error(400, message)


def _sandbox_unknown(service: str, name: str) -> ApiError:
    message = f"Sandbox {name} not found."
    if service == "flowservice":
        return flow_error("2100-404", message, sandboxName=name)
    return generic_error(404, message)


def _check_content_type(request: Request) -> None:
    if request.method not in WRITE_METHODS:
        return
    if request.headers.get("content-length", "0") == "0" and "transfer-encoding" not in request.headers:
        return  # body-less actions such as POST /flows/{id}/action?op=enable
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (media_type == "application/json" or media_type.endswith("+json")):
        raise generic_error(400, "A valid content-type must be specified", title="BadRequestError")
