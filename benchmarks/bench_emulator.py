"""Emulator benchmark (not a test).

(a) sustained inlet ingestion of the Chatlio sample payload through a real flow (mapping + durable SQLite
    storage, answer after commit), driven by keep-alive HTTP/1.1 asyncio connections;
(b) Flow Service GET /flows/{id} latency at 50 concurrent clients.

    .venv/bin/python benchmarks/bench_emulator.py [--seconds 10] [--connections 64] [--url URL]

Without --url it starts ``python -m aep_emulator --port 0`` with a temporary data dir. The client runs in
this process and shares the machine's cores with the server."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import uvloop

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "emulator"))
from emulator_support import CHATLIO_PAYLOAD, FS, Aep, EmulatorProcess, create_chatlio_flow  # noqa: E402


def raw_request(method: str, url: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def connection_worker(host: str, port: int, request: bytes, deadline: float, latencies: list[float],
                            statuses: dict[int, int], budget: list[int] | None = None) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            if budget is not None:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            status = await read_response(reader)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def drive(url: str, request: bytes, connections: int, seconds: float, total: int | None = None):
    parts = urlsplit(url)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    budget = [total] if total else None
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(connection_worker(parts.hostname, parts.port, request, deadline, latencies, statuses,
                                             budget) for _ in range(connections)))
    return time.perf_counter() - started, latencies, statuses


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def report(name: str, elapsed: float, latencies: list[float], statuses: dict[int, int]) -> None:
    count = len(latencies)
    print(f"{name}: {count} requests in {elapsed:.2f}s = {count / elapsed:,.0f} req/s; statuses {statuses}; "
          f"latency ms p50 {percentile(latencies, .50):.2f} p95 {percentile(latencies, .95):.2f} "
          f"p99 {percentile(latencies, .99):.2f} max {max(latencies) * 1000:.2f} "
          f"mean {statistics.fmean(latencies) * 1000:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="an already running emulator (default: start one)")
    parser.add_argument("--seconds", type=float, default=10.0, help="ingestion duration")
    parser.add_argument("--connections", type=int, default=64, help="concurrent inlet connections")
    parser.add_argument("--get-requests", type=int, default=20000, help="GET /flows/{id} requests in (b)")
    args = parser.parse_args()
    process = None
    if not args.url:
        process = EmulatorProcess(data_dir=Path(tempfile.mkdtemp(prefix="aep-bench-")))
    url = args.url or process.url
    try:
        run(url, args)
    finally:
        if process:
            process.stop()


def run(url: str, args: argparse.Namespace) -> None:
    aep = Aep(url)
    aep.hook("POST", "/reset")
    scenario = create_chatlio_flow(aep, name="bench flow")
    print(f"emulator {url}; flow {scenario['flow_id']}; payload {len(json.dumps(CHATLIO_PAYLOAD))} bytes")

    inlet = f"{scenario['inlet_url']}?x-adobe-flow-id={scenario['flow_id']}"
    post = raw_request("POST", inlet, {"Content-Type": "application/json"}, json.dumps(CHATLIO_PAYLOAD).encode())
    asyncio.run(drive(url, post, 8, 1.0))  # warm-up
    elapsed, latencies, statuses = asyncio.run(drive(url, post, args.connections, args.seconds))
    report(f"(a) inlet ingestion, {args.connections} connections", elapsed, latencies, statuses)
    stored = aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records").json()["count"]
    run = aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}").json()["items"][0]
    print(f"    records stored {stored:,}; run recordSummary {run['metrics']['recordSummary']}")

    get = raw_request("GET", f"{url}{FS}/flows/{scenario['flow_id']}", aep.headers("prod"))
    asyncio.run(drive(url, get, 50, 30, 2000))  # warm-up
    elapsed, latencies, statuses = asyncio.run(drive(url, get, 50, 60, args.get_requests))
    report("(b) GET /flows/{id}, 50 concurrent clients", elapsed, latencies, statuses)


if __name__ == "__main__":
    uvloop.install()
    main()
