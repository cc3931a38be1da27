"""Pure ASGI middleware around the AEP API (everything outside ``/_emulator/``): injected faults and the
request log read by ``GET /_emulator/requests``."""

from __future__ import annotations

import asyncio
import re
import threading
from collections import deque
from dataclasses import dataclass

import orjson

HOOK_PREFIX = "/_emulator/"
LOG_LIMIT = 200_000
_DROP = "drop-connection"  # a non-None ASGI return value makes uvicorn close the socket without answering


class RequestLog:
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
    method: str
    path: re.Pattern
    remaining: int
    status: int | None = None
    retry_after: int | None = None
    latency_ms: int = 0
    drop_after_commit: bool = False

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and self.method in ("*", method) and self.path.search(path) is not None

    def describe(self) -> dict:
        return {"method": self.method, "path": self.path.pattern, "count": self.remaining, "status": self.status,
                "retry_after": self.retry_after, "latency_ms": self.latency_ms,
                "drop_after_commit": self.drop_after_commit}


class Faults:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

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

    def clear(self) -> None:
        with self._lock:
            self._faults = []


class ApiMiddleware:
    def __init__(self, app, request_log: RequestLog, faults: Faults):
        self.app = app
        self.log = request_log
        self.faults = faults

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(HOOK_PREFIX):
            return await self.app(scope, receive, send)
        method, path = scope["method"], scope["path"]
        status = 0
        fault = self.faults.take(method, path)
        dropping = fault is not None and fault.drop_after_commit and not fault.status

        async def send_logged(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            if not dropping:
                await send(message)

        try:
            if fault is None:
                return await self.app(scope, receive, send_logged)
            if fault.latency_ms:
                await asyncio.sleep(fault.latency_ms / 1000)
            if fault.status:
                return await _send_fault(send_logged, fault)
            await self.app(scope, receive, send_logged)
            return _DROP if dropping else None
        finally:
            self.log.add(method, path, status, _sandbox_header(scope))


async def _send_fault(send, fault: Fault) -> None:
    body = orjson.dumps({"type": "/placeholder/type/uri", "status": fault.status,
                         "title": "Injected fault", "detail": "Fault injected by the AEP emulator"})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if fault.retry_after is not None:
        headers.append((b"retry-after", str(fault.retry_after).encode()))
    await send({"type": "http.response.start", "status": fault.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _sandbox_header(scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-sandbox-name":
            return value.decode("latin-1")
    return None
