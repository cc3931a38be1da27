"""IMS: ``POST /ims/token/v3`` (and the older ``/ims/token/v2``), client-credentials grant.

Tokens are ``emu-at-<random>``; only their hash is stored (:mod:`aep_emulator.domain.ims`)."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.domain import ims
from aep_emulator.http.gateway import Endpoint, public_routes
from aep_emulator.http.web import json_response
from aep_emulator.runtime import Emulator


async def token(emu: Emulator, request: Request) -> Response:
    params = await _params(request)
    org = ims.check_grant(emu.config, params)
    lifetime = emu.config.token_lifetime_seconds
    access_token, committed = ims.issue(emu.store, org, params["client_id"], params.get("scope", ""), lifetime)
    await committed
    return json_response({"access_token": access_token, "token_type": "bearer", "expires_in": lifetime})


async def _params(request: Request) -> dict[str, str]:
    """Form body and query string (IMS accepts both; the body wins)."""
    params = dict(request.query_params)
    body = (await request.body()).decode("utf-8", "replace")
    params.update({k: v[0] for k, v in parse_qs(body).items()})
    return params


ENDPOINTS = [Endpoint("/token/v3", ("POST",), token), Endpoint("/token/v2", ("POST",), token)]


def routes(emu: Emulator) -> list[Route]:
    return public_routes(emu, "/ims", ENDPOINTS)
