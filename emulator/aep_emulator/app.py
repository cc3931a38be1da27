"""Application factory and the emulator context shared by every service module.

A service module exposes ``routes(emu) -> list[Route]``; :data:`SERVICE_MODULES` lists them."""

from __future__ import annotations

import contextlib
import importlib
import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request

from aep_emulator.config import Config, load_config
from aep_emulator.db import Database
from aep_emulator.errors import ApiError, generic_error
from aep_emulator.inlet import MapperCache
from aep_emulator.middleware import ApiMiddleware, Faults, RequestLog
from aep_emulator.runs import Runs
from aep_emulator.store import Store
from aep_emulator.web import json_response

DB_FILE = "aep-emulator.sqlite3"
SERVICE_MODULES = ["ims", "sandboxes", "flowservice", "catalog", "inlet", "hooks"]
OPTIONAL_MODULES = ["schemaregistry", "dataprep"]  # built separately; absent modules are skipped

log = logging.getLogger("aep_emulator")


class Emulator:
    """Everything a request handler may need: config, store, database, flow runs, compiled mappers,
    request log, faults."""

    def __init__(self, config: Config, data_dir: str | Path | None = None):
        self.config = config
        db_path = None
        if data_dir:
            Path(data_dir).mkdir(parents=True, exist_ok=True)
            db_path = Path(data_dir) / DB_FILE
        self.db = Database(db_path, config.synchronous)
        self.store = Store(self.db)
        self.runs = Runs(self.db)
        self.mappers = MapperCache(self.store)
        self.request_log = RequestLog()
        self.faults = Faults()
        self.db.start()

    def base_url(self, request: Request) -> str:
        """Public base URL (config/--public-url) or, when unset, the origin the client used."""
        if self.config.public_url:
            return self.config.public_url.rstrip("/")
        return f"{request.url.scheme}://{request.url.netloc}"

    async def reset_data(self, keep_kinds: frozenset[str]) -> None:
        """Forget every object (and inlet record) except documents of ``keep_kinds``."""
        self.runs.clear()
        self.mappers.clear()
        await self.store.clear(keep_kinds)
        await self.db.submit([("DELETE FROM events", ())])

    def close(self) -> None:
        self.db.close()


def _service_routes(emu: Emulator) -> list:
    routes = []
    for name in SERVICE_MODULES + OPTIONAL_MODULES:
        try:
            module = importlib.import_module(f"aep_emulator.{name}")
        except ModuleNotFoundError as exc:
            if name in OPTIONAL_MODULES and exc.name == f"aep_emulator.{name}":
                log.warning("service module %s not available, its routes are not served", name)
                continue
            raise
        routes.extend(module.routes(emu))
    return routes


async def _api_error(request: Request, exc: ApiError):
    return json_response(exc.body, exc.status, exc.headers)


async def _http_error(request: Request, exc: HTTPException):
    return json_response(generic_error(exc.status_code, str(exc.detail)).body, exc.status_code)


async def _unexpected(request: Request, exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return json_response(generic_error(500, f"Internal error: {exc}").body, 500)


def create_app(config: Config | None = None, data_dir: str | Path | None = None) -> ApiMiddleware:
    """The ASGI app: the Starlette app wrapped in the fault/request-log middleware.

    The emulator context is ``app.emulator``. (The wrapper is outermost so a fault can drop the
    connection, which needs the ASGI return value to reach the server.)"""
    emu = Emulator(config or load_config(), data_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        emu.close()

    app = Starlette(
        routes=_service_routes(emu),
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _unexpected},
        lifespan=lifespan,
    )
    wrapped = ApiMiddleware(app, emu.request_log, emu.faults)
    wrapped.emulator = emu
    return wrapped
