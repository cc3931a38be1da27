"""Pure ASGI middleware around the AEP API (everything outside ``/_emulator/``): applies injected faults
(:mod:`aep_emulator.domain.hooks`) and writes the request log read by ``GET /_emulator/requests``."""

from __future__ import annotations

import asyncio
import logging

import orjson

from aep_emulator.domain.hooks import Fault, Faults, RequestLog

HOOK_PREFIX = "/_emulator/"
_DROP = "drop-connection"  # a non-None ASGI return value makes uvicorn close the socket without answering

log = logging.getLogger("aep_emulator")


class ApiMiddleware:
    def __init__(self, app, request_log: RequestLog, faults: Faults):
        self.app = app
        self.log = request_log
        self.faults = faults

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(HOOK_PREFIX):
            return await self.app(scope, receive, send)
        method, path = scope["method"], scope["path"]
        fault = self.faults.take(method, path)
        if fault is not None and fault.commit_delay_ms is not None:
            return await self._commit_late(scope, receive, fault)
        status = 0
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

    async def _commit_late(self, scope, receive, fault: Fault):
        """Read the request, close the connection without an answer, process it ``commit_delay_ms`` later."""
        body = await _read_body(receive)
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        task = asyncio.get_running_loop().create_task(self._late(dict(scope), body, fault.commit_delay_ms))
        self.faults.track(task)
        return _DROP

    async def _late(self, scope, body: bytes, delay_ms: int) -> None:
        await asyncio.sleep(delay_ms / 1000)
        status = 0
        delivered = False

        async def receive():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        async def discard(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        try:
            await self.app(scope, receive, discard)
        except Exception:  # noqa: BLE001 - nobody waits for this answer; the error is logged
            log.exception("late commit of %s %s failed", scope["method"], scope["path"])
        finally:
            self.log.add(scope["method"], scope["path"], status, _sandbox_header(scope))


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


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
