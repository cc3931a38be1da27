"""Identity is exact and complete for any name (issue 7): every object kind, through the modules, against the emulator.

Each name holds something a server-side filter would read as syntax or compare differently: every printable ASCII
punctuation character (``,`` OR-lists, ``*`` wildcards, ``!`` NOT, ``~`` regex, ``==``/``<``/``>`` operators,
quotes), leading and trailing spaces, non-ASCII letters, and twins that differ only in case or in the spaces
around them. Each name gets its own field group, schema, dataset, mapping set, source connection, target
connection and flow; a rerun changes nothing, ``*_info`` by name finds exactly that object, and ``state: absent``
removes it. Names AEP refuses fail before any request (the emulator's request log stays empty).
"""
import string

import pytest

from harness import CHATLIO_SPEC, STREAMING_PROVIDER, Emulator, run_playbook

PUNCTUATION = "Ansible " + string.punctuation + " v2"
NAMES = [
    "  " + PUNCTUATION + "  ",       # leading and trailing spaces
    PUNCTUATION,                     # its twin without them
    "Ünïcødé Straße ~ 東京, ĳ",      # non-ASCII letters (and a comma and a tilde)
    "ÜNÏCØDÉ STRASSE ~ 東京, Ĳ",      # its twin in another case
]
KINDS = ["field_group", "schema", "dataset", "mapping_set", "source_connection", "target_connection", "flow"]
INFO_KEYS = {"field_group": ("title", "field_groups"), "schema": ("title", "schemas"),
             "dataset": ("name", "datasets"), "mapping_set": ("name", "mapping_sets"),
             "source_connection": ("name", "source_connections"),
             "target_connection": ("name", "target_connections"), "flow": ("name", "flows")}


def chain(index, name):
    """The seven tasks that make one object of each kind named ``name`` (results registered as ``o<index>_<kind>``)."""
    reg = "o%d_" % index

    def task(kind, args):
        return {"name": "%s %d" % (kind, index), "aep.platform." + kind: args, "register": reg + kind}

    return [
        task("field_group", {"title": name, "fields": [{"name": "note", "type": "string"}]}),
        task("schema", {"title": name, "field_groups": ["{{ %sfield_group.id }}" % reg]}),
        task("dataset", {"name": name, "schema_id": "{{ %sschema.id }}" % reg}),
        task("mapping_set", {"name": name, "schema_id": "{{ %sschema.id }}" % reg,
                             "mappings": [{"source": "note", "destination": "_emulated.note"},
                                          {"source": "uuid()", "source_type": "EXPRESSION", "destination": "_id"},
                                          {"source": "now()", "source_type": "EXPRESSION", "destination": "timestamp"}]}),
        task("source_connection", {"name": name, "connection_spec_id": CHATLIO_SPEC,
                                   "provider_id": STREAMING_PROVIDER}),
        task("target_connection", {"name": name, "dataset_id": "{{ %sdataset.id }}" % reg}),
        task("flow", {"name": name, "source_connection_ids": ["{{ %ssource_connection.id }}" % reg],
                      "target_connection_ids": ["{{ %starget_connection.id }}" % reg],
                      "mapping_id": "{{ %smapping_set.id }}" % reg}),
    ]


def removal(name):
    """``state: absent`` for the seven objects named ``name``, users before what they use."""
    tasks = []
    for kind in reversed(KINDS):
        key = INFO_KEYS[kind][0]
        tasks.append({"name": "absent " + kind, "aep.platform." + kind: {key: name, "state": "absent"}})
    return tasks


def test_any_name_is_created_once_found_exactly_and_removed(emulator):
    present = [t for index, name in enumerate(NAMES) for t in chain(index, name)]
    created = run_playbook(emulator, present)
    assert len(created) == len(present), created.stdout + created.stderr
    for task, result in zip(present, created.results):
        assert result.changed and not result.failed, (task["name"], result)
    ids = dict((task["name"], result["id"]) for task, result in zip(present, created.results))
    assert len(set(ids.values())) == len(ids), "each name has objects of its own"

    emulator.clear_log()
    again = run_playbook(emulator, present)
    for task, result in zip(present, again.results):
        assert not result.changed and not result.failed, (task["name"], result)
        assert result["id"] == ids[task["name"]], task["name"]
    assert emulator.writes() == []

    info = []
    for index, name in enumerate(NAMES):
        for kind in KINDS:
            key, plural = INFO_KEYS[kind]
            info.append((ids["%s %d" % (kind, index)], plural,
                         {"name": "%s_info %d" % (kind, index), "aep.platform.%s_info" % kind: {key: name}}))
    found = run_playbook(emulator, [t for dummy, dummy, t in info])
    for (wanted, plural, task), result in zip(info, found.results):
        assert result["count"] == 1, (task["name"], result)
        listed = result[plural][0]
        assert listed.get("id", listed.get("$id")) == wanted, task["name"]

    for name in NAMES:
        gone = run_playbook(emulator, removal(name))
        for result in gone.results:
            assert not result.failed, result
        assert [r.changed for r in gone.results] == [True, True, True, False, True, True, True]  # no DELETE for a mapping set
        again = run_playbook(emulator, removal(name))
        assert not any(r.changed or r.failed for r in again.results), again.results


REFUSED = [("empty", ""), ("blank", "   "), ("tab", "Chatlio\twebhook"), ("line break", "Chatlio\nwebhook")]


@pytest.fixture(scope="module")
def quiet_emulator():
    """An emulator of its own: no other test's run (for example one a resilience test killed) can reach its log."""
    emu = Emulator()
    yield emu
    emu.stop()


@pytest.mark.parametrize("kind", KINDS)
def test_names_aep_refuses_fail_before_any_request(quiet_emulator, kind):
    emulator = quiet_emulator
    key = INFO_KEYS[kind][0]
    tasks = [{"name": label, "aep.platform." + kind: {key: value}, "ignore_errors": True} for label, value in REFUSED]
    emulator.clear_log()
    run = run_playbook(emulator, tasks)
    for (label, dummy), result in zip(REFUSED, run.results):
        assert result.failed, (kind, label, result)
        assert key in result["msg"], (kind, label, result["msg"])
    assert emulator.client.request_log() == [], "no request at all, not even a token request"
