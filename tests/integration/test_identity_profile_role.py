"""Identity and Profile through the role (issue 8): the Chatlio visitor email as primary Email identity, schema and
dataset enabled for Profile; the descriptor and the union tag show through the API; a rerun changes nothing;
disabling Profile fails clearly before any write."""
import json

import pytest

from onboard_helpers import write_static_inventory
from test_check_mode_chain import CHATLIO_FIELDS, SANDBOX, api_json, changed_objects, check_then_real, failed_task, onboard

SCHEMA = "Ansible Chatlio Events"
DATASET = "Ansible Chatlio Dataset"
IDENTITY = [{"field": "{tenant}.chatlio_email", "namespace": "Email", "primary": True}]


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))


def preset(**schema):
    return ["-e", json.dumps({"streaming_source_preset_overrides": {"schema": schema}})]


def namespace_reads(emulator):
    return [r for r in emulator.client.request_log() if r["path"].startswith("/data/core/idnamespace")]


def schema(emulator):
    found = api_json(emulator, "GET", "/data/foundation/schemaregistry/tenant/schemas",
                     headers={"Accept": "application/vnd.adobe.xed+json"})
    return [s for s in found["results"] if s["title"].endswith("Events") or s["title"] == SCHEMA]


def test_identity_and_profile_then_rerun_unchanged_and_disable_refused(emulator, inventory, tmp_path):
    check, real = check_then_real(emulator, inventory, tmp_path, *preset(identities=IDENTITY, profile=True))
    assert real.rc == 0, real
    result = real.host_results("Ensure the schema")[SANDBOX]
    assert result["profile"] is True
    assert result["identities"] == [{"field": "_emulated.chatlio_email", "namespace": "Email", "primary": True}]
    check_schema = check.host_results("Ensure the schema")[SANDBOX]
    assert check_schema["diff"]["after"]["profile"] is True and check_schema["identities"] == result["identities"]
    schema_id = result["id"]
    descriptors = api_json(emulator, "GET", "/data/foundation/schemaregistry/tenant/descriptors",
                           headers={"Accept": "application/vnd.adobe.xdm+json"})["xdm:descriptorIdentity"]
    assert [(d["xdm:sourceSchema"], d["xdm:sourceProperty"], d["xdm:namespace"], d["xdm:isPrimary"])
            for d in descriptors] == [(schema_id, "/_emulated/chatlio_email", "Email", True)]
    stored = api_json(emulator, "GET", "/data/foundation/schemaregistry/tenant/schemas/%s"
                      % __import__("urllib.parse").parse.quote(schema_id, safe=""),
                      headers={"Accept": "application/vnd.adobe.xed+json; version=1"})
    assert "union" in stored["meta:immutableTags"]
    dataset = real.host_results("Ensure the dataset")[SANDBOX]
    assert dataset["profile"] is True
    assert dataset["dataset"]["tags"]["unifiedProfile"] == ["enabled:true"]

    check, real = check_then_real(emulator, inventory, tmp_path, *preset(identities=IDENTITY, profile=True))
    assert changed_objects(real) == set()

    emulator.clear_log()
    check, real = check_then_real(emulator, inventory, tmp_path, *preset(identities=IDENTITY, profile=False))
    assert real.rc != 0
    task, msg = failed_task(real)
    assert task == "Ensure the schema" and "enabled for Profile, which AEP can never undo" in msg, msg
    assert emulator.writes() == []


def test_profile_without_a_primary_identity_fails_before_any_write(emulator, inventory, tmp_path):
    emulator.clear_log()
    run = onboard(inventory, tmp_path, *preset(profile=True))
    assert run.rc != 0
    task, msg = failed_task(run)
    assert task == "Ensure the schema" and "needs a primary identity" in msg, msg
    # the field group was created (the first task); the schema was not
    assert all("/tenant/schemas" not in w["path"] for w in emulator.writes())


def test_identity_on_a_field_that_is_not_a_string_fails(emulator, inventory, tmp_path):
    emulator.clear_log()
    run = onboard(inventory, tmp_path, *preset(identities=[{"field": "{tenant}.nope", "namespace": "Email"}]))
    assert run.rc != 0
    task, msg = failed_task(run)
    # the preset check, before any request (it used to fail at the schema task, after the field group was written)
    assert task == "Stop on invalid inputs (nothing was sent to AEP)", (task, msg)
    assert "schema.identities[0].field: '{tenant}.nope' is not a field the preset declares" in msg, msg
    assert emulator.writes() == []


def test_unknown_namespace_fails_in_check_and_real_before_any_write(emulator, inventory, tmp_path):
    assert onboard(inventory, tmp_path).rc == 0
    emulator.clear_log()
    wrong = [{"field": "{tenant}.chatlio_email", "namespace": "CRMID", "primary": True}]
    check, real = check_then_real(emulator, inventory, tmp_path, *preset(identities=wrong))
    assert check.rc != 0 and real.rc != 0
    task, msg = failed_task(real)
    assert task == "Ensure the schema" and failed_task(check) == (task, msg), (failed_task(check), msg)
    assert msg.startswith("identities[0].namespace: 'CRMID' is not an identity namespace of sandbox 'prod'"), msg
    assert "create the custom namespace first" in msg
    assert emulator.writes() == []  # the real run wrote nothing either


def test_new_field_with_a_custom_namespace_identity_in_one_run(emulator, inventory, tmp_path):
    """A field added and marked as an identity in the same run: the check run takes the field from the field
    group's prediction and the namespace from Identity Service; a converged rerun reads no namespace."""
    assert onboard(inventory, tmp_path).rc == 0
    created = emulator.api("POST", "/data/core/idnamespace/identities", sandbox=SANDBOX,
                           json={"name": "CRM id", "code": "CRMID", "idType": "CROSS_DEVICE"})
    assert created.status_code == 200, created.text
    fields = CHATLIO_FIELDS + [{"name": "crm_id", "type": "string", "title": "CRM id"}]
    identities = [{"field": "{tenant}.crm_id", "namespace": "CRMID"}]
    schema_overrides = {"fields": fields, "identities": identities}
    args = ["-e", json.dumps({"streaming_source_preset_overrides": {"schema": schema_overrides}})]
    check, real = check_then_real(emulator, inventory, tmp_path, *args)
    assert real.rc == 0, real
    assert changed_objects(real) == {"Ensure the field group", "Ensure the schema"}
    assert real.host_results("Ensure the schema")[SANDBOX]["identities"] == [
        {"field": "_emulated.crm_id", "namespace": "CRMID", "primary": False}]
    check, real = check_then_real(emulator, inventory, tmp_path, *args)
    assert changed_objects(real) == set() and namespace_reads(emulator) == []
