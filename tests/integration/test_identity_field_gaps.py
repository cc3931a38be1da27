"""Identities and the field group (issue 8, gaps 2 and 3).

* Gap 2: removing (renaming, moving) a field that carries an identity descriptor, before any data: the field group
  task deletes the descriptor first, then the field (AEP refuses to leave a descriptor pointing at no field: the
  emulator's XDM-1024-400); it warns and lists the identity in ``removed_identities`` and the diff; check mode
  predicts the same with no write; the schema task converges afterwards. Retyping it away from string fails before any
  write, in check mode too.
* Gap 3: the field group task checks ``identity_namespaces`` before its write, so an unknown namespace fails before
  any write of the play: through the role on a fresh sandbox, in check mode and for real.
"""
import json

import pytest

from onboard_helpers import write_static_inventory
from registry_helpers import api_field_group, assert_failed_without_writes, run_one, sr_get, tenant_props, write_summary
from test_check_mode_chain import SANDBOX, failed_task, onboard

TITLE = "Identity Gap Events (it)"
GROUP = "Identity Gap group"
FIELDS = [{"name": "email", "type": "string"}, {"name": "crm_id", "type": "string"}]
IDENTITIES = [{"field": "_emulated.email", "namespace": "Email", "primary": True},
              {"field": "_emulated.crm_id", "namespace": "Phone"}]
DESCRIPTORS = "/data/foundation/schemaregistry/tenant/descriptors"


def group_task(emulator, fields, check=False, **extra):
    return run_one(emulator, "field_group", dict({"title": GROUP, "fields": fields}, **extra), check=check, diff=True)


def schema_task(emulator, group_id, identities, check=False):
    return run_one(emulator, "schema", {"title": TITLE, "field_groups": [group_id], "identities": identities},
                   check=check, diff=True)


def descriptors(emulator):
    body = emulator.api("GET", DESCRIPTORS, headers={"Accept": "application/vnd.adobe.xdm+json"}).json()
    return sorted(d["xdm:sourceProperty"] for d in body.get("xdm:descriptorIdentity", []))


@pytest.fixture
def onboarded(emulator):
    group = group_task(emulator, FIELDS)
    assert group.changed and not group.failed, group
    schema = schema_task(emulator, group["id"], IDENTITIES)
    assert schema.changed and not schema.failed, schema
    assert descriptors(emulator) == ["/_emulated/crm_id", "/_emulated/email"]
    emulator.clear_log()
    return group["id"]


def test_removing_an_identity_field_removes_its_descriptor_first(emulator, onboarded):
    kept = [FIELDS[0]]
    preview = group_task(emulator, kept, check=True)
    assert preview.changed and not preview.failed, preview
    assert emulator.writes() == [], write_summary(emulator)
    expected = [{"schema": TITLE, "field": "_emulated.crm_id", "namespace": "Phone", "primary": False}]
    assert preview["removed_identities"] == expected
    assert any("'_emulated.crm_id'" in w and "it would be removed" in w for w in preview["warnings"]), preview
    real = group_task(emulator, kept)
    assert real.changed and not real.failed, real
    assert real["removed_identities"] == expected
    assert real["diff"]["before"]["identities"] == expected and real["diff"]["after"]["identities"] == []
    writes = write_summary(emulator)
    assert writes[0].startswith("DELETE " + DESCRIPTORS) and writes[1].startswith("PUT "), writes  # descriptor first
    assert descriptors(emulator) == ["/_emulated/email"]
    assert set(tenant_props(sr_get(emulator, "fieldgroups", onboarded))) == {"email"}
    # later runs converge: the schema task with the remaining identity, the field group again
    emulator.clear_log()
    schema = schema_task(emulator, onboarded, IDENTITIES[:1])
    assert not schema.failed and not schema.changed, schema
    again = group_task(emulator, kept)
    assert not again.failed and not again.changed and "removed_identities" not in again, again
    assert emulator.writes() == []


