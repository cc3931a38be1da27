"""Test utilities: run the emulator as a subprocess and talk to it like an AEP client.

    from aep_emulator.testing import EmulatorProcess, AepTestClient
    emu = EmulatorProcess()            # python -m aep_emulator --port 0, bound to 127.0.0.1
    aep = AepTestClient(emu.url)       # authenticated with the default credentials
    aep.get("/data/foundation/flowservice/flows", sandbox="dev")
    emu.stop()
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

DEFAULT_ORG = "0123456789ABCDEF01234567@AdobeOrg"
DEFAULT_CLIENT_ID = "aep-emulator-client"
DEFAULT_CLIENT_SECRET = "aep-emulator-secret"
DEFAULT_TENANT = "emulated"
READY_PREFIX = "aep-emulator listening on "
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))


class EmulatorProcess:
    """A running ``python -m aep_emulator`` subprocess on a free 127.0.0.1 port."""

    def __init__(self, data_dir: Path | str | None = None, config: Path | str | None = None,
                 extra: list[str] | None = None, python: str = sys.executable):
        args = [python, "-m", "aep_emulator", "--host", "127.0.0.1", "--port", "0"]
        if data_dir:
            args += ["--data-dir", str(data_dir)]
        if config:
            args += ["--config", str(config)]
        self.log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: an unread pipe could block the server
        self.proc = subprocess.Popen(args + list(extra or []), stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith(READY_PREFIX):
            self.proc.kill()
            self.proc.wait()
            self.log.seek(0)
            raise RuntimeError(f"emulator did not start: {line!r} {self.log.read()}")
        self.url = line.split()[-1].rstrip("/")

    def stop(self) -> int:
        """SIGTERM, then SIGKILL after 10 s; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


class AepTestClient:
    """A thin authenticated AEP client: ``aep.get("/data/foundation/...", sandbox="dev")`` -> Response."""

    def __init__(self, url: str, client_id: str = DEFAULT_CLIENT_ID, secret: str = DEFAULT_CLIENT_SECRET,
                 org: str = DEFAULT_ORG):
        self.url = url.rstrip("/")
        self.org = org
        self.client_id = client_id
        self.http = requests.Session()
        self.token = self.fetch_token(client_id, secret)

    def fetch_token(self, client_id: str, secret: str) -> str:
        response = self.http.post(f"{self.url}/ims/token/v3", data={
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret,
            "scope": "openid,AdobeID"}, timeout=10)
        response.raise_for_status()
        return response.json()["access_token"]

    def headers(self, sandbox: str | None = "prod", **extra) -> dict:
        headers = {"Authorization": f"Bearer {self.token}", "x-api-key": self.client_id,
                   "x-gw-ims-org-id": self.org}
        if sandbox:
            headers["x-sandbox-name"] = sandbox
        headers.update(extra)
        return headers

    def request(self, method: str, path: str, sandbox: str | None = "prod", json=None, headers=None, **kw):
        kw.setdefault("timeout", 30)
        return self.http.request(method, self.url + path, json=json,
                                 headers=self.headers(sandbox, **(headers or {})), **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def hook(self, method: str, path: str, **kw) -> requests.Response:
        """Call a test hook under ``/_emulator`` (no AEP headers)."""
        kw.setdefault("timeout", 30)
        return self.http.request(method, f"{self.url}/_emulator{path}", **kw)

    def reset(self) -> None:
        self.hook("POST", "/reset").raise_for_status()

    def request_log(self) -> list[dict]:
        return self.hook("GET", "/requests").json()["requests"]

    def clear_request_log(self) -> None:
        self.hook("DELETE", "/requests").raise_for_status()

    def writes(self) -> list[dict]:
        """AEP API writes in the request log (token requests excluded)."""
        return [r for r in self.request_log() if r["method"] in WRITE_METHODS and not r["path"].startswith("/ims/")]

    def records(self, dataset_id: str, sandbox: str = "prod") -> list[dict]:
        response = self.hook("GET", f"/datasets/{dataset_id}/records", params={"sandbox": sandbox})
        response.raise_for_status()
        return response.json()["records"]
