"""Identity namespaces are checked before any write (issue 8): ``aep.platform.schema`` lists the sandbox's namespaces
(``GET /data/core/idnamespace/identities``) once, only when an identity is to be created or changed, and refuses an
unknown code (case included) with the field, the code, the nearest known codes and the fix, in check mode too."""
import pytest

from registry_helpers import api_field_group, assert_failed_without_writes, run_one, write_summary

TITLE = "Namespaced Events (it)"
IDNS = "/data/core/idnamespace/identities"


@pytest.fixture
def group(emulator):
    created = api_field_group(emulator, "Namespaced group", fields=("email", "crm_id"))
    emulator.clear_log()
    return created["$id"]


def schema(emulator, group, identities, check=False):
    return run_one(emulator, "schema", {"title": TITLE, "field_groups": [group], "identities": identities},
                   check=check, diff=True)


def namespace_gets(emulator):
    return [r for r in emulator.client.request_log() if r["method"] == "GET" and r["path"].startswith(IDNS)]


@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
def test_unknown_namespace_fails_before_any_write(emulator, group, check):
    failed = schema(emulator, group, [{"field": "_emulated.email", "namespace": "Email", "primary": True},
                                      {"field": "_emulated.crm_id", "namespace": "CRMID"}], check=check)
    assert_failed_without_writes(emulator, failed, "identities[1].namespace: 'CRMID' is not an identity namespace of "
                                 "sandbox 'prod'", "create the custom namespace first")
    assert failed["field"] == "identities"
    assert len(namespace_gets(emulator)) == 1


def test_code_in_the_wrong_case_names_the_right_one(emulator, group):
    failed = schema(emulator, group, [{"field": "_emulated.email", "namespace": "email", "primary": True}])
    assert_failed_without_writes(emulator, failed, "identities[0].namespace: 'email'", "nearest known codes: 'Email'",
                                 "codes match exactly, case included")


def test_custom_namespace_created_first_then_converged_run_reads_no_namespace(emulator, group):
    created = emulator.api("POST", IDNS, json={"name": "CRM id", "code": "CRMID", "idType": "CROSS_DEVICE"})
    assert created.status_code == 200, created.text
    emulator.clear_log()
    identities = [{"field": "_emulated.email", "namespace": "Email", "primary": True},
                  {"field": "_emulated.crm_id", "namespace": "CRMID"}]
    preview = schema(emulator, group, identities, check=True)
    assert not preview.failed and preview.changed, preview
    assert emulator.writes() == []
    done = schema(emulator, group, identities)
    assert not done.failed and done.changed, done
    assert done["identities"] == [{"field": "_emulated.crm_id", "namespace": "CRMID", "primary": False},
                                  {"field": "_emulated.email", "namespace": "Email", "primary": True}]
    emulator.clear_log()
    again = schema(emulator, group, identities)
    assert not again.failed and not again.changed, again
    assert emulator.writes() == [] and namespace_gets(emulator) == []

    # a namespace change on an existing descriptor is checked too, before the descriptor PUT
    emulator.clear_log()
    moved = schema(emulator, group, [identities[0], {"field": "_emulated.crm_id", "namespace": "CRM_ID"}])
    assert_failed_without_writes(emulator, moved, "identities[1].namespace: 'CRM_ID'", "'CRMID'")
    assert len(namespace_gets(emulator)) == 1, write_summary(emulator)
