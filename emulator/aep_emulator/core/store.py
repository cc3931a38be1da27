"""Generic document store: JSON documents keyed by (kind, org, sandbox, id); kinds are in :mod:`kinds`.

The working set lives in dicts (fast reads, creation order kept); writes go through to SQLite via the
group-commit writer. ``put``/``delete`` change memory at once and return an awaitable that completes
once the change is committed: ``await store.put(...)`` before answering a request that must be durable."""

from __future__ import annotations

from typing import Any

import orjson

from aep_emulator.core.db import Database

Key = tuple[str, str, str]


class Store:
    def __init__(self, db: Database):
        self._db = db
        self._docs: dict[Key, dict[str, dict]] = {}
        self._seq = 0
        self._load()

    def _load(self) -> None:
        rows = self._db.query_now("SELECT kind, org, sandbox, id, seq, doc FROM docs ORDER BY seq")
        for kind, org, sandbox, id_, seq, doc in rows:
            self._docs.setdefault((kind, org, sandbox), {})[id_] = orjson.loads(doc)
            self._seq = max(self._seq, seq)

    def get(self, kind: str, org: str, sandbox: str, id: str) -> dict | None:
        """The stored document (treat as read-only: put a new dict to change it) or None."""
        return self._docs.get((kind, org, sandbox), {}).get(id)

    def list(self, kind: str, org: str, sandbox: str) -> list[dict]:
        """Documents of a kind in creation order (a replaced document keeps its place)."""
        return list(self._docs.get((kind, org, sandbox), {}).values())

    def items(self, kind: str, org: str, sandbox: str) -> list[tuple[str, dict]]:
        """(id, document) pairs of a kind in creation order."""
        return list(self._docs.get((kind, org, sandbox), {}).items())

    def put(self, kind: str, org: str, sandbox: str, id: str, doc: dict) -> Any:
        """Insert or replace; returns an awaitable resolved after commit."""
        bucket = self._docs.setdefault((kind, org, sandbox), {})
        bucket[id] = doc
        self._seq += 1
        return self._db.submit([(
            "INSERT INTO docs (kind, org, sandbox, id, seq, doc) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, org, sandbox, id) DO UPDATE SET doc = excluded.doc",
            (kind, org, sandbox, id, self._seq, orjson.dumps(doc)),
        )])

    def delete(self, kind: str, org: str, sandbox: str, id: str) -> Any:
        """Remove (no error when absent); returns an awaitable resolved after commit."""
        self._docs.get((kind, org, sandbox), {}).pop(id, None)
        return self._db.submit([
            ("DELETE FROM docs WHERE kind = ? AND org = ? AND sandbox = ? AND id = ?", (kind, org, sandbox, id)),
        ])

    def delete_many(self, kind: str, org: str, sandbox: str, ids: list[str]) -> Any:
        """Remove several documents in one commit; returns an awaitable resolved after commit."""
        bucket = self._docs.get((kind, org, sandbox), {})
        for id_ in ids:
            bucket.pop(id_, None)
        return self._db.submit([
            ("DELETE FROM docs WHERE kind = ? AND org = ? AND sandbox = ? AND id = ?", (kind, org, sandbox, id_))
            for id_ in ids])

    def clear(self, keep_kinds: frozenset[str] = frozenset()) -> Any:
        """Drop every document except those of ``keep_kinds`` (used by /_emulator/reset)."""
        for key in [k for k in self._docs if k[0] not in keep_kinds]:
            del self._docs[key]
        placeholders = ",".join("?" * len(keep_kinds)) or "''"
        return self._db.submit([(f"DELETE FROM docs WHERE kind NOT IN ({placeholders})", tuple(keep_kinds))])
