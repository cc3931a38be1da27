"""The collection as users get it: built, installed, and its playbook run by FQCN against the emulator."""
import subprocess
import sys
from pathlib import Path

from harness import REPO, artifact_entries
from onboard_helpers import ansible_env, write_static_inventory

BIN = Path(sys.executable).parent


def _galaxy(*args, env):
    proc = subprocess.run([str(BIN / "ansible-galaxy"), "collection", *args], capture_output=True, text=True,
                          env=env, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_installed_collection_onboards_by_fqcn(emulator, tmp_path):
    env = ansible_env(json_output=False)
    _galaxy("build", str(REPO), "--output-path", str(tmp_path / "dist"), env=env)
    tarball = next((tmp_path / "dist").glob("aep-platform-*.tar.gz"))
    _galaxy("install", str(tarball), "-p", str(tmp_path / "collections"), "--force", env=env)
    installed = tmp_path / "collections" / "ansible_collections" / "aep" / "platform"
    assert (installed / "playbooks" / "onboard_chatlio.yml").is_file()
    assert not (installed / "emulator").exists() and not (installed / ".venv").exists()

    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes=("stage",))
    artifacts = tmp_path / "inlet_urls.json"
    env.update({"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "collections"), "ANSIBLE_CONFIG": str(tmp_path / "none.cfg")})
    (tmp_path / "none.cfg").write_text("[defaults]\n")
    cmd = [str(BIN / "ansible-playbook"), "-i", str(inventory), "aep.platform.onboard_chatlio",
           "-e", "aep_artifacts_file=%s" % artifacts]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=str(tmp_path), check=False, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]

    urls = artifact_entries(artifacts)
    assert list(urls) == ["stage"]
    flow_id = urls["stage"]["flow_id"]
    assert urls["stage"]["webhook_url"].endswith("?x-adobe-flow-id=" + flow_id)
    flow = emulator.api("GET", "/data/foundation/flowservice/flows/" + flow_id, sandbox="stage").json()["items"][0]
    assert urls["stage"]["inlet_url"] == flow["options"]["inletUrl"]
