"""SQLite persistence with a single writer thread doing group commit.

Every write (and the rare read) goes through one queue. The writer thread takes everything queued,
runs it in one transaction, commits, then resolves the waiting futures in one hop per event loop.
Awaiting the future returned by :meth:`Database.submit` therefore means "committed"."""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import sqlite3
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL, org TEXT NOT NULL, sandbox TEXT NOT NULL, id TEXT NOT NULL,
    seq INTEGER NOT NULL, doc BLOB NOT NULL,
    PRIMARY KEY (kind, org, sandbox, id));
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    org TEXT NOT NULL, sandbox TEXT NOT NULL, flow_id TEXT NOT NULL, dataset_id TEXT NOT NULL,
    received_ms INTEGER NOT NULL, ok INTEGER NOT NULL, input_bytes INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS events_dataset ON events (org, sandbox, dataset_id, ok);
"""

MAX_BATCH = 4096
_STOP = object()

Statement = tuple[str, tuple]


class Database:
    """One SQLite connection owned by a writer thread. ``path=None`` keeps the database in memory."""

    def __init__(self, path: str | Path | None, synchronous: str = "NORMAL"):
        target = str(path) if path else ":memory:"
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(f"PRAGMA synchronous={synchronous}")
        self._conn.executescript(SCHEMA)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="aep-emulator-db", daemon=True)
        self._started = False

    def query_now(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Synchronous read, only before :meth:`start` (startup loading)."""
        assert not self._started, "use submit() once the writer runs"
        return self._conn.execute(sql, params).fetchall()

    def start(self) -> None:
        self._started = True
        self._thread.start()

    def close(self) -> None:
        if self._started:
            self._queue.put(_STOP)
            self._thread.join()
        self._conn.close()

    def submit(self, statements: Iterable[Statement], read: Statement | None = None):
        """Queue statements (and optionally one read run after them) for the next group commit.

        Returns an asyncio future (inside an event loop) or a concurrent future, resolved after COMMIT
        with the rows of ``read`` (or None)."""
        try:
            loop = asyncio.get_running_loop()
            future: Any = loop.create_future()
        except RuntimeError:
            loop, future = None, concurrent.futures.Future()
        self._queue.put((list(statements), read, future, loop))
        return future

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            stop = self._drain(batch)
            self._commit(batch)
            if stop:
                return

    def _drain(self, batch: list) -> bool:
        while len(batch) < MAX_BATCH:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return False
            if item is _STOP:
                return True
            batch.append(item)
        return False

    def _commit(self, batch: list) -> None:
        results: list = []
        error: BaseException | None = None
        conn = self._conn
        try:
            conn.execute("BEGIN")
            for statements, read, _future, _loop in batch:
                for sql, params in statements:
                    conn.execute(sql, params)
                results.append(conn.execute(*read).fetchall() if read else None)
            conn.execute("COMMIT")
        except BaseException as exc:  # noqa: BLE001 - every waiter must learn about the failure
            error = exc
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        self._settle(batch, results, error)

    @staticmethod
    def _settle(batch: list, results: list, error: BaseException | None) -> None:
        per_loop: dict[Any, list] = defaultdict(list)
        for index, (_s, _r, future, loop) in enumerate(batch):
            result = None if error else results[index]
            if loop is None:
                _resolve(future, result, error)
            else:
                per_loop[loop].append((future, result))
        for loop, pairs in per_loop.items():
            if not loop.is_closed():
                loop.call_soon_threadsafe(_resolve_all, pairs, error)


def _resolve(future, result, error) -> None:
    if future.done():  # cancelled: the client went away
        return
    if error:
        future.set_exception(error)
    else:
        future.set_result(result)


def _resolve_all(pairs: list, error: BaseException | None) -> None:
    for future, result in pairs:
        _resolve(future, result, error)
