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


# --- fixtures for Flow Service tests (created straight through the API, no collection module) -----------

CHATLIO_SPEC = "073127a3-26e3-496c-9d94-9f48fb93fba8"
STREAMING_PROVIDER = "521eee4d-8cbe-4906-bb48-fb6bd4450033"
DATA_LAKE_SPEC = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"
CHATLIO_SAMPLE = {"visitor": {"email": "test@example.com", "UUID": "2d3f4260-2235-903b-0a82-a23d326cc257"},
                  "message": "Hi", "channelId": "C04J7M7LCMQ", "slackChannelName": "aep",
                  "slackChannelId": "C04JVR71WKS"}
CHATLIO_FIELDS = ("UUID", "chatlio_email", "message", "channel_ID", "slackchannel_ID", "slackchannel_name")


def _checked(resp, *statuses):
    if resp.status_code not in statuses:
        raise AssertionError("%s %s -> %s %s" % (resp.request.method, resp.request.url, resp.status_code, resp.text))
    return resp.json() if resp.content else None


def make_schema_dataset_mapping(emulator, sandbox="prod", title="Chatlio Test", tenant="emulated"):
    """A Chatlio field group, ExperienceEvent schema, dataset and mapping set made through the API.

    Returns ``{"schema_id", "dataset_id", "mapping_id", "mapping_version"}``.
    """
    accept = {"Accept": "application/json"}
    props = dict((f, {"title": f, "type": "string"}) for f in CHATLIO_FIELDS)
    group = _checked(emulator.api("POST", "/data/foundation/schemaregistry/tenant/fieldgroups", sandbox=sandbox,
                                  headers=accept, json={
                                      "type": "object", "title": title + " fields", "description": title,
                                      "meta:intendedToExtend": ["https://ns.adobe.com/xdm/context/experienceevent"],
                                      "definitions": {"chatlio": {"properties": {"_" + tenant: {
                                          "type": "object", "properties": props}}}},
                                      "allOf": [{"$ref": "#/definitions/chatlio"}]}), 201)
    schema = _checked(emulator.api("POST", "/data/foundation/schemaregistry/tenant/schemas", sandbox=sandbox,
                                   headers=accept, json={
                                       "title": title, "description": title, "type": "object",
                                       "allOf": [{"$ref": "https://ns.adobe.com/xdm/context/experienceevent"},
                                                 {"$ref": group["$id"]}]}), 201)
    dataset = _checked(emulator.api("POST", "/data/foundation/catalog/dataSets", sandbox=sandbox, json={
        "name": title + " dataset",
        "schemaRef": {"id": schema["$id"], "contentType": "application/vnd.adobe.xed+json;version=1"}}), 201)
    pairs = [("visitor.UUID", "UUID"), ("visitor.email", "chatlio_email"), ("message", "message"),
             ("channelId", "channel_ID"), ("slackChannelId", "slackchannel_ID"),
             ("slackChannelName", "slackchannel_name")]
    mappings = [{"sourceType": "ATTRIBUTE", "source": s, "destination": "_%s.%s" % (tenant, d)} for s, d in pairs]
    mappings += [{"sourceType": "EXPRESSION", "source": "uuid()", "destination": "_id"},
                 {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]
    mapping = _checked(emulator.api("POST", "/data/foundation/conversion/mappingSets", sandbox=sandbox, json={
        "outputSchema": {"schemaRef": {"id": schema["$id"],
                                       "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
        "mappings": mappings}), 200, 201)
    return {"schema_id": schema["$id"], "dataset_id": dataset[0].rsplit("/", 1)[-1],
            "mapping_id": mapping["id"], "mapping_version": mapping["version"]}


def make_flow_connections(emulator, fixtures, sandbox="prod", prefix="Chatlio Test"):
    """A Chatlio source connection and a data lake target connection for ``fixtures`` (see above).

    Returns ``{"source_id", "target_id"}``.
    """
    source = _checked(emulator.api("POST", "/data/foundation/flowservice/sourceConnections", sandbox=sandbox, json={
        "name": prefix + " source", "providerId": STREAMING_PROVIDER,
        "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}, "data": {"format": "json"}}), 201)
    target = _checked(emulator.api("POST", "/data/foundation/flowservice/targetConnections", sandbox=sandbox, json={
        "name": prefix + " target", "connectionSpec": {"id": DATA_LAKE_SPEC, "version": "1.0"},
        "data": {"format": "json", "schema": {"id": fixtures["schema_id"],
                                              "version": "application/vnd.adobe.xed-full+json;version=1"}},
        "params": {"dataSetId": fixtures["dataset_id"]}}), 201)
    return {"source_id": source["id"], "target_id": target["id"]}


def flow_object(emulator, path, object_id, sandbox="prod"):
    """The Flow Service object at ``path/object_id`` (``items[0]``), or None on 404."""
    resp = emulator.api("GET", "/data/foundation/flowservice%s/%s" % (path, object_id), sandbox=sandbox)
    if resp.status_code == 404:
        return None
    return _checked(resp, 200)["items"][0]


def flow_patch(emulator, path, object_id, ops, sandbox="prod"):
    """PATCH a Flow Service object directly (drift), with its current etag."""
    current = flow_object(emulator, path, object_id, sandbox)
    return _checked(emulator.api("PATCH", "/data/foundation/flowservice%s/%s" % (path, object_id), sandbox=sandbox,
                                 headers={"If-Match": current["etag"]}, json=ops), 200)


_EMPTY_CFG = Path(tempfile.gettempdir()) / "aep-platform-empty-ansible.cfg"


def run_tasks(emulator, tasks, **kwargs):
    """``run_playbook`` that works on ansible-core 2.19 (``extra_env`` is applied last, so it overrides):

    * 2.19 refuses ``ANSIBLE_CONFIG=/dev/null`` ("Unsupported configuration file extension"): use an
      empty ``.cfg`` file instead;
    * 2.19 has no ``ansible.builtin.json`` callback: use ``callback_plugins/results_json`` (same layout).
    """
    if not _EMPTY_CFG.exists():
        _EMPTY_CFG.write_text("[defaults]\n")
    extra_env = {"ANSIBLE_CONFIG": str(_EMPTY_CFG)}
    if not kwargs.get("verbosity"):
        # core 2.19 has no ansible.builtin.json: use the test-only callback with the same layout
        extra_env.update({"ANSIBLE_CALLBACK_PLUGINS": str(Path(__file__).resolve().parent / "callback_plugins"),
                          "ANSIBLE_STDOUT_CALLBACK": "results_json"})
    extra_env.update(kwargs.pop("extra_env", None) or {})
    return run_playbook(emulator, tasks, extra_env=extra_env, **kwargs)
