"""Application factory: the emulator state, every service's routes, error rendering and the middleware.

Layers (imports run downwards only; ``tests/emulator/test_architecture.py`` enforces it with import-linter):
``cli`` → ``app`` → ``routes`` → ``http`` → ``runtime`` → ``domain`` → ``core``. See emulator/README.md."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request

from aep_emulator.core.config import Config, load_config
from aep_emulator.core.errors import ApiError, generic_error
from aep_emulator.http.middleware import ApiMiddleware
from aep_emulator.http.web import json_response
from aep_emulator.routes import all_routes
from aep_emulator.runtime import Emulator

log = logging.getLogger("aep_emulator")


async def _api_error(request: Request, exc: ApiError):
    return json_response(exc.body, exc.status, exc.headers)


async def _http_error(request: Request, exc: HTTPException):
    return json_response(generic_error(exc.status_code, str(exc.detail)).body, exc.status_code)


async def _unexpected(request: Request, exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return json_response(generic_error(500, f"Internal error: {exc}").body, 500)


def create_app(config: Config | None = None, data_dir: str | Path | None = None) -> ApiMiddleware:
    """The ASGI app: the Starlette app wrapped in the fault/request-log middleware.

    The emulator state is ``app.emulator``. (The wrapper is outermost so a fault can drop the
    connection, which needs the ASGI return value to reach the server.)"""
    emu = Emulator(config or load_config(), data_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        emu.close()

    app = Starlette(
        routes=all_routes(emu),
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _unexpected},
        lifespan=lifespan,
    )
    wrapped = ApiMiddleware(app, emu.request_log, emu.faults)
    wrapped.emulator = emu
    return wrapped
