"""The emulator's own test features behind ``/_emulator/``: the request log and injected faults.

Not AEP: these are what tests use to observe and disturb the emulator. The HTTP side is
:mod:`aep_emulator.routes.hooks` (the hooks) and :mod:`aep_emulator.http.middleware` (applying them)."""

from __future__ import annotations

import asyncio
import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aep_emulator.core.errors import generic_error

LOG_LIMIT = 200_000
FAULT_STATUSES = (429, 500, 503)


class RequestLog:
    """Every AEP API request (method, path, status, ``x-sandbox-name``), newest last, capped at LOG_LIMIT."""

    def __init__(self) -> None:
        self._entries: deque[dict] = deque(maxlen=LOG_LIMIT)

    def add(self, method: str, path: str, status: int, sandbox: str | None) -> None:
        self._entries.append({"method": method, "path": path, "status": status, "sandbox": sandbox})

    def snapshot(self) -> list[dict]:
        return list(self._entries)

    def clear(self) -> None:
        self._entries.clear()


@dataclass
class Fault:
    """One armed fault; see :class:`FaultSpec` for the meaning of each field."""

    method: str
    path: re.Pattern
    remaining: int
    status: int | None = None
    retry_after: int | None = None
    latency_ms: int = 0
    drop_after_commit: bool = False
    commit_delay_ms: int | None = None

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and self.method in ("*", method) and self.path.search(path) is not None

    def describe(self) -> dict:
        return {"method": self.method, "path": self.path.pattern, "count": self.remaining, "status": self.status,
                "retry_after": self.retry_after, "latency_ms": self.latency_ms,
                "drop_after_commit": self.drop_after_commit, "commit_delay_ms": self.commit_delay_ms}


class Faults:
    """Armed faults (first match wins, each used ``count`` times) and the late commits still pending."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._pending: set[asyncio.Task] = set()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed fault matching the request, with its remaining count decremented."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    self._faults = [f for f in self._faults if f.remaining > 0]
                    return fault
        return None

    def active(self) -> list[dict]:
        return [f.describe() for f in self._faults]

    def track(self, task: asyncio.Task) -> None:
        """Keep a late commit (``commit_delay_ms``) until it ran, so :meth:`clear` can cancel it."""
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def clear(self) -> None:
        """Disarm every fault and cancel the late commits that have not run yet."""
        with self._lock:
            self._faults = []
        for task in list(self._pending):
            task.cancel()


class FaultSpec(BaseModel):
    """The body of ``POST /_emulator/faults`` (unknown keys are refused).

    - ``method``: ``GET``, ``POST``, ... or ``*``; ``path``: a regex searched in the request path;
    - ``count``: how many matching requests get the fault;
    - ``status`` (429, 500, 503): answer with it at once (429 carries ``Retry-After``, ``retry_after`` s, default 1);
    - ``latency_ms``: wait that long before anything else;
    - ``drop_after_commit``: process and commit the request, then close the connection without an answer;
    - ``commit_delay_ms``: a create that commits late: close the connection without an answer as soon as the
      request is read (after ``latency_ms``), then process and commit the request ``commit_delay_ms`` later.
      The client never learns the outcome and the object appears after it gave up."""

    model_config = ConfigDict(extra="forbid", strict=True)

    method: Annotated[str, Field(pattern=r"^(\*|[A-Za-z]+)$")] = "*"
    path: str = ".*"
    count: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    status: Literal[429, 500, 503] | None = None
    retry_after: Annotated[int, Field(ge=0, le=3600)] | None = None
    latency_ms: Annotated[int, Field(ge=0, le=600_000)] = 0
    drop_after_commit: bool = False
    commit_delay_ms: Annotated[int, Field(ge=0, le=600_000)] | None = None


def parse_fault(body: object) -> Fault:
    """A :class:`Fault` from the hook's JSON body (400 naming the field when invalid)."""
    if not isinstance(body, dict):
        raise generic_error(400, "body must be a JSON object")
    try:
        spec = FaultSpec.model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors())
        raise generic_error(400, f"invalid fault: {problems}") from None
    try:
        pattern = re.compile(spec.path)
    except re.error as exc:
        raise generic_error(400, f"invalid path regex: {exc}") from None
    if spec.commit_delay_ms is not None and (spec.status or spec.drop_after_commit):
        raise generic_error(400, "commit_delay_ms cannot be combined with status or drop_after_commit")
    retry_after = spec.retry_after if spec.retry_after is not None else (1 if spec.status == 429 else None)
    return Fault(method=spec.method.upper(), path=pattern, remaining=spec.count, status=spec.status,
                 retry_after=retry_after, latency_ms=spec.latency_ms, drop_after_commit=spec.drop_after_commit,
                 commit_delay_ms=spec.commit_delay_ms)
