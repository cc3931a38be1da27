"""Emulator benchmark (not a test).

(a) sustained inlet ingestion of the Chatlio sample payload through a real flow (mapping + durable SQLite
    storage, answer after commit), driven by keep-alive HTTP/1.1 asyncio connections;
(b) Flow Service GET /flows/{id} latency at 50 concurrent clients;
(c) with --baseline-ref: the server's CPU time per GET by id, in process (the ASGI app called directly, no
    network, ``time.process_time``), which the machine's load barely moves: the steadiest side-by-side ratio.

    .venv/bin/python benchmarks/bench_emulator.py [--seconds 10] [--connections 64] [--url URL]
    .venv/bin/python benchmarks/bench_emulator.py --baseline-ref 481f22a [--rounds 2]

Without --url it starts ``python -m aep_emulator --port 0`` with a temporary data dir. The client runs in
this process and shares the machine's cores with the server, so absolute figures depend on the machine's
load: ``--baseline-ref REF`` also runs the emulator as it was at git REF (``git archive REF emulator``), the
two alternately for ``--rounds`` rounds under the same load, and prints the ratios (this / baseline).
Goals (issue 11): GET /flows/{id} p99 <= 20 ms at 50 connections, inlet >= 2,000 events/s durable."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import uvloop

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "emulator"))
from emulator_support import (CHATLIO_PAYLOAD, CHATLIO_SPEC, CLIENT_ID, CLIENT_SECRET, FS, ORG, Aep,  # noqa: E402
                              EmulatorProcess, create_chatlio_flow)


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
                                             budget) for _conn in range(connections)))
    return time.perf_counter() - started, latencies, statuses


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def summary(elapsed: float, latencies: list[float], statuses: dict[int, int]) -> dict:
    return {"rate": len(latencies) / elapsed, "p50": percentile(latencies, .50), "p99": percentile(latencies, .99),
            "statuses": statuses}


def report(name: str, elapsed: float, latencies: list[float], statuses: dict[int, int]) -> dict:
    count = len(latencies)
    print(f"{name}: {count} requests in {elapsed:.2f}s = {count / elapsed:,.0f} req/s; statuses {statuses}; "
          f"latency ms p50 {percentile(latencies, .50):.2f} p95 {percentile(latencies, .95):.2f} "
          f"p99 {percentile(latencies, .99):.2f} max {max(latencies) * 1000:.2f} "
          f"mean {statistics.fmean(latencies) * 1000:.2f}", flush=True)
    return summary(elapsed, latencies, statuses)


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="an already running emulator (default: start one)")
    parser.add_argument("--seconds", type=float, default=10.0, help="ingestion duration")
    parser.add_argument("--connections", type=int, default=64, help="concurrent inlet connections")
    parser.add_argument("--get-requests", type=int, default=20000, help="GET /flows/{id} requests in (b)")
    parser.add_argument("--baseline-ref", help="also measure the emulator at this git ref, side by side")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds with --baseline-ref")
    parser.add_argument("--asgi-cpu", action="store_true", help="only (c), for the emulator on sys.path; prints JSON")
    args = parser.parse_args()
    if args.asgi_cpu:
        print(json.dumps(asyncio.run(asgi_cpu())))
        return
    if args.url:
        run(args.url, args)
        return
    if not args.baseline_ref:
        measure(None, args)
        return
    with tempfile.TemporaryDirectory(prefix="aep-bench-baseline-") as tree:
        archive = subprocess.run(["git", "archive", args.baseline_ref, "emulator"], cwd=REPO, check=True,
                                 capture_output=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(tree)
        results: dict[str, list[dict]] = {"this": [], "baseline": []}
        for round_ in range(args.rounds):
            for label, source in (("this", None), ("baseline", Path(tree) / "emulator")):
                print(f"--- round {round_ + 1}, {label} ({args.baseline_ref if source else 'working tree'}); "
                      f"load average {load_average()}", flush=True)
                results[label].append(measure(source, args))
                cpu = asgi_cpu_of(source)
                print(f"(c) server CPU per GET /flows/{{id}} in process: {cpu['us_per_get']:.1f} us", flush=True)
                results[label][-1]["asgi"] = cpu
        print_ratios(results, args.baseline_ref)


def measure(source: Path | None, args: argparse.Namespace) -> dict:
    """Start an emulator (the working tree's, or the one under ``source``) with a fresh data dir and run (a), (b)."""
    data_dir = Path(tempfile.mkdtemp(prefix="aep-bench-"))
    if source is None:
        process = EmulatorProcess(data_dir=data_dir)
        try:
            return run(process.url, args)
        finally:
            process.stop()
    env = {**os.environ, "PYTHONPATH": str(source)}
    proc = subprocess.Popen([sys.executable, "-m", "aep_emulator", "--host", "127.0.0.1", "--port", "0",
                             "--data-dir", str(data_dir)], cwd=source, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        url = proc.stdout.readline().split()[-1]
        return run(url, args)
    finally:
        proc.terminate()
        proc.wait(10)


def print_ratios(results: dict[str, list[dict]], ref: str) -> None:
    def best(label: str, part: str, key: str, pick) -> float:
        return pick(r[part][key] for r in results[label])
    print(f"=== this tree / {ref} (best of {len(results['this'])} rounds each)")
    for part, key, pick, better in (("inlet", "rate", max, "higher"), ("get", "rate", max, "higher"),
                                    ("get", "p99", min, "lower"), ("asgi", "us_per_get", min, "lower")):
        mine, theirs = best("this", part, key, pick), best("baseline", part, key, pick)
        print(f"{part} {key}: {mine:,.2f} vs {theirs:,.2f} = {mine / theirs:.2f}x ({better} is better)")


def asgi_cpu_of(source: Path | None) -> dict:
    """(c) in a fresh interpreter, for the working tree's emulator or the one under ``source``."""
    env = {**os.environ, **({"PYTHONPATH": str(source)} if source else {})}
    out = subprocess.run([sys.executable, __file__, "--asgi-cpu"], env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


async def asgi_cpu(requests_count: int = 20000) -> dict:
    """Server CPU per ``GET /flows/{id}``-like request (a source connection by id), the ASGI app called directly."""
    from aep_emulator.app import create_app

    app = create_app()

    async def call(method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, bytes]:
        scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
                 "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()], "http_version": "1.1",
                 "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1), "root_path": ""}
        messages = []
        pending = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return pending.pop() if pending else {"type": "http.disconnect"}

        async def send(message):
            messages.append(message)
        await app(scope, receive, send)
        return messages[0]["status"], b"".join(m.get("body", b"") for m in messages[1:])

    form = f"grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}".encode()
    status_ims, token = await call("POST", "/ims/token/v3", {"content-type": "application/x-www-form-urlencoded"}, form)
    headers = {"authorization": "Bearer " + json.loads(token)["access_token"], "x-api-key": CLIENT_ID,
               "x-gw-ims-org-id": ORG, "x-sandbox-name": "prod"}
    body = json.dumps({"name": "bench", "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}}).encode()
    status, created = await call("POST", f"{FS}/sourceConnections", {**headers, "content-type": "application/json"},
                                 body)
    assert status == 201, created
    path = f"{FS}/sourceConnections/{json.loads(created)['id']}"
    for _warm in range(2000):
        await call("GET", path, headers)
    started = time.process_time()
    for _req in range(requests_count):
        status, _body = await call("GET", path, headers)
    cpu = time.process_time() - started
    assert status == 200
    app.emulator.close()
    return {"us_per_get": cpu / requests_count * 1e6}


def run(url: str, args: argparse.Namespace) -> dict:
    aep = Aep(url)
    aep.hook("POST", "/reset")
    scenario = create_chatlio_flow(aep, name="bench flow")
    print(f"emulator {url}; flow {scenario['flow_id']}; payload {len(json.dumps(CHATLIO_PAYLOAD))} bytes")

    inlet = f"{scenario['inlet_url']}?x-adobe-flow-id={scenario['flow_id']}"
    post = raw_request("POST", inlet, {"Content-Type": "application/json"}, json.dumps(CHATLIO_PAYLOAD).encode())
    asyncio.run(drive(url, post, 8, 1.0))  # warm-up
    elapsed, latencies, statuses = asyncio.run(drive(url, post, args.connections, args.seconds))
    inlet_summary = report(f"(a) inlet ingestion, {args.connections} connections", elapsed, latencies, statuses)
    stored = aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records").json()["count"]
    run_doc = aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}").json()["items"][0]
    print(f"    records stored {stored:,}; run recordSummary {run_doc['metrics']['recordSummary']}")

    get = raw_request("GET", f"{url}{FS}/flows/{scenario['flow_id']}", aep.headers("prod"))
    asyncio.run(drive(url, get, 50, 30, 2000))  # warm-up
    elapsed, latencies, statuses = asyncio.run(drive(url, get, 50, 60, args.get_requests))
    get_summary = report("(b) GET /flows/{id}, 50 concurrent clients", elapsed, latencies, statuses)
    print(f"    load average {load_average()}", flush=True)
    return {"inlet": inlet_summary, "get": get_summary}


if __name__ == "__main__":
    uvloop.install()
    main()
