"""More writes AEP refuses, failing before any write in check mode and for real (the emulator's request log shows no
write): a Profile-enabled schema's primary identity changing namespace or being demoted (AEP: 400 XDM-1022), and a
source connection whose base connection is of another connection spec (AEP: 400 FLOW-1413)."""

from harness import CHATLIO_SPEC, STREAMING_PROVIDER, run_playbook
from test_refusals import HTTP_SPEC, assert_refused, both_modes, task

FIELDS = [{"name": "email", "type": "string"}, {"name": "other", "type": "string"}]


def test_a_profile_schema_primary_identity_keeps_its_namespace_and_stays_primary(emulator):
    setup = [
        {"name": "group", "register": "group", "aep.platform.field_group": {"title": "Frozen fields", "fields": FIELDS}},
        {"name": "schema", "aep.platform.schema": {
            "title": "Frozen", "field_groups": ["{{ group.id }}"], "profile": True,
            "identities": [{"field": "_emulated.email", "namespace": "Email", "primary": True}]}},
    ]
    done = run_playbook(emulator, setup)
    assert [r.failed for r in done.results] == [False, False], [r.get("msg") for r in done.results]
    tasks = [task("schema", title="Frozen", identities=[{"field": "_emulated.email", "namespace": "ECID", "primary": True}]),
             task("schema", title="Frozen", identities=[{"field": "_emulated.email", "namespace": "Email", "primary": False}])]
    check, real = both_modes(emulator, tasks)
    keep = "keep {field: _emulated.email, namespace: Email, primary: true}, or use a new schema"
    assert_refused(check, real, [
        ["identities: schema 'Frozen' is enabled for Profile, so the namespace of its primary identity _emulated.email "
         "cannot change from Email to ECID (AEP: XDM-1022)", keep],
        ["identities: schema 'Frozen' is enabled for Profile, so its primary identity _emulated.email cannot be demoted "
         "to primary: false (AEP: XDM-1022)", keep],
    ])
    # the unchanged identity (namespace in another case) is in sync: no change, no write
    emulator.clear_log()
    same = run_playbook(emulator, [task("schema", title="Frozen", identities=[
        {"field": "_emulated.email", "namespace": "Email", "primary": True}])])
    assert not same[0].failed and not same[0].changed, same[0].get("msg")
    assert emulator.writes() == []


def test_a_base_connection_of_another_connection_spec_is_refused(emulator):
    base = run_playbook(emulator, [{"name": "base", "aep.platform.base_connection": {
        "name": "HTTP base", "connection_spec_id": HTTP_SPEC,
        "auth": {"spec_name": "Streaming Connection", "params": {"name": "HTTP base", "dataType": "raw"}}}}])
    assert not base[0].failed, base[0].get("msg")
    base_id = base[0]["id"]
    tasks = [task("source_connection", name="Chatlio source", connection_spec_id=CHATLIO_SPEC,
                  provider_id=STREAMING_PROVIDER, base_connection_id=base_id)]
    check, real = both_modes(emulator, tasks)
    assert_refused(check, real, [
        ["base_connection_id: base connection %s (HTTP base) is of connection spec %s, but this source connection is of "
         "connection spec %s (connection_spec_id)" % (base_id, HTTP_SPEC, CHATLIO_SPEC),
         "pass a base connection made with connection spec %s" % CHATLIO_SPEC],
    ])
    # the same base connection with its own connection spec is legal
    legal = run_playbook(emulator, [task("source_connection", name="HTTP source", connection_spec_id=HTTP_SPEC,
                                         provider_id=STREAMING_PROVIDER, base_connection_id=base_id)])
    assert not legal[0].failed and legal[0].changed, legal[0].get("msg")
