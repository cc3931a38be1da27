"""Dataflow shapes AEP refuses, and check mode passing exactly when the real run passes (breaker report 3, items 1
and 3). Each playbook chains registered ids as a user would; in a fresh sandbox the check run sees only the
placeholder ids of earlier check-mode tasks, which carry the facts of the predicted objects. For every refused
shape: the check run fails at the same task as the real run, with the same field named, and writes nothing; the
real run makes no write at the refused task. The accepted shapes pass both runs."""
import pytest

from harness import run_playbook

HTTP_SPEC = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"
CHATLIO_SPEC = "073127a3-26e3-496c-9d94-9f48fb93fba8"
PROVIDER = "521eee4d-8cbe-4906-bb48-fb6bd4450033"
WITH_MAPPING = "c1a19761-d2c7-4702-b9fa-fe91f0613e81"
WITHOUT_TRANSFORMATIONS = "d8a6f005-7eaf-4153-983e-e8574508b877"
PROFILE = "https://ns.adobe.com/xdm/context/profile"
MAPPINGS = [{"source": "note", "destination": "_emulated.note"},
            {"source": "uuid()", "source_type": "EXPRESSION", "destination": "_id"},
            {"source": "now()", "source_type": "EXPRESSION", "destination": "timestamp"}]


def schemas_and_dataset(dataset_schema="sa"):
    return [
        {"aep.platform.field_group": {"title": "shape FG", "fields": [{"name": "note", "type": "string"}]}, "register": "fg"},
        {"aep.platform.schema": {"title": "shape schema A", "field_groups": ["{{ fg.id }}"]}, "register": "sa"},
        {"aep.platform.schema": {"title": "shape schema B", "field_groups": ["{{ fg.id }}"]}, "register": "sb"},
        {"aep.platform.dataset": {"name": "shape ds", "schema_id": "{{ %s.id }}" % dataset_schema}, "register": "ds"},
    ]


def mapping_set(schema="sa"):
    return [{"aep.platform.mapping_set": {"name": "shape map", "schema_id": "{{ %s.id }}" % schema, "mappings": MAPPINGS},
             "register": "ms"}]


def webhook_source(spec=CHATLIO_SPEC):
    return [{"aep.platform.source_connection": {"name": "shape sc", "connection_spec_id": spec, "provider_id": PROVIDER},
             "register": "sc"}]


def http_source(data_type):
    return [
        {"aep.platform.base_connection": {"name": "shape bc", "connection_spec_id": HTTP_SPEC,
                                          "auth": {"specName": "Streaming Connection", "params": {"dataType": data_type}}},
         "register": "bc"},
        {"aep.platform.source_connection": {"name": "shape sc", "connection_spec_id": HTTP_SPEC, "provider_id": PROVIDER,
                                            "base_connection_id": "{{ bc.id }}"}, "register": "sc"},
    ]


def target():
    return [{"aep.platform.target_connection": {"name": "shape tc", "dataset_id": "{{ ds.id }}"}, "register": "tc"}]


def flow(mapping=True, **args):
    task = {"name": "shape flow", "source_connection_ids": ["{{ sc.id }}"], "target_connection_ids": ["{{ tc.id }}"]}
    if mapping:
        task["mapping_id"] = "{{ ms.id }}"
    task.update(args)
    return [{"aep.platform.flow": task, "register": "fl"}]


