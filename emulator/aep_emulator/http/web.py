"""Small HTTP helpers shared by every service module."""

from __future__ import annotations

from typing import Any, Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response

from aep_emulator.core.errors import ApiError


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, headers=headers, media_type="application/json")


def empty_response(status: int = 204) -> Response:
    return Response(status_code=status)


async def read_json(request: Request, error: Callable[[str], ApiError], allow_empty: bool = False) -> Any:
    """Parse the body as JSON; ``error(message)`` builds the service's error for an empty/invalid body."""
    raw = await request.body()
    if not raw.strip():
        if allow_empty:
            return None
        raise error("Request body is empty")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise error(f"Request body is not valid JSON: {exc}") from None
