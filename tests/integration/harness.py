"""Shared helpers for integration tests: a running emulator and an ansible-playbook runner.

Tests describe tasks as Python dicts; ``run_playbook()`` writes them to a playbook, runs ansible-playbook
against the emulator (connection settings from the ``AEP_*`` environment variables, as users would set
them) and returns one ``TaskResult`` per task, so tests can assert on ``changed``, objects and diffs.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from aep_emulator.testing import DEFAULT_CLIENT_ID as CLIENT_ID
from aep_emulator.testing import DEFAULT_CLIENT_SECRET as CLIENT_SECRET
from aep_emulator.testing import DEFAULT_ORG as ORG
from aep_emulator.testing import AepTestClient, EmulatorProcess

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / ".collections"
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"


def ensure_collection_link():
    """Make the repository importable as ansible_collections.aep.platform."""
    link = COLLECTIONS / "ansible_collections" / "aep" / "platform"
    if not os.path.lexists(link):
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            link.symlink_to(Path("../../.."), target_is_directory=True)
        except FileExistsError:  # a parallel worker made it meanwhile
            pass
    return COLLECTIONS


class Emulator:
    """An emulator subprocess plus an authenticated client of it (``aep_emulator.testing``)."""

    def __init__(self, data_dir=None, config=None, extra_args=()):
        self.process = EmulatorProcess(data_dir=data_dir, config=config, extra=list(extra_args))
        self.url = self.process.url
        self.client = AepTestClient(self.url)

    def stop(self):
        self.process.stop()

    def hook(self, method, path, **kwargs):
        resp = self.client.hook(method, path, **kwargs)
        resp.raise_for_status()
        return resp.json() if resp.content else None

    def reset(self):
        self.client.reset()

    def clear_log(self):
        self.client.clear_request_log()

    def writes(self):
        """AEP API writes served since the last ``clear_log()`` (IMS token requests excluded)."""
        return self.client.writes()

    def records(self, dataset_id, sandbox):
        return self.client.records(dataset_id, sandbox)

    def api(self, method, path, sandbox="prod", headers=None, **kwargs):
        """Call the platform API as a plain HTTP client would; returns the requests.Response."""
        return self.client.request(method, path, sandbox=sandbox, headers=headers, **kwargs)

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


CHATLIO_FLOW = "Ansible Chatlio Streaming Dataflow"  # the dataflow name the role derives for the chatlio preset


def artifact_entries(path, flow_name=None):
    """``{sandbox: entry}`` of one dataflow per sandbox in the artifacts file at ``path`` (version 2:
    ``{"version": 2, "sandboxes": {sandbox: {dataflow name: entry}}}``): the dataflow ``flow_name``, or without it
    the one dataflow each sandbox holds (asserted); ``{}`` when the file holds none."""
    data = json.loads(Path(path).read_text())
    assert data.get("version") == 2 and isinstance(data.get("sandboxes"), dict), data
    if flow_name is None:
        assert all(len(flows) == 1 for flows in data["sandboxes"].values()), data
        return {sandbox: next(iter(flows.values())) for sandbox, flows in data["sandboxes"].items()}
    return {sandbox: flows[flow_name] for sandbox, flows in data["sandboxes"].items() if flow_name in flows}


def ansible_env(emulator=None, sandbox="prod", extra_env=None):
    """Environment for ansible-* commands: this checkout as the collection, no user config."""
    empty_cfg = Path(tempfile.gettempdir()) / "aep-platform-empty-ansible.cfg"
    if not empty_cfg.exists():
        empty_cfg.write_text("[defaults]\n")  # 2.19 rejects ANSIBLE_CONFIG=/dev/null
    env = dict(os.environ)
    env.update({
        "ANSIBLE_CONFIG": str(empty_cfg),
        "ANSIBLE_COLLECTIONS_PATH": str(ensure_collection_link()),
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "PATH": "%s%s%s" % (Path(sys.executable).parent, os.pathsep, os.environ.get("PATH", "")),
    })
    if emulator is not None:
        env.update(emulator.connection_env(sandbox))
    env.update(extra_env or {})
    return env


def run_playbook(emulator, tasks, sandbox="prod", check=False, diff=False, extra_env=None,
                 extra_args=(), module_defaults=True, verbosity=0, vars=None):
    """Run ``tasks`` on localhost against ``emulator``; return a PlaybookRun with one TaskResult per task.

    With ``verbosity`` the default callback is used (for leak checks on -vvvv output) and no results are parsed.
    """
    play = {"name": "test", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    if vars:
        play["vars"] = vars
    env = ansible_env(emulator if module_defaults else None, sandbox, extra_env)
    if not verbosity:  # the test-only callback prints every task's result as JSON
        env.setdefault("ANSIBLE_CALLBACK_PLUGINS", str(CALLBACKS))
        env.setdefault("ANSIBLE_STDOUT_CALLBACK", "results_json")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "play.yml"
        path.write_text(yaml.safe_dump([play], sort_keys=False))
        cmd = ["ansible-playbook", "-i", "localhost,", "-c", "local", str(path)]
        cmd += ["--check"] if check else []
        cmd += ["--diff"] if diff else []
        cmd += ["-" + "v" * verbosity] if verbosity else []
        cmd += list(extra_args)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)
    results = []
    if not verbosity:
        try:
            data = json.loads(proc.stdout)
        except ValueError as exc:
            raise AssertionError("ansible-playbook output is not JSON:\n%s\n%s" % (proc.stdout, proc.stderr)) from exc
        for play_data in data.get("plays", []):
            for task in play_data.get("tasks", []):
                results.append(TaskResult(task["hosts"].get("localhost", {})))
    return PlaybookRun(proc, results)


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
