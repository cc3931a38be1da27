"""What a user reads when a task fails: each bad input, run through Ansible against the emulator, fails
before any write with a message that names the option or problem and the fix, with no traceback, no
Python repr noise and no secret.

Kept fast: every case is a task with ``ignore_errors: true``, so one ansible-playbook run covers a batch.
"""
import json
import re

import pytest

from harness import CLIENT_ID, CLIENT_SECRET, ORG, make_flow_connections, make_schema_dataset_mapping, run_playbook

UUID = "11111111-2222-3333-4444-555555555555"
HEX32 = "abcdefabcdefabcdefabcdefabcdef12"
HEX24 = "5c8c3c555033b814b69f947f"
SCHEMA = "https://ns.adobe.com/emulated/schemas/0123456789abcdef"
FIELD_GROUP = "https://ns.adobe.com/emulated/mixins/0123456789abcdef"
CHATLIO_SPEC = "073127a3-26e3-496c-9d94-9f48fb93fba8"
STREAMING_PROVIDER = "521eee4d-8cbe-4906-bb48-fb6bd4450033"
WRONG_SECRET = "wrong-secret-4f1c9a7e"
BOGUS_TOKEN = "bogus-token-0d9e8f7a6b5c"
NOISE = re.compile(r"Traceback|<class |<object |\b[A-Z][A-Za-z]*Error\('|\bException\(|File \"/")
# ansible-core < 2.19 words its own type-conversion errors with the Python type; that text is core's.
CORE_TYPE_WORDING = re.compile(r"<class '(str|int|float|bool|dict|list)'>")


def case(label, module, args, *expected, **task):
    """A failing task; ``expected`` are substrings the message must contain (the field and the fix)."""
    entry = {"name": label, "aep.platform." + module: args, "ignore_errors": True}
    entry.update(task)
    return entry, expected


def _check(tasks, run, secrets=()):
    assert len(run.results) == len(tasks), run.stderr
    problems = []
    for (task, expected), result in zip(tasks, run.results):
        label, msg = task["name"], result.get("msg") or ""
        if not result.failed:
            problems.append("%s: did not fail (%s)" % (label, json.dumps(result)[:300]))
            continue
        missing = [text for text in expected if text not in msg]
        if missing:
            problems.append("%s: %r lacks %s" % (label, msg, missing))
        if NOISE.search(CORE_TYPE_WORDING.sub("", msg)):
            problems.append("%s: Python noise in %r" % (label, msg))
        leaked = [s for s in secrets if s in json.dumps(result)] + re.findall(r"emu-at-\w+", json.dumps(result))
        if leaked:
            problems.append("%s: secret in the result" % label)
    assert not problems, "\n".join(problems)


@pytest.fixture
def objects(emulator):
    fixtures = make_schema_dataset_mapping(emulator)
    fixtures.update(make_flow_connections(emulator, fixtures))
    emulator.clear_log()
    return fixtures


