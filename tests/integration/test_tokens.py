"""Tokens under load, through ansible-playbook against the emulator (issue 10, "Tokens and shared files under load").

* A token that expires mid-run over 20 sandboxes costs a few IMS requests for the whole play, not one per task
  (counted in the emulator's request log), in-process and forked.
* ``kill -9`` of a forked-mode run leaves no file that holds the client secret or an access token.
"""
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from harness import CLIENT_SECRET, ORG, Emulator, ansible_env

from ansible_collections.aep.platform.plugins.module_utils.token_cache import handover_margin

SANDBOXES = ["tok%02d" % i for i in range(1, 21)]
# The kill -9 test's own credential: a secret no other test or process on the machine has, so that a file another
# process writes meanwhile (a benchmark's checkout under /tmp holds the tests' CLIENT_SECRET) is never taken for a leak.
KILL9_CLIENT = "aep-kill9-client"
KILL9_SECRET = "kill9-" + secrets.token_hex(16)
# An emulator token in full (``emu-at-`` + 43 url-safe characters, aep_emulator.domain.ims), not the prefix that source
# files hold.
TOKEN = re.compile(rb"emu-at-[A-Za-z0-9_-]{43}")
# seconds: the emulator's token lifetime, shorter than the play. A forked module, which cannot replace its token, is
# handed one with at least half of it left (token_cache.handover_margin: 7.5 s), not the last fifth (3 s) at which
# the play replaces it: a forked module's start-up on a loaded machine took longer than 3 s (tests/integration/
# test_tokens_forked_slow.py reproduces that with injected latency instead of load).
LIFETIME = 15


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory):
    """An emulator whose tokens live ``LIFETIME`` seconds, with the 20 sandboxes."""
    directory = tmp_path_factory.mktemp("short-lived")
    config = {"token_lifetime_seconds": LIFETIME, "orgs": [{
        "id": ORG, "tenant": "emulated",
        "credentials": [{"client_id": "aep-emulator-client", "client_secret": CLIENT_SECRET},
                        {"client_id": KILL9_CLIENT, "client_secret": KILL9_SECRET}],
        "sandboxes": [{"name": "prod", "title": "Production", "type": "production", "default": True}]
        + [{"name": name, "title": name, "type": "development"} for name in SANDBOXES]}]}
    path = directory / "config.yml"
    path.write_text(yaml.safe_dump(config))
    emu = Emulator(config=path)
    yield emu
    emu.stop()


