"""Identity Service namespace routes (``/data/core/idnamespace``): ``GET /identities`` (an array of namespaces,
standard and the sandbox's custom ones), ``GET /identities/{id}``, ``POST /identities`` (a custom namespace).
Rules in :mod:`aep_emulator.domain.identity`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.domain import identity
from aep_emulator.http.gateway import Endpoint, platform_routes
from aep_emulator.http.web import json_response, read_json
from aep_emulator.runtime import Emulator

BASE = "/data/core/idnamespace"


async def list_namespaces(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    return json_response(identity.namespaces(emu.store, ctx))


async def get_namespace(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    return json_response(identity.by_id(emu.store, ctx, request.path_params["id"]))


async def create_namespace(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    body = await read_json(request, identity.bad_request)
    doc = identity.new_namespace(emu.store, ctx, body)
    await emu.store.put(kinds.IDENTITY_NAMESPACES, ctx.org, ctx.sandbox, doc["code"], doc)
    return json_response(doc)


ENDPOINTS = [
    Endpoint("/identities", ("GET",), list_namespaces),
    Endpoint("/identities", ("POST",), create_namespace),
    Endpoint("/identities/{id}", ("GET",), get_namespace),
]


def routes(emu: Emulator) -> list[Route]:
    return platform_routes(emu, BASE, ENDPOINTS, service="identity")
