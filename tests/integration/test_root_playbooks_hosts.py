"""The root playbooks (onboard, offboard, smoke) fail when their host pattern matches no inventory host: Ansible
would report such a run as a success ("no hosts matched") that did nothing (breaker4, the typo in aep_hosts)."""
import subprocess
import sys
from pathlib import Path

import pytest

from harness import REPO
from onboard_helpers import ansible_env, write_static_inventory


@pytest.mark.parametrize("playbook", ["onboard_chatlio.yml", "offboard_chatlio.yml", "smoke_chatlio.yml"])
def test_a_host_pattern_matching_no_host_fails_before_any_request(emulator, tmp_path, playbook):
    inventory = write_static_inventory(tmp_path / "inventory", emulator)
    emulator.clear_log()
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), playbook,
                           "-e", "aep_hosts=prdo", "-e", "aep_confirm=true"],
                          cwd=str(REPO), env=ansible_env(json_output=False), capture_output=True, text=True, check=False)
    assert proc.returncode != 0, proc.stdout
    assert "aep_hosts=prdo matches no host of the inventory (its groups: aep_sandboxes)" in " ".join(proc.stdout.split())
    assert emulator.client.request_log() == []
