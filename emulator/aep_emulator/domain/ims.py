"""IMS access tokens (client-credentials grant): issue, verify, and keep them only as hashes.

A token is ``emu-at-<43 url-safe chars>``; the store (kind ``_tokens``) and so the data directory hold only its
SHA-256 (hex) as the key and ``{org, client_id, expires_at, scope}`` as the document, never the token itself.
Tokens survive a restart (the hash is enough to verify them)."""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from aep_emulator.core import kinds
from aep_emulator.core.config import Config, OrgConfig
from aep_emulator.core.errors import ims_error
from aep_emulator.core.store import Store

TOKEN_PREFIX = "emu-at-"


def token_key(token: str) -> str:
    """The store key of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def check_grant(config: Config, params: dict[str, str]) -> OrgConfig:
    """The org of a valid client-credentials request (IMS's 400/401 bodies otherwise)."""
    if params.get("grant_type") != "client_credentials":
        raise ims_error(400, "unsupported_grant_type", "Only the client_credentials grant type is supported")
    client_id = params.get("client_id")
    if not client_id:
        raise ims_error(400, "invalid_request", "Missing client_id parameter")
    org = config.org_of_client(client_id)
    if org is None:
        raise ims_error(400, "invalid_client", "invalid client_id parameter")
    if params.get("client_secret") != org.credentials[client_id]:
        raise ims_error(401, "invalid_client", "invalid client_secret parameter")
    return org


def issue(store: Store, org: OrgConfig, client_id: str, scope: str, lifetime: int) -> tuple[str, Any]:
    """A new token and the awaitable of its commit (only the hash is stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    grant = {"org": org.id, "client_id": client_id, "expires_at": time.time() + lifetime, "scope": scope}
    return token, store.put(kinds.TOKENS, "", "", token_key(token), grant)


def grant_of(store: Store, token: str) -> dict | None:
    """``{org, client_id, expires_at, scope}`` of a valid, unexpired token, else None."""
    if not token:
        return None
    grant = store.get(kinds.TOKENS, "", "", token_key(token))
    if grant is None or grant["expires_at"] <= time.time():
        return None
    return grant


def hash_plain_tokens(store: Store) -> Any:
    """Re-key tokens a data directory of version 0.1 stored in plain text; returns the commit awaitable or None."""
    plain = [(key, doc) for key, doc in store.items(kinds.TOKENS, "", "") if key.startswith(TOKEN_PREFIX)]
    if not plain:
        return None
    for key, doc in plain:
        store.put(kinds.TOKENS, "", "", token_key(key), doc)
    return store.delete_many(kinds.TOKENS, "", "", [key for key, _token in plain])
