"""Check mode and the mapping set version (issue 8): a dataflow accepts a mapping version that does not exist yet only
when the check-mode mapping_set task predicted it (``version_predicted`` -> ``mapping_version_predicted``). Without the
marker, check mode fails exactly as the real run fails; with it, only the predicted version (latest + 1) passes."""
import pytest

from harness import flow_object, make_flow_connections, make_schema_dataset_mapping, run_playbook

NAME = "Prediction flow (it)"
PAIRS = [("visitor.UUID", "UUID"), ("visitor.email", "chatlio_email"), ("message", "message"),
         ("channelId", "channel_ID"), ("slackChannelId", "slackchannel_ID"), ("slackChannelName", "slackchannel_name")]


@pytest.fixture
def fx(emulator):
    fixtures = make_schema_dataset_mapping(emulator)
    fixtures.update(make_flow_connections(emulator, fixtures))
    run = run_playbook(emulator, [flow_task(fixtures, mapping_version=0)])
    assert not run[0].failed, run[0]
    fixtures["flow_id"] = run[0]["id"]
    emulator.clear_log()
    return fixtures


def flow_task(fx, **args):
    body = {"name": NAME, "source_connection_ids": [fx["source_id"]], "target_connection_ids": [fx["target_id"]],
            "mapping_id": fx["mapping_id"]}
    body.update(args)
    return {"name": "flow", "aep.platform.flow": body}


def mapping_task(fx, message_from="message"):
    mappings = [{"source": message_from if d == "message" else s, "destination": "_emulated." + d} for s, d in PAIRS]
    mappings += [{"source": "uuid()", "source_type": "EXPRESSION", "destination": "_id"},
                 {"source": "now()", "source_type": "EXPRESSION", "destination": "timestamp"}]
    return {"name": "mapping", "register": "ms",
            "aep.platform.mapping_set": {"id": fx["mapping_id"], "schema_id": fx["schema_id"], "mappings": mappings}}


def chain(fx, message_from):
    flow = flow_task(fx, mapping_version="{{ ms.version }}", mapping_version_predicted="{{ ms.version_predicted }}")
    return [mapping_task(fx, message_from), flow]


def flow_version(emulator, fx):
    return int(flow_object(emulator, "/flows", fx["flow_id"])["transformations"][0]["params"]["mappingVersion"])


@pytest.mark.parametrize("version", [1, 2])
def test_unborn_version_without_prediction_fails_in_check_mode_as_in_the_real_run(emulator, fx, version):
    expected = "mapping_version: mapping set %s has no version %d (latest is 0)" % (fx["mapping_id"], version)
    check = run_playbook(emulator, [flow_task(fx, mapping_version=version)], check=True, diff=True)[0]
    assert check.failed and check["msg"] == expected, check
    assert emulator.writes() == []
    real = run_playbook(emulator, [flow_task(fx, mapping_version=version)])[0]
    assert real.failed and real["msg"] == check["msg"], real
    assert emulator.writes() == [] and flow_version(emulator, fx) == 0


def test_predicted_marker_accepts_only_latest_plus_one(emulator, fx):
    ok = run_playbook(emulator, [flow_task(fx, mapping_version=1, mapping_version_predicted=True)], check=True,
                      diff=True)[0]
    assert not ok.failed and ok.changed, ok
    assert ok.diff["before"]["mapping_version"] == 0 and ok.diff["after"]["mapping_version"] == 1
    too_far = run_playbook(emulator, [flow_task(fx, mapping_version=2, mapping_version_predicted=True)], check=True)[0]
    assert too_far.failed and "has no version 2 (latest is 0)" in too_far["msg"], too_far
    # outside check mode the marker changes nothing: the version must exist
    real = run_playbook(emulator, [flow_task(fx, mapping_version=1, mapping_version_predicted=True)])[0]
    assert real.failed and "has no version 1 (latest is 0)" in real["msg"], real
    assert emulator.writes() == [] and flow_version(emulator, fx) == 0


def test_changed_mapping_chain_check_then_real(emulator, fx):
    check = run_playbook(emulator, chain(fx, "text"), check=True, diff=True)
    assert len(check) == 2, check[0]
    mapping, flow = check[0], check[1]
    assert not flow.failed and mapping.changed and flow.changed, check
    assert mapping["version"] == 1 and mapping["version_predicted"] is True
    assert flow.diff["after"]["mapping_version"] == 1
    assert emulator.writes() == []

    real = run_playbook(emulator, chain(fx, "text"))
    assert not real[1].failed and real[0].changed and real[1].changed, real
    assert real[0]["version"] == 1 and real[0]["version_predicted"] is False
    assert flow_version(emulator, fx) == 1

    # converged: nothing predicted, nothing changed, in check mode and for real
    emulator.clear_log()
    again = run_playbook(emulator, chain(fx, "text"), check=True, diff=True)
    assert not again[0].changed and not again[1].changed and again[0]["version_predicted"] is False, again
    assert emulator.writes() == []
