"""The running emulator's state, shared by every route: config, database, store, inlets (runs and compiled
mappers), the request log and the armed faults. Built once by :func:`aep_emulator.app.create_app`."""

from __future__ import annotations

from pathlib import Path

from aep_emulator.core import kinds
from aep_emulator.core.config import Config
from aep_emulator.core.db import Database
from aep_emulator.core.store import Store
from aep_emulator.domain import ims
from aep_emulator.domain.hooks import Faults, RequestLog
from aep_emulator.domain.inlet import Inlets

DB_FILE = "aep-emulator.sqlite3"


class Emulator:
    """Everything a request handler may need. ``data_dir=None`` keeps the state in memory."""

    def __init__(self, config: Config, data_dir: str | Path | None = None):
        self.config = config
        db_path = None
        if data_dir:
            Path(data_dir).mkdir(parents=True, exist_ok=True)
            db_path = Path(data_dir) / DB_FILE
        self.db = Database(db_path, config.synchronous)
        self.store = Store(self.db)
        self.inlets = Inlets(self.store, self.db)
        self.request_log = RequestLog()
        self.faults = Faults()
        ims.hash_plain_tokens(self.store)  # queued; committed once the writer starts
        self.db.start()

    @property
    def runs(self):
        return self.inlets.runs

    def base_url(self, request) -> str:
        """Public base URL (config/--public-url) or, when unset, the origin the client used (a Starlette request)."""
        if self.config.public_url:
            return self.config.public_url.rstrip("/")
        return f"{request.url.scheme}://{request.url.netloc}"

    async def reset(self) -> None:
        """``POST /_emulator/reset``: forget every object, record, run, runtime sandbox, fault, pending late
        commit and the request log; issued tokens stay valid."""
        self.request_log.clear()
        self.faults.clear()
        await self.inlets.clear()
        await self.store.clear(frozenset({kinds.TOKENS}))

    def close(self) -> None:
        self.faults.clear()
        self.db.close()