def test_bad_options_fail_with_the_field_and_the_fix(emulator, objects):
    fx = objects
    tasks = [
        # wrong types, missing or conflicting options (checked by the argument spec)
        case("wrong type", "flow", {"name": "f", "mapping_id": HEX32, "mapping_version": "abc"},
             "mapping_version", "int"),
        case("unknown option", "flow", {"name": "f", "nme": "x"}, "nme", "Supported parameters include"),
        case("bad choice", "field_group", {"title": "x", "fields": [{"name": "a", "type": "nosuch"}]},
             "type", "string, integer"),
        case("missing identity", "flow", {"enabled": True}, "one of the following is required: name, id"),
        case("missing suboption", "mapping_set", {"name": "m", "mappings": [{"source": "a"}]}, "destination"),
        case("mutually exclusive", "flow_run_info", {"flow_id": UUID, "flow_name": "f"}, "flow_id|flow_name"),
        case("required by", "flow", {"name": "f", "mapping_version": 1}, "mapping_version", "mapping_id"),
        # required to create
        case("create needs a spec", "source_connection", {"name": "s"}, "connection_spec_id is required to create"),
        case("create needs a dataset", "target_connection", {"name": "t"}, "dataset_id is required to create"),
        case("create needs a schema", "dataset", {"name": "new dataset"}, "schema_id is required to create"),
        case("create needs mappings", "mapping_set", {"name": "m"}, "schema_id and mappings are required"),
        case("create needs auth", "base_connection", {"name": "b"}, "connection_spec_id is required"),
        # malformed ids
        case("malformed uuid", "flow", {"id": "not-a-uuid"}, "id: 'not-a-uuid' is not a valid id", "expected a UUID"),
        case("malformed dataset id", "target_connection", {"name": "t", "dataset_id": "bad"},
             "dataset_id", "24-character hex"),
        case("malformed mapping id", "flow", {"name": "f", "mapping_id": "bad"}, "mapping_id", "32-character hex"),
        case("malformed xdm id", "schema", {"title": "S", "field_groups": ["bad"]}, "field_groups[0]", "XDM $id"),
        case("malformed list id", "flow", {"name": "f", "source_connection_ids": ["bad"], "target_connection_ids": [UUID]},
             "source_connection_ids", "expected a UUID"),
        case("bad field path", "field_group", {"title": "x", "fields": [{"name": "a b"}]}, "fields[0]", "letters, digits"),
        # unknown references
        case("unknown flow id", "flow", {"id": UUID}, "id: no flow with id", "sandbox 'prod'"),
        case("unknown source connection", "flow",
             {"name": "f", "source_connection_ids": [UUID], "target_connection_ids": [fx["target_id"]],
              "mapping_id": fx["mapping_id"]}, "source_connection_ids: no source connection"),
        case("unknown mapping set", "flow",
             {"name": "f", "source_connection_ids": [fx["source_id"]], "target_connection_ids": [fx["target_id"]],
              "mapping_id": HEX32}, "mapping_id: no mapping set"),
        case("unknown mapping version", "flow",
             {"name": "f", "source_connection_ids": [fx["source_id"]], "target_connection_ids": [fx["target_id"]],
              "mapping_id": fx["mapping_id"], "mapping_version": 7}, "mapping_version", "no version 7"),
        case("unknown flow spec", "flow",
             {"name": "f", "flow_spec_id": UUID, "source_connection_ids": [fx["source_id"]],
              "target_connection_ids": [fx["target_id"]]}, "flow_spec_id: unknown flow spec", "GET /flowSpecs"),
        case("unknown connection spec", "source_connection",
             {"name": "s", "connection_spec_id": UUID, "provider_id": STREAMING_PROVIDER},
             "connection_spec_id: unknown connection spec"),
        case("unknown dataset", "target_connection", {"name": "t", "dataset_id": HEX24, "schema_id": fx["schema_id"]},
             "dataset_id: no dataset"),
        case("unknown schema", "dataset", {"name": "new dataset", "schema_id": SCHEMA}, "schema_id", "create it first"),
        case("unknown field group", "schema", {"title": "S", "field_groups": [FIELD_GROUP]},
             "field_groups[0]", "create it first"),
        case("unknown class", "schema", {"title": "S", "class_id": "https://ns.adobe.com/xdm/context/nosuch"},
             "class_id", "standard classes"),
        case("destination not in schema", "mapping_set",
             {"name": "m", "schema_id": fx["schema_id"], "mappings": [{"source": "a", "destination": "_emulated.nosuch"}]},
             "destination '_emulated.nosuch' is not in schema", "add the field"),
        case("unknown flow name", "flow_run_info", {"flow_name": "nosuch"}, "flow_name: no flow named 'nosuch'"),
        # connection problems
        case("unknown sandbox (lookup)", "flow_info", {"name": "x", "sandbox": "nosuch"},
             "sandbox: no sandbox named 'nosuch'", "AEP_SANDBOX", "dev, prod, stage"),
        case("unknown sandbox (reference)", "dataset", {"name": "x", "schema_id": fx["schema_id"], "sandbox": "nosuch"},
             "sandbox: no sandbox named 'nosuch'", "one of: dev, prod, stage"),
        case("unknown sandbox (forked module)", "flow_info", {"name": "x", "sandbox": "nosuch"},
             "sandbox: no sandbox named 'nosuch'", vars={"aep_in_process": False}),
        case("wrong client secret", "sandbox_info", {"client_secret": WRONG_SECRET},
             "IMS", "check client_id, client_secret and org_id", "AEP_CLIENT_SECRET"),
        case("wrong client id", "token", {"client_id": "nope-client"}, "IMS", "check client_id"),
        case("wrong org", "flow_info", {"org_id": "NOPE@AdobeOrg"}, "403", "check org_id", "product profile"),
        case("unreachable platform", "sandbox_info", {"platform_url": "http://127.0.0.1:9", "timeout": 2},
             "cannot connect to http://127.0.0.1:9", "check platform_url", "AEP_PLATFORM_URL"),
        case("unreachable ims", "sandbox_info", {"ims_url": "http://127.0.0.1:9", "timeout": 2},
             "cannot connect to http://127.0.0.1:9", "check ims_url", "AEP_IMS_URL"),
        case("malformed url", "sandbox_info", {"platform_url": "not a url"},
             "platform_url: 'not a url' is not an http(s) URL", "https://platform.adobe.io"),
        case("malformed url (forked module)", "sandbox_info", {"ims_url": "ims.example"},
             "ims_url: 'ims.example' is not an http(s) URL", vars={"aep_in_process": False}),
        case("missing ca bundle", "sandbox_info", {"ca_path": "/nonexistent/aep-ca.pem"},
             "ca_path: /nonexistent/aep-ca.pem does not exist", "AEP_CA_PATH"),
        case("bad timeout", "sandbox_info", {"timeout": 0}, "timeout", "greater than 0"),
        case("wrong platform path", "sandbox_info", {"platform_url": emulator.url + "/nope"},
             "404", "check platform_url"),
    ]
    run = run_playbook(emulator, [task for task, _needles in tasks])
    _check(tasks, run, secrets=(CLIENT_SECRET, WRONG_SECRET))
    assert emulator.writes() == []


def test_credential_messages_without_environment(emulator):
    """No AEP_* environment: a rejected access token and missing credentials."""
    conn = {"platform_url": emulator.url, "ims_url": emulator.url, "client_id": CLIENT_ID, "org_id": ORG}
    tasks = [
        case("rejected access token", "sandbox_info", dict(conn, access_token=BOGUS_TOKEN),
             "401", "rejected the access token", "aep.platform.token"),
        case("no credential", "sandbox_info", dict(conn), "one of the following is required: access_token, client_secret"),
        case("rejected token, wrong secret", "flow_info", dict(conn, access_token=BOGUS_TOKEN, client_secret=WRONG_SECRET),
             "IMS", "check client_id, client_secret and org_id"),
    ]
    run = run_playbook(emulator, [task for task, _needles in tasks], module_defaults=False)
    _check(tasks, run, secrets=(BOGUS_TOKEN, WRONG_SECRET, CLIENT_SECRET))
    assert emulator.writes() == []
