"""aep.platform.connection_spec_info and flow_spec_info: the spec catalogue a preset author reads (issue 9)."""
from harness import run_playbook

HTTP_API = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"
GENERIC = "e77fde5a-22a8-11ed-861d-0242ac120002"
HTTP_XDM = "d8a6f005-7eaf-4153-983e-e8574508b877"
HTTP_MAPPING = "c1a19761-d2c7-4702-b9fa-fe91f0613e81"
PROVIDER = "521eee4d-8cbe-4906-bb48-fb6bd4450033"
DATA_LAKE = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"
# name, id, base connection, flow specs: the catalogue's sources (emulator/README.md, "Spec catalogue")
SOURCES = [
    ("Chatlio", "073127a3-26e3-496c-9d94-9f48fb93fba8", False, [GENERIC]),
    ("Customer.io", "96479064-7b8a-4d69-b9ed-21c5683837ea", False, [GENERIC]),
    ("Pendo", "6ff5654f-19d5-427d-bd3e-c0ebc802389a", False, [GENERIC]),
    ("Shopify Streaming", "e77fd9d2-22a8-11ed-861d-0242ac120002", False, [GENERIC]),
    ("http-connector", HTTP_API, True, [HTTP_XDM, HTTP_MAPPING]),
]


def test_connection_spec_info_lists_the_catalogue_with_what_a_preset_needs(emulator):
    run = run_playbook(emulator, [{"aep.platform.connection_spec_info": {}}], check=True)
    res = run[0]
    assert not res.changed and res["count"] == len(SOURCES) + 1
    by_id = {s["id"]: s for s in res["connection_specs"]}
    for name, spec_id, base, flows in SOURCES:
        spec = by_id[spec_id]
        assert (spec["name"], spec["version"], spec["provider_id"]) == (name, "1.0", PROVIDER)
        assert spec["is_source"] is True and spec["is_target"] is False
        assert spec["needs_base_connection"] is base
        assert spec["auth_spec_names"] == (["Streaming Connection"] if base else [])
        assert sorted(spec["flow_spec_ids"]) == sorted(flows)
        assert spec["spec"]["id"] == spec_id
    lake = by_id[DATA_LAKE]
    assert lake["is_target"] is True and lake["flow_spec_ids"] == []
    assert emulator.writes() == []


def test_connection_spec_info_by_id_and_name(emulator):
    run = run_playbook(emulator, [
        {"aep.platform.connection_spec_info": {"name": "Pendo"}},
        {"aep.platform.connection_spec_info": {"id": HTTP_API, "with_flow_specs": False}},
        {"aep.platform.connection_spec_info": {"id": "11111111-2222-3333-4444-555555555555"}},
        {"aep.platform.connection_spec_info": {"name": "No such source"}},
        {"aep.platform.connection_spec_info": {"id": "not-an-id"}},
    ])
    assert run[0]["count"] == 1 and run[0]["connection_specs"][0]["id"] == "6ff5654f-19d5-427d-bd3e-c0ebc802389a"
    assert run[0]["connection_specs"][0]["flow_spec_ids"] == [GENERIC]
    http = run[1]["connection_specs"][0]
    assert http["needs_base_connection"] is True and "flow_spec_ids" not in http
    assert run[2]["count"] == 0 and not run[2].failed
    assert run[3]["count"] == 0 and not run[3].failed
    assert run[4].failed and "id" in run[4]["msg"] and "not a valid id" in run[4]["msg"]
    run = run_playbook(emulator, [{"aep.platform.connection_spec_info": {"id": HTTP_API, "name": "Pendo"}}])
    assert run[0].failed and "mutually exclusive" in run[0]["msg"]


def test_flow_spec_info_by_id_name_source_and_all(emulator):
    run = run_playbook(emulator, [
        {"aep.platform.flow_spec_info": {"source_connection_spec_id": HTTP_API}},
        {"aep.platform.flow_spec_info": {"id": GENERIC}},
        {"aep.platform.flow_spec_info": {"name": "GenericStreamingAEP"}},
        {"aep.platform.flow_spec_info": {}},
        {"aep.platform.flow_spec_info": {"id": "11111111-2222-3333-4444-555555555555"}},
    ], check=True)
    http = {f["id"]: f for f in run[0]["flow_specs"]}
    assert sorted(http) == sorted([HTTP_XDM, HTTP_MAPPING])
    assert http[HTTP_MAPPING]["supports_mapping"] is True and http[HTTP_MAPPING]["transformation_names"] == ["Mapping"]
    assert http[HTTP_XDM]["supports_mapping"] is False and http[HTTP_XDM]["transformation_names"] == []
    for res in run[1:3]:
        spec = res["flow_specs"][0]
        assert res["count"] == 1 and spec["id"] == GENERIC and spec["supports_mapping"] is True
        assert HTTP_API not in spec["source_connection_spec_ids"]
        assert "073127a3-26e3-496c-9d94-9f48fb93fba8" in spec["source_connection_spec_ids"]
        assert spec["target_connection_spec_ids"] == [DATA_LAKE]
    assert run[3]["count"] == 3
    assert run[4]["count"] == 0
    assert emulator.writes() == []


def _block(text, marker):
    """The fenced code block that follows ``<!-- walk: marker -->`` in docs/sources.md."""
    after = text.split("<!-- walk: %s -->" % marker, 1)[1]
    return after.split("```", 2)[1].split("\n", 1)[1]


def test_docs_walk(emulator, tmp_path):
    """docs/sources.md: discover the specs, write the preset from their output alone, onboard, smoke, offboard."""
    import shlex

    import yaml
    from harness import REPO
    from onboard_helpers import run_playbook as run_repo_playbook, write_static_inventory

    text = (REPO / "docs" / "sources.md").read_text()
    run = run_playbook(emulator, yaml.safe_load(_block(text, "discover")), check=True)
    found = run[2]["msg"]
    assert emulator.writes() == []
    preset = yaml.safe_load(_block(text, "preset"))["streaming_source_preset_data"]
    # every id of the preset comes from the discovery's output
    assert preset["source"]["connection_spec_id"] == found["connection_spec_id"]
    assert preset["source"]["connection_spec_version"] == found["connection_spec_version"]
    assert preset["source"]["provider_id"] == found["provider_id"]
    assert preset["flow"]["flow_spec_id"] == found["flow_spec_id"]
    assert preset["target"]["connection_spec_id"] == found["target_connection_spec_id"]
    assert found["needs_base_connection"] in (False, "False") and found["supports_mapping"] in (True, "True")

    path = tmp_path / "pendo_guides.yml"
    path.write_text(_block(text, "preset"))
    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes=("prod",))
    commands = [shlex.split(line) for line in _block(text, "run").splitlines() if line.strip()]
    assert [c[1] for c in commands] == ["playbooks/onboard_chatlio.yml", "playbooks/smoke_chatlio.yml", "playbooks/offboard_chatlio.yml"]
    runs = []
    for command in commands:
        args = [a.replace("$PWD/pendo_guides.yml", str(path)) for a in command[2:]]
        runs.append(run_repo_playbook(command[1].split("/")[1], inventory, *args))
        assert runs[-1].rc == 0, runs[-1]
    smoke = runs[1].custom_stats["_run"]["aep_smoke"]["prod"]
    assert smoke["verified_by"] == "emulator dataset records" and float(smoke["seconds_to_land"]) >= 0
    flows = emulator.api("GET", "/data/foundation/flowservice/flows", params={"property": "name==Ansible Pendo Guides Streaming Dataflow"})
    assert flows.json()["items"] == []
