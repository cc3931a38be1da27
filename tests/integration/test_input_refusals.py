"""breaker4 findings 4, 6, 9, 10, 11: bad input fails with a message naming the field and the fix, before any request
(or write); no Python exception text or controller type name reaches the user; a misconfigured dynamic inventory
never gives a green run that did nothing. Each case runs through Ansible against the emulator."""
import importlib.util
import json
import os

import pytest
import yaml

from harness import CLIENT_ID, CLIENT_SECRET, ORG, REPO, run_playbook
from onboard_helpers import run_playbook as run_repo_playbook
from onboard_helpers import write_static_inventory
from test_messages import _check, case

CHATLIO_SPEC = "073127a3-26e3-496c-9d94-9f48fb93fba8"
STREAMING_PROVIDER = "521eee4d-8cbe-4906-bb48-fb6bd4450033"
FORKED = {"vars": {"aep_in_process": False}}


def api_requests(emulator):
    """Platform requests since the last clear_log (IMS token requests excluded)."""
    return [r for r in emulator.client.request_log() if "/ims/" not in r["path"]]


def test_bad_module_inputs_fail_before_any_request(emulator):
    tasks = []
    for label, extra in (("in-process", {}), ("forked", FORKED)):
        tasks += [
            case("title is a dict (%s)" % label, "field_group", {"title": {"a": 1}, "fields": [{"name": "a", "type": "string"}]},
                 "title: expected a string, got a dict", **extra),
            case("field title is a list (%s)" % label, "field_group", {"title": "t", "fields": [{"name": "a", "title": [1]}]},
                 "fields[0].title: expected a string, got a list", **extra),
            case("100,000-character title (%s)" % label, "field_group", {"title": "x" * 100000, "fields": [{"name": "a"}]},
                 "title: 100000 characters, more than the 256", **extra),
            case("empty field list (%s)" % label, "field_group", {"title": "t", "fields": []},
                 "fields: the list is empty", "at least one field", **extra),
            case("data_format xml (%s)" % label, "source_connection",
                 {"name": "s", "connection_spec_id": CHATLIO_SPEC, "provider_id": STREAMING_PROVIDER, "data_format": "xml"},
                 "data_format must be one of: json, delimited, parquet, tabular, got: xml", **extra),
            case("org id without @AdobeOrg (%s)" % label, "dataset_info", {"name": "d", "org_id": "acme"},
                 "org_id: 'acme' is not an IMS organization id", "AEP_ORG_ID", **extra),
            case("timeout 1e300 (%s)" % label, "dataset_info", {"name": "d", "timeout": 1e300},
                 "timeout: must be at most 3600 seconds", "AEP_TIMEOUT", **extra),
            case("sandbox with a slash (%s)" % label, "dataset_info", {"name": "d", "sandbox": "../prod"},
                 "sandbox: '../prod' is not a sandbox name", "AEP_SANDBOX", **extra),
            # the elements are numbers from YAML: the message names the plain type, never the controller's tagged one
            case("fields of numbers (%s)" % label, "field_group", {"title": "t", "fields": [1, 2]},
                 "fields", "'int'", **extra),
        ]
    run = run_playbook(emulator, [task for task, _needles in tasks])
    _check(tasks, run, secrets=(CLIENT_SECRET,))
    for result in run.results:
        assert "OverflowError" not in result["msg"] and "this is a bug" not in result["msg"], result["msg"]
        assert "_AnsibleTagged" not in result["msg"], result["msg"]
    assert api_requests(emulator) == []


def test_a_sandbox_that_does_not_exist_fails_catalog_reads_and_removals(emulator):
    """Finding 6: dataset_info returned [] and dataset state=absent was ok in sandbox 'prdo'."""
    needles = ("sandbox: no sandbox named 'prdo'", "AEP_SANDBOX", "dev, prod, stage")
    tasks = [
        case("dataset_info by name", "dataset_info", {"name": "Ansible Chatlio Dataset"}, *needles),
        case("dataset_info by id", "dataset_info", {"id": "5e0d8f0c0000000000000001"}, *needles),
        case("dataset absent by name", "dataset", {"name": "Ansible Chatlio Dataset", "state": "absent"}, *needles),
        case("dataset absent by id", "dataset", {"id": "5e0d8f0c0000000000000001", "state": "absent"}, *needles),
        case("dataset absent by name (forked)", "dataset", {"name": "d", "state": "absent"}, *needles, **FORKED),
        case("flow absent by id", "flow", {"id": "6cc48df7-682f-4bcc-9365-8ed77371a29a", "state": "absent"}, *needles),
        case("flow_info by id", "flow_info", {"id": "6cc48df7-682f-4bcc-9365-8ed77371a29a"}, *needles),
        case("schema absent", "schema", {"title": "x", "state": "absent"}, *needles),
        case("mapping_set_info", "mapping_set_info", {"name": "x"}, *needles),
    ]
    run = run_playbook(emulator, [task for task, _needles in tasks], sandbox="prdo")
    _check(tasks, run, secrets=(CLIENT_SECRET,))
    assert emulator.writes() == []


