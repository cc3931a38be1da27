"""The platform.adobe.io gateway: token, API key, org, sandbox and Content-Type checks.

Use :func:`platform_route` to declare a platform endpoint; the endpoint gets ``(request, ctx)`` with a
:class:`RequestContext` once every check passed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator import sandboxes
from aep_emulator.errors import ApiError, flow_error, gateway_error, generic_error

if TYPE_CHECKING:
    from aep_emulator.app import Emulator

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class RequestContext:
    org: str
    client_id: str
    tenant: str
    sandbox: str  # sandbox name; "" for services that take none (sandbox management)
    sandbox_id: str
    sandbox_type: str

    @property
    def user(self) -> str:
        """What AEP puts in createdBy/updatedBy for a technical account."""
        return f"{self.client_id}@AdobeID"


Endpoint = Callable[[Request, RequestContext], Awaitable[Response]]


def platform_route(emu: Emulator, path: str, endpoint: Endpoint, methods: list[str], service: str,
                   needs_sandbox: bool = True) -> Route:
    """A Starlette route whose endpoint runs after the gateway checks.

    ``service`` picks the sandbox error style: ``"flowservice"`` uses FLOW codes, others the generic body."""

    async def handle(request: Request) -> Response:
        ctx = authorize(emu, request, service, needs_sandbox)
        return await endpoint(request, ctx)

    return Route(path, handle, methods=methods)


def authorize(emu: Emulator, request: Request, service: str, needs_sandbox: bool = True) -> RequestContext:
    headers = request.headers
    token = _bearer_token(headers.get("authorization"))
    grant = emu.store.get("_tokens", "", "", token)
    if grant is None or grant["expires_at"] <= time.time():
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
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _sandbox(emu: Emulator, org_id: str, name: str | None, service: str) -> dict:
    if not name:
        raise _sandbox_missing(service)
    sandbox = sandboxes.find(emu, org_id, name)
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