def write_inventory(directory, sandboxes=SANDBOXES):
    path = Path(directory) / "hosts.yml"
    path.write_text(yaml.safe_dump({"sandboxes": {
        "hosts": {name: {"aep_sandbox": name} for name in sandboxes},
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}))
    return path


def write_play(directory, tasks):
    """The role's shape: one token for the play (run_once), then every task gets it as access_token; the
    client secret stays in the environment (AEP_CLIENT_SECRET), as the docs suggest."""
    play = [{"name": "tokens", "hosts": "sandboxes", "gather_facts": False,
             "module_defaults": {"group/aep.platform.aep": {"sandbox": "{{ aep_sandbox }}"}},
             "tasks": [{"name": "token", "aep.platform.token": {}, "register": "tok", "run_once": True, "no_log": True}]
             + tasks}]
    path = Path(directory) / "play.yml"
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    return path


def read(name):
    return {"name": name, "aep.platform.source_connection_info": {"name": name, "access_token": "{{ tok.access_token }}"}}


def ims_and_401(emulator):
    entries = emulator.client.request_log()
    ims = [e for e in entries if e["path"].startswith("/ims/")]
    rejected = [e for e in entries if e["status"] == 401 and not e["path"].startswith("/ims/")]
    return len(ims), len(rejected)


@pytest.mark.parametrize("env", [pytest.param({}, id="in-process"), pytest.param({"AEP_IN_PROCESS": "0"}, id="forked")])
def test_token_expiring_mid_run_over_20_sandboxes_costs_a_few_ims_requests(short_lived, tmp_path, env):
    emulator = short_lived
    emulator.reset()
    emulator.clear_log()
    tasks = [read("before expiry"), {"name": "let the token expire", "ansible.builtin.pause": {"seconds": LIFETIME + 1}},
             read("after expiry 1"), read("after expiry 2")]
    play = write_play(tmp_path, tasks)
    inventory = write_inventory(tmp_path)
    environment = ansible_env(emulator, extra_env=dict(env, AEP_TOKEN_CACHE_DIR=str(tmp_path / "cache")))
    started = time.monotonic()
    proc = subprocess.run(["ansible-playbook", "-i", str(inventory), "-f", "20", str(play)], env=environment,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    elapsed = time.monotonic() - started
    ims, rejected = ims_and_401(emulator)
    # 60 module tasks over more than one token lifetime: one token at the start, one after expiry, and one more
    # each time a token is used past its replacement point during the run (0.1 used 1 + 40 IMS requests and 40
    # 401s). In-process tasks replace the token a fifth of its lifetime before expiry; the controller hands a
    # forked module a token only while half its lifetime is left.
    usable = LIFETIME - (handover_margin(LIFETIME) if env else LIFETIME / 5.0)
    assert 2 <= ims <= min(6 if env else 4, int(elapsed // usable) + 2), (ims, elapsed)
    assert rejected <= (0 if env else 1), rejected  # a forked module cannot replace a token: it would fail the task
    assert CLIENT_SECRET not in proc.stdout + proc.stderr


def _files_holding(roots, needles, since):
    """Files under ``roots`` changed since ``since`` whose bytes match one of ``needles`` (bytes or compiled regexes).
    Emulator data directories (the server's store, ``aep-emulator.sqlite3``) are not the client's files: skipped."""
    found = []
    for root in roots:
        for directory, dummy, files in os.walk(root):
            if "aep-emulator.sqlite3" in files:
                continue
            for name in files:
                path = os.path.join(directory, name)
                try:
                    if os.path.getmtime(path) < since:
                        continue
                    with open(path, "rb") as handle:
                        data = handle.read(5 * 1024 * 1024)
                except OSError:
                    continue
                if any(needle.search(data) if hasattr(needle, "search") else needle in data for needle in needles):
                    found.append(path)
    return found


def _wait_for_hanging_requests(emulator, expected, deadline, armed=1000):
    """How many requests the armed fault (``armed`` uses) has taken, polled until ``expected`` or ``deadline``."""
    taken = 0
    while time.monotonic() < deadline:
        active = emulator.hook("GET", "/faults")["faults"]
        taken = armed - (active[0]["count"] if active else 0)
        if taken >= expected:
            break
        time.sleep(0.1)
    return taken


def test_kill_9_of_a_forked_run_leaves_no_secret_or_token_on_disk(short_lived, tmp_path):
    emulator = short_lived
    emulator.reset()
    emulator.clear_log()
    since = time.time() - 1
    home, remote = tmp_path / "home", tmp_path / "remote-tmp"
    for directory in (home, remote):
        directory.mkdir()
    # TMPDIR is short and directly under /tmp (scanned below as an "aep*" name): ansible-core 2.21 starts a local
    # RPC server on a Unix socket below TMPDIR, and a socket path longer than 107 bytes (a deep pytest tmp_path
    # on a busy machine: pytest-of-<user>/pytest-<N>/popen-gw<K>/<test name>/...) stops it from starting.
    temp = Path(tempfile.mkdtemp(prefix="aep-k9-"))
    # the module hangs on its first AEP call: the run is killed while the module file is on disk
    emulator.hook("POST", "/faults", json={"method": "GET", "path": r"/flowservice/sourceConnections$",
                                           "count": 1000, "latency_ms": 30000})
    # the secret as the role passes it (task argument), and the token too (AEP_ACCESS_TOKEN is set by the play)
    play = write_play(tmp_path, [{"name": "hangs", "aep.platform.source_connection_info": {
        "name": "x", "client_secret": "{{ lookup('ansible.builtin.env', 'AEP_CLIENT_SECRET') }}",
        "access_token": "{{ tok.access_token }}", "timeout": 60}}])
    inventory = write_inventory(tmp_path, SANDBOXES[:2])
    environment = ansible_env(emulator, extra_env={
        "AEP_IN_PROCESS": "0", "HOME": str(home), "TMPDIR": str(temp), "ANSIBLE_LOCAL_TEMP": str(temp / "ansible-local"),
        "ANSIBLE_REMOTE_TEMP": str(remote), "AEP_TOKEN_CACHE_DIR": str(tmp_path / "cache"),
        "AEP_CLIENT_ID": KILL9_CLIENT, "AEP_CLIENT_SECRET": KILL9_SECRET})
    proc = subprocess.Popen(["ansible-playbook", "-i", str(inventory), str(play)], env=environment,
                            stdout=open(tmp_path / "play.out", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # Until both forked modules are running, blocked on their first AEP call: the emulator has taken the slow
        # fault once per module (its count drops as each request arrives, before the 30 s answer). This holds on
        # every core, whether it transfers the module file (2.19) or pipes the module over stdin (2.21), and under
        # any load: the wait ends on the event itself, not after a guessed delay.
        hanging = _wait_for_hanging_requests(emulator, expected=2, deadline=time.monotonic() + 240)
        assert hanging == 2, "the forked modules never reached AEP (%d of 2); play output:\n%s" % (
            hanging, (tmp_path / "play.out").read_text(errors="replace"))
        modules = list(remote.rglob("AnsiballZ_source_connection_info.py"))
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
        emulator.hook("DELETE", "/faults")
    if modules:
        assert list(remote.rglob("AnsiballZ_source_connection_info.py")), "kill -9 should leave the module file behind"
    tokens = [e for e in emulator.client.request_log() if e["path"].startswith("/ims/")]
    assert tokens, "a token was fetched"
    assert not (tmp_path / "play.out").read_text(errors="replace").count(KILL9_SECRET)
    needles = [KILL9_SECRET.encode(), TOKEN]
    # everything this run could write to: its HOME (~/.ansible/tmp), TMPDIR, remote_tmp, the token store, and
    # ansible's or aep's names directly under /tmp (other processes' files under /tmp are not this run's)
    shared_tmp = [str(p) for p in Path("/tmp").glob("*") if p.name.startswith(("ansible", "aep", "AnsiballZ"))]
    roots = [str(tmp_path), str(temp)] + shared_tmp
    try:
        assert _files_holding(roots, needles, since) == []
    finally:
        shutil.rmtree(temp, ignore_errors=True)