@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
def test_retyping_an_identity_field_fails_before_any_write(emulator, onboarded, check):
    retyped = [FIELDS[0], {"name": "crm_id", "type": "integer"}]
    failed = group_task(emulator, retyped, check=check)
    assert_failed_without_writes(emulator, failed, "fields: field '_emulated.crm_id' carries the identity descriptor",
                                 "(namespace Phone) of schema %r" % TITLE, "an identity field must be a string")
    assert descriptors(emulator) == ["/_emulated/crm_id", "/_emulated/email"]


@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
def test_field_group_checks_the_identity_namespaces_before_its_write(emulator, check):
    failed = group_task(emulator, FIELDS, check=check, identity_namespaces=["Email", "CRMID"])
    assert_failed_without_writes(emulator, failed, "identity_namespaces[1]: 'CRMID' is not an identity namespace of "
                                 "sandbox 'prod'", "create the custom namespace first")
    assert failed["field"] == "identity_namespaces"


def test_known_namespaces_and_a_converged_field_group_read_no_namespace(emulator):
    done = group_task(emulator, FIELDS, identity_namespaces=["Email"])
    assert done.changed and not done.failed, done
    emulator.clear_log()
    again = group_task(emulator, FIELDS, identity_namespaces=["Bogus"])  # not written: not checked
    assert not again.failed and not again.changed, again
    assert [r for r in emulator.client.request_log() if "idnamespace" in r["path"]] == []


def test_role_on_a_fresh_sandbox_refuses_an_unknown_namespace_before_any_write(emulator, tmp_path):
    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))
    overrides = json.dumps({"streaming_source_preset_overrides": {"schema": {"identities": [
        {"field": "{tenant}.chatlio_email", "namespace": "EmailAddress", "primary": True}]}}})
    emulator.clear_log()
    for args in (("--check", "--diff"), ()):
        run = onboard(inventory, tmp_path, "-e", overrides, *args)
        assert run.rc != 0, run
        task, msg = failed_task(run)
        assert task == "Ensure the field group", (args, task, msg)
        assert "identity_namespaces[0]: 'EmailAddress' is not an identity namespace of sandbox 'prod'" in msg, msg
        assert "'Email'" in msg, msg  # the nearest known code
    assert emulator.writes() == [], write_summary(emulator)


def test_schema_dropping_a_field_group_removes_the_identities_on_its_fields_first(emulator):
    main = api_field_group(emulator, "Identity Gap main", fields=("email",))["$id"]
    extra = api_field_group(emulator, "Identity Gap extra", fields=("crm_id",))["$id"]
    both = run_one(emulator, "schema", {"title": TITLE, "field_groups": [main, extra], "identities": IDENTITIES})
    assert both.changed and not both.failed, both
    emulator.clear_log()
    # still listing the identity of the dropped field group: refused before any write, in both modes
    for check in (True, False):
        failed = run_one(emulator, "schema", {"title": TITLE, "field_groups": [main], "identities": IDENTITIES},
                         check=check)
        assert_failed_without_writes(emulator, failed, "identities[1]: field '_emulated.crm_id' would leave schema",
                                     "remove it from identities too")
    kept = {"title": TITLE, "field_groups": [main], "identities": IDENTITIES[:1]}
    preview = run_one(emulator, "schema", kept, check=True, diff=True)
    assert preview.changed and not preview.failed, preview
    assert emulator.writes() == [], write_summary(emulator)
    expected = [{"schema": TITLE, "field": "_emulated.crm_id", "namespace": "Phone", "primary": False}]
    real = run_one(emulator, "schema", kept, diff=True)
    assert not real.failed and real.changed, real
    for result in (preview, real):
        assert result["removed_identities"] == expected, result
        assert result["identities"] == [{"field": "_emulated.email", "namespace": "Email", "primary": True}]
        assert [v["field"] for v in result["diff"]["before"]["identities"]] == ["_emulated.crm_id", "_emulated.email"]
        assert [v["field"] for v in result["diff"]["after"]["identities"]] == ["_emulated.email"]
    assert write_summary(emulator)[0].startswith("DELETE " + DESCRIPTORS), write_summary(emulator)
    assert descriptors(emulator) == ["/_emulated/email"]
    emulator.clear_log()
    again = run_one(emulator, "schema", kept)
    assert not again.failed and not again.changed, again
    assert emulator.writes() == []
