"""Command line: ``aep-emulator --host 127.0.0.1 --port 8787 [--data-dir DIR] [--config FILE] [--public-url URL]``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket
import sys

import uvicorn
import uvloop

from aep_emulator.app import create_app
from aep_emulator.core.config import ConfigError, load_config


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="aep-emulator", description="Local Adobe Experience Platform emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787, help="0 picks a free port")
    parser.add_argument("--data-dir", help="directory of the durable SQLite state (default: in memory)")
    parser.add_argument("--config", help="YAML file with orgs, credentials, tenant, sandboxes")
    parser.add_argument("--public-url", help="base URL used in inletUrl (default http://HOST:PORT)")
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit TCP_NODELAY (Linux): uvicorn writes headers and body separately, and Nagle +
    # the client's delayed ACK would add ~40 ms to every response.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


async def _serve(server: uvicorn.Server, sock: socket.socket, url: str) -> None:
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if server.started:
        print(f"aep-emulator listening on {url}", flush=True)
    await task


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"aep-emulator: error: {exc}", file=sys.stderr)
        sys.exit(2)
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        print(f"aep-emulator: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        sys.exit(2)
    port = sock.getsockname()[1]
    url = f"http://{args.host}:{port}"
    config.public_url = args.public_url or config.public_url or url
    app = create_app(config, args.data_dir)
    server = uvicorn.Server(uvicorn.Config(
        app, http="httptools", lifespan="on", log_level=args.log_level,
        access_log=False, timeout_graceful_shutdown=5,
    ))
    # uvicorn re-raises the signal that stopped it once shut down; a no-op handler makes that a clean exit 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    uvloop.run(_serve(server, sock, url))
