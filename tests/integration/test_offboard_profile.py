"""Offboarding a sandbox whose schema is enabled for Profile (issue 8 with the refusal rule): AEP never deletes such a
schema (nor its field group), so the role stops before its first delete, in check mode and for real, with a message
saying why and what to do; nothing is removed. Without Profile the same offboarding removes everything."""
import json

import pytest

from onboard_helpers import run_playbook, write_static_inventory
from test_check_mode_chain import SANDBOX, failed_task, onboard

IDENTITY = [{"field": "{tenant}.chatlio_email", "namespace": "Email", "primary": True}]
STOP = "Remove the dataflow"  # its remove_with check covers the whole removal, before the first delete


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))


def offboard(inventory, tmp_path, *args):
    return run_playbook("offboard_chatlio.yml", inventory, "-e",
                        "aep_artifacts_file=%s" % (tmp_path / "artifacts" / "inlet_urls.json"), *args)


def test_offboarding_a_profile_sandbox_stops_before_any_delete(emulator, inventory, tmp_path):
    overrides = ["-e", json.dumps({"streaming_source_preset_overrides": {"schema": {"identities": IDENTITY,
                                                                                    "profile": True}}})]
    onboarded = onboard(inventory, tmp_path, *overrides)
    assert onboarded.rc == 0, onboarded
    emulator.clear_log()
    for args in (("--check",), ()):
        run = offboard(inventory, tmp_path, *args)
        assert run.rc != 0, run
        task, msg = failed_task(run)
        assert task == STOP, (task, msg)
        assert "is enabled for Profile, which AEP never deletes" in msg and "Nothing was removed" in msg, msg
        assert "reset the sandbox" in msg, msg
    assert emulator.writes() == [], emulator.writes()
    flows = emulator.api("GET", "/data/foundation/flowservice/flows", sandbox=SANDBOX).json()["items"]
    assert len(flows) == 1  # the dataflow still runs


def test_offboarding_without_profile_removes_everything(emulator, inventory, tmp_path):
    assert onboard(inventory, tmp_path).rc == 0
    run = offboard(inventory, tmp_path)
    assert run.rc == 0, run
    deletes = [w["path"].split("/")[3] for w in emulator.writes() if w["method"] == "DELETE"]
    assert "schemaregistry" in deletes and "catalog" in deletes and "flowservice" in deletes, deletes
