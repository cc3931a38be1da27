"""IMS: ``POST /ims/token/v3`` (and the older ``/ims/token/v2``), client-credentials grant.

Tokens are ``emu-at-<random>`` kept in the store (kind ``_tokens``) so they survive a restart."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.routing import Route

from aep_emulator.errors import ims_error
from aep_emulator.web import json_response

if TYPE_CHECKING:
    from aep_emulator.app import Emulator

TOKEN_KIND = "_tokens"


def routes(emu: Emulator) -> list[Route]:
    async def token(request: Request):
        params = await _params(request)
        grant = _check_grant(emu, params)
        access_token = "emu-at-" + secrets.token_urlsafe(32)
        lifetime = emu.config.token_lifetime_seconds
        await emu.store.put(TOKEN_KIND, "", "", access_token, {
            "org": grant.id, "client_id": params["client_id"], "expires_at": time.time() + lifetime,
            "scope": params.get("scope", ""),
        })
        return json_response({"access_token": access_token, "token_type": "bearer", "expires_in": lifetime})

    return [Route("/ims/token/v3", token, methods=["POST"]), Route("/ims/token/v2", token, methods=["POST"])]


async def _params(request: Request) -> dict[str, str]:
    """Form body and query string (IMS accepts both; the body wins)."""
    params = dict(request.query_params)
    body = (await request.body()).decode("utf-8", "replace")
    params.update({k: v[0] for k, v in parse_qs(body).items()})
    return params


def _check_grant(emu: Emulator, params: dict[str, str]):
    if params.get("grant_type") != "client_credentials":
        raise ims_error(400, "unsupported_grant_type", "Only the client_credentials grant type is supported")
    client_id = params.get("client_id")
    if not client_id:
        raise ims_error(400, "invalid_request", "Missing client_id parameter")
    org = emu.config.org_of_client(client_id)
    if org is None:
        raise ims_error(400, "invalid_client", "invalid client_id parameter")
    if params.get("client_secret") != org.credentials[client_id]:
        raise ims_error(401, "invalid_client", "invalid client_secret parameter")
    return org