REFUSED = {
    # fl1.yml: the mapping set writes schema B, the dataset (and so the target) holds schema A
    "mapping_schema_is_not_the_dataset_schema": (
        schemas_and_dataset("sa") + mapping_set("sb") + webhook_source() + target() + flow(),
        "aep.platform.flow", "mapping_id", "uses another schema"),
    # fl2.yml: the HTTP API flow spec does not accept the Chatlio source connection's spec
    "flow_spec_does_not_accept_the_source_spec": (
        schemas_and_dataset() + mapping_set() + webhook_source() + target() + flow(flow_spec_id=WITH_MAPPING),
        "aep.platform.flow", "source_connection_ids", "which flow spec %s" % WITH_MAPPING),
    # shp.yml: a webhook (Chatlio) flow without a mapping
    "webhook_flow_without_mapping": (
        schemas_and_dataset() + webhook_source() + target() + flow(mapping=False),
        "aep.platform.flow", "mapping_id", "sends raw (non-XDM) data (it is a webhook source"),
    # raw.yml: HTTP API, dataType raw, on the flow spec with transformations, no mapping
    "http_api_raw_flow_without_mapping": (
        schemas_and_dataset() + http_source("raw") + target() + flow(mapping=False, flow_spec_id=WITH_MAPPING),
        "aep.platform.flow", "mapping_id", "sends raw (non-XDM) data (its base connection has dataType raw)"),
    # the same on the flow spec without transformations: no mapping possible there
    "http_api_raw_flow_on_the_spec_without_transformations": (
        schemas_and_dataset() + http_source("raw") + target() + flow(mapping=False, flow_spec_id=WITHOUT_TRANSFORMATIONS),
        "aep.platform.flow", "mapping_id", "and a flow spec that accepts a Mapping (flow_spec_id; HTTP API: %s)" % WITH_MAPPING),
    # ph.yml: a field group extending the Profile class in an (ExperienceEvent) schema
    "field_group_of_another_class": (
        [{"aep.platform.field_group": {"title": "shape profile FG", "fields": [{"name": "note", "type": "string"}],
                                       "class_ids": [PROFILE]}, "register": "fg"},
         {"aep.platform.schema": {"title": "shape schema", "field_groups": ["{{ fg.id }}"]}, "register": "sa"}],
        "aep.platform.schema", "field_groups[0]", "experienceevent"),
}

ACCEPTED = {
    "http_api_xdm_flow_without_mapping": (
        schemas_and_dataset() + http_source("xdm") + target() + flow(mapping=False, flow_spec_id=WITH_MAPPING)),
    "http_api_xdm_flow_on_the_spec_without_transformations": (
        schemas_and_dataset() + http_source("xdm") + target() + flow(mapping=False, flow_spec_id=WITHOUT_TRANSFORMATIONS)),
    "webhook_flow_with_the_mapping_of_the_dataset_schema": (
        schemas_and_dataset("sb") + mapping_set("sb") + webhook_source() + target() + flow()),
    "http_api_raw_flow_with_mapping": (
        schemas_and_dataset() + mapping_set() + http_source("raw") + target() + flow(flow_spec_id=WITH_MAPPING)),
}


def _failed_task(run, module):
    failed = [r for r in run.results if r.failed]
    assert len(failed) == 1, run.stdout + run.stderr
    assert len(run.results) == len([r for r in run.results if not r.failed]) + 1
    return failed[0]


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_shape_fails_in_check_mode_as_in_the_real_run(emulator, case):
    tasks, module, field, text = REFUSED[case]
    index = max(i for i, t in enumerate(tasks) if module in t)
    emulator.clear_log()
    check = run_playbook(emulator, tasks, check=True)
    assert emulator.writes() == []
    failed = _failed_task(check, module)
    assert len(check.results) == index + 1, check.stdout  # it fails at the refused task, not earlier
    assert failed["msg"].startswith(field + ": ") and text in failed["msg"], failed["msg"]

    emulator.clear_log()
    real = run_playbook(emulator, tasks)
    real_failed = _failed_task(real, module)
    assert len(real.results) == index + 1, real.stdout
    assert real_failed["msg"].startswith(field + ": "), real_failed["msg"]
    # every earlier task wrote its object; the refused one wrote nothing
    assert len(emulator.writes()) == index


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_accepted_shape_passes_check_mode_and_the_real_run(emulator, case):
    tasks = ACCEPTED[case]
    check = run_playbook(emulator, tasks, check=True)
    assert check.rc == 0 and all(r.changed and not r.failed for r in check.results), check.stdout
    assert emulator.writes() == []
    real = run_playbook(emulator, tasks)
    assert real.rc == 0 and all(r.changed and not r.failed for r in real.results), real.stdout
    assert real[-1]["id"] and emulator.api("GET", "/data/foundation/flowservice/flows/%s" % real[-1]["id"]).status_code == 200
