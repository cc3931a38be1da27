"""The module server under ansible-playbook (plugins/plugin_utils/module_server.py): every in-process task of a
rollout runs its logic there, with the same results as in the task workers, and nothing outlives the run."""
import os
import shutil
import tempfile
import signal
import subprocess
import sys
import time
from pathlib import Path

from harness import REPO, artifact_entries
from onboard_helpers import ansible_env, run_playbook, write_static_inventory

SANDBOXES = ("prod", "dev", "stage")


def _server_processes(parent_pid=None):
    """Pids of running module servers (of ``parent_pid`` when given), from /proc."""
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as cmdline:
                argv = cmdline.read().split(b'\0')
            with open('/proc/%s/stat' % entry) as stat:
                if stat.read().rsplit(')', 1)[1].split()[0] == 'Z':
                    continue
        except OSError:
            continue
        if len(argv) > 5 and argv[1].endswith(b'module_server.py') and argv[2] == b'--serve':
            if parent_pid is None or argv[5] == str(parent_pid).encode():
                found.append(int(entry))
    return found


def _short_tmpdir(tmp_path, name):
    """A TMPDIR short enough for the socket path (a deep one makes the server use /tmp, test_module_server.py)."""
    return Path(tempfile.mkdtemp(prefix=name, dir="/tmp"))


def test_rollout_runs_every_module_in_the_server_with_the_same_results(emulator, tmp_path):
    inventory = write_static_inventory(tmp_path / "inventory", emulator, SANDBOXES)
    runs = {}
    for name, switch in (("served", "1"), ("workers", "0")):
        scratch = _short_tmpdir(tmp_path, name)
        artifacts = tmp_path / ("%s.json" % name)
        for attempt in ("fresh", "converged"):
            runs[name, attempt] = run_playbook(
                "onboard_chatlio.yml", inventory, "-vvvv", "-e", "aep_artifacts_file=%s" % artifacts,
                "-e", "streaming_source_prefix=%s" % name.capitalize(), json_output=False,
                extra_env={"AEP_MODULE_SERVER": switch, "TMPDIR": str(scratch)})
            assert runs[name, attempt].rc == 0, runs[name, attempt]
        assert list(scratch.glob("aep-module-server-*")) == [], "the server's socket directory outlived the run"
        shutil.rmtree(scratch)
    served = runs["served", "fresh"].stdout
    # 7 objects per sandbox, plus the play's token and spec look-ups (run once)
    assert served.count("module logic run by the module server") >= 7 * len(SANDBOXES)
    assert "module logic run in the task worker" not in served
    assert "module logic run in the task worker" in runs["workers", "fresh"].stdout
    assert "module logic run by the module server" not in runs["workers", "fresh"].stdout
    for name in ("served", "workers"):
        assert "changed=0" in runs[name, "converged"].stdout and "changed=1" not in runs[name, "converged"].stdout
    for name in ("served", "workers"):
        entries = artifact_entries(tmp_path / ("%s.json" % name))
        assert sorted(entries) == sorted(SANDBOXES), entries
        assert all(entry["webhook_url"].startswith(emulator.url) for entry in entries.values())


def test_kill_9_of_ansible_playbook_leaves_no_server_and_no_socket(emulator, tmp_path):
    inventory = write_static_inventory(tmp_path / "inventory", emulator, SANDBOXES)
    scratch = _short_tmpdir(tmp_path, "kill")
    env = ansible_env(json_output=False, extra={"TMPDIR": str(scratch)})
    env.pop("AEP_MODULE_SERVER", None)
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), str(REPO / "playbooks" / "onboard_chatlio.yml"),
           "-e", "aep_artifacts_file=%s" % (tmp_path / "a.json")]
    process = subprocess.Popen(cmd, cwd=str(REPO), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while not _server_processes(process.pid) and time.time() < deadline and process.poll() is None:
            time.sleep(0.05)
        servers = _server_processes(process.pid)
        assert servers, "no module server started"
        assert list(scratch.glob("aep-module-server-*"))
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    deadline = time.time() + 20
    while (_server_processes(process.pid) or list(scratch.glob("aep-module-server-*"))) and time.time() < deadline:
        time.sleep(0.1)
    assert _server_processes(process.pid) == [], "the module server outlived a killed ansible-playbook"
    assert list(scratch.glob("aep-module-server-*")) == []
    shutil.rmtree(scratch)