@pytest.mark.parametrize("forked", [False, True])
def test_missing_client_id_names_the_environment_variables(emulator, forked):
    conn = {"platform_url": emulator.url, "ims_url": emulator.url, "client_secret": CLIENT_SECRET}
    tasks = [
        case("no client id, no org id", "sandbox_info", dict(conn), "missing required arguments: client_id, org_id",
             "environment variables AEP_CLIENT_ID, AEP_ORG_ID", **(FORKED if forked else {})),
        case("no secret, no token", "dataset_info", {"platform_url": emulator.url, "client_id": CLIENT_ID, "org_id": ORG},
             "one of the following is required: access_token, client_secret", "AEP_CLIENT_SECRET", "AEP_ACCESS_TOKEN",
             **(FORKED if forked else {})),
    ]
    run = run_playbook(emulator, [task for task, _needles in tasks], module_defaults=False)
    _check(tasks, run, secrets=(CLIENT_SECRET,))
    assert api_requests(emulator) == []


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=("prod",))


@pytest.mark.parametrize("batch_size", ["abc", "0", "150%", "-2"])
def test_a_bad_batch_size_is_named_before_any_request(emulator, inventory, batch_size):
    """Finding 9: -e aep_batch_size=abc was "Unexpected Exception ... invalid literal for int()", rc=250."""
    emulator.clear_log()
    run = run_repo_playbook("onboard_chatlio.yml", inventory, "-e", "aep_batch_size=%s" % batch_size, json_output=False)
    output = run.stdout + run.stderr
    assert run.rc not in (0, 250), output
    assert "aep_batch_size: %r is not a batch size" % batch_size in output, output
    assert "-e aep_batch_size=10" in output and "Unexpected Exception" not in output and "invalid literal" not in output
    assert api_requests(emulator) == []


def test_a_good_batch_size_still_batches(emulator, inventory):
    run = run_repo_playbook("onboard_chatlio.yml", inventory, "-e", "aep_batch_size=1", "--check")
    assert run.rc == 0, run.stdout[-3000:] + run.stderr
    assert emulator.writes() == []


def test_a_name_of_another_type_is_named_in_user_terms(emulator, inventory):
    """Finding 9: streaming_source_names: {flow: 12} printed the controller's type name _AnsibleTaggedInt."""
    emulator.clear_log()
    run = run_repo_playbook("onboard_chatlio.yml", inventory, "-e", json.dumps({"streaming_source_names": {"flow": 12}}))
    output = run.stdout + run.stderr
    assert run.rc != 0
    assert "streaming_source_names.flow: must be a non-empty name; it is a number" in output, output[-3000:]
    assert "_Ansible" not in output
    assert emulator.writes() == []


def _dynamic_inventory(tmp_path, emulator, **options):
    config = {"plugin": "aep.platform.sandboxes", "platform_url": emulator.url, "ims_url": emulator.url,
              "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "org_id": ORG}
    config.update(options)
    path = tmp_path / "aep.sandboxes.yml"
    path.write_text(yaml.safe_dump(dict((k, v) for k, v in config.items() if v is not None)))
    return path


@pytest.mark.parametrize("options, needles", [
    ({"client_secret": "wrong-secret"}, ["cannot list the sandboxes", "401", "AEP_CLIENT_SECRET"]),
    ({"colour": "red"}, ["unknown option colour"]),
    ({"types": ["dev"]}, ["Invalid value ['dev'] for config 'types'", "production, development"]),
    ({"states": ["bogus"]}, ["Invalid value ['bogus'] for config 'states'"]),
    ({"name_pattern": "("}, ["name_pattern: '(' is not a valid Python regular expression"]),
    ({"name_pattern": "^nothing-"}, ["none of the 3 sandboxes of the organization passes the filters", "allow_empty"]),
])
def test_a_broken_dynamic_inventory_fails_the_rollout(emulator, tmp_path, options, needles):
    """Finding 4: these gave a WARNING, "no hosts matched" and rc=0 (the repository's ansible.cfg sets
    any_unparsed_is_failed); the onboarding writes nothing."""
    path = _dynamic_inventory(tmp_path, emulator, **options)
    run = run_repo_playbook("onboard_chatlio.yml", path, json_output=False)
    output = " ".join((run.stdout + run.stderr).split())
    assert run.rc != 0, output
    for needle in needles:
        assert needle in output, output
    assert "wrong-secret" not in output and CLIENT_SECRET not in output
    assert emulator.writes() == []


def test_a_good_dynamic_inventory_still_lists_the_sandboxes(emulator, tmp_path):
    path = _dynamic_inventory(tmp_path, emulator, types=["development"], states=["active"])
    run = run_repo_playbook("onboard_chatlio.yml", path, "--list-hosts", json_output=False)
    assert run.rc == 0, run.stderr
    assert "dev" in run.stdout and "stage" in run.stdout and "    prod" not in run.stdout


def test_onboard_script_strips_every_aep_connection_variable(monkeypatch):
    """Finding 11: AEP_TIMEOUT=abc make onboard failed; the emulator target inherits no AEP_* connection variable."""
    spec = importlib.util.spec_from_file_location("onboard_script", REPO / "scripts" / "onboard.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name in ("AEP_TIMEOUT", "AEP_RETRIES", "AEP_RETRY_DEADLINE", "AEP_RETRY_BACKOFF", "AEP_CLIENT_ID", "AEP_SANDBOX"):
        monkeypatch.setenv(name, "abc")
    monkeypatch.setenv("AEP_IN_PROCESS", "1")
    env = script.playbook_env("emulator")
    assert not [name for name in env if name in script.AEP_CONNECTION_ENV]
    assert env["AEP_IN_PROCESS"] == "1"  # not a connection option: kept
    assert script.playbook_env("aep")["AEP_TIMEOUT"] == "abc"  # real AEP: the user's settings apply
    assert os.environ["AEP_TIMEOUT"] == "abc"
