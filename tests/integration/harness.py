"""Shared helpers for integration tests: a running emulator and an ansible-playbook runner.

Tests describe tasks as Python dicts; `Playbook.run()` writes them to a playbook, runs
ansible-playbook with the json callback against the emulator and returns one `TaskResult`
per task, so tests can assert on `changed`, returned objects and diffs.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / ".collections"
ORG = "0123456789ABCDEF01234567@AdobeOrg"
CLIENT_ID = "aep-emulator-client"
CLIENT_SECRET = "aep-emulator-secret"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def ensure_collection_link():
    """Make the repository importable as ansible_collections.aep.platform."""
    link = COLLECTIONS / "ansible_collections" / "aep" / "platform"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(Path("../../.."), target_is_directory=True)
    return COLLECTIONS


class Emulator:
    """An aep_emulator subprocess bound to 127.0.0.1 on a free port."""

    def __init__(self, data_dir=None, config=None, extra_args=()):
        self.data_dir = data_dir
        self.config = config
        self.extra_args = list(extra_args)
        self.proc = None
        self.url = None

    def start(self, timeout=30):
        cmd = [sys.executable, "-m", "aep_emulator", "--host", "127.0.0.1", "--port", "0"]
        if self.data_dir:
            cmd += ["--data-dir", str(self.data_dir)]
        if self.config:
            cmd += ["--config", str(self.config)]
        cmd += self.extra_args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise RuntimeError("emulator exited with %s" % self.proc.returncode)
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                self.url = match.group(1).rstrip("/")
                return self
        raise RuntimeError("emulator did not report its URL in %ss" % timeout)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # --- test hooks -------------------------------------------------------------
    def hook(self, method, path, **kwargs):
        resp = requests.request(method, self.url + "/_emulator" + path, timeout=10, **kwargs)
        resp.raise_for_status()
        return resp.json() if resp.content else None

    def reset(self):
        self.hook("POST", "/reset")

    def requests_log(self):
        return self.hook("GET", "/requests")["requests"]

    def clear_log(self):
        self.hook("DELETE", "/requests")

    def writes(self):
        """AEP API writes served since the last clear (IMS token requests excluded)."""
        return [r for r in self.requests_log() if r["method"] in WRITE_METHODS and not r["path"].startswith("/ims/")]

    def records(self, dataset_id, sandbox):
        return self.hook("GET", "/datasets/%s/records" % dataset_id, params={"sandbox": sandbox})["records"]

    # --- direct API access (for drift and setup) -----------------------------------
    def token(self):
        resp = requests.post(self.url + "/ims/token/v3", data={
            "grant_type": "client_credentials", "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "scope": "openid,AdobeID"}, timeout=10)
        resp.raise_for_status()
        return resp.json()["access_token"]

    def api(self, method, path, sandbox="prod", headers=None, **kwargs):
        """Call the platform API as a plain HTTP client would; returns the requests.Response."""
        hdrs = {"Authorization": "Bearer " + self.token(), "x-api-key": CLIENT_ID,
                "x-gw-ims-org-id": ORG, "x-sandbox-name": sandbox}
        if method in WRITE_METHODS:
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        return requests.request(method, self.url + path, headers=hdrs, timeout=10, **kwargs)

    def connection_env(self, sandbox="prod"):
        return {"AEP_PLATFORM_URL": self.url, "AEP_IMS_URL": self.url, "AEP_CLIENT_ID": CLIENT_ID,
                "AEP_CLIENT_SECRET": CLIENT_SECRET, "AEP_ORG_ID": ORG, "AEP_SANDBOX": sandbox}


class TaskResult(dict):
    """One task's result on localhost (a dict with a few conveniences)."""

    @property
    def changed(self):
        return bool(self.get("changed"))

    @property
    def failed(self):
        return bool(self.get("failed"))

    @property
    def diff(self):
        diff = self.get("diff")
        return diff[0] if isinstance(diff, list) and diff else diff


class PlaybookRun:
    def __init__(self, proc, results):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.results = results

    def __getitem__(self, index):
        return self.results[index]

    def __len__(self):
        return len(self.results)


def run_playbook(emulator, tasks, sandbox="prod", check=False, diff=False, extra_env=None,
                 extra_args=(), module_defaults=True, verbosity=0, vars=None):
    """Run `tasks` on localhost against `emulator`; return a PlaybookRun with one TaskResult per task."""
    play = {"name": "test", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    if vars:
        play["vars"] = vars
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(ensure_collection_link()),
        "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json" if not verbosity else "ansible.builtin.default",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_CONFIG": os.devnull,
    })
    if module_defaults:
        env.update(emulator.connection_env(sandbox))
    env.update(extra_env or {})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "play.yml"
        path.write_text(yaml.safe_dump([play], sort_keys=False))
        cmd = ["ansible-playbook", "-i", "localhost,", "-c", "local", str(path)]
        cmd += ["--check"] if check else []
        cmd += ["--diff"] if diff else []
        cmd += ["-" + "v" * verbosity] if verbosity else []
        cmd += list(extra_args)
        bindir = Path(sys.executable).parent
        env["PATH"] = "%s%s%s" % (bindir, os.pathsep, env.get("PATH", ""))
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    results = []
    if not verbosity:
        try:
            data = json.loads(proc.stdout)
        except ValueError:
            raise AssertionError("ansible-playbook output is not JSON:\n%s\n%s" % (proc.stdout, proc.stderr))
        for play_data in data.get("plays", []):
            for task in play_data.get("tasks", []):
                results.append(TaskResult(task["hosts"].get("localhost", {})))
    return PlaybookRun(proc, results)
