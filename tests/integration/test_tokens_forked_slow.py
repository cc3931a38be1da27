"""Forked modules (``AEP_IN_PROCESS=0``) with short-lived tokens under simulated slowness (issue 10, item 4).

A forked module never receives the client secret, so it cannot replace its token: the controller must hand it one
that outlives its run (``plugin_utils/credentials.py``, ``token_cache.handover_margin``: 7.5 s for the emulator's
15 s tokens here). The slowness is the emulator's injected latency on the module's first AEP call, which the emulator
applies before it checks the token; the token's age is set by the test, not by the machine's load:

* a shared token with 7 s or less left (above the 3 s at which the play replaces it, below the 7.5 s margin) and a
  module whose call takes 6 s: the controller replaces the token once for the play, and every module succeeds (the
  aged token would have expired before the call was checked: a 401 the module could not recover from);
* a module whose call outlasts a whole token lifetime gets a 401 whose message says what happened and how to fix it.
"""
import re
import subprocess
import time

import pytest
import yaml

from harness import CLIENT_SECRET, ORG, Emulator, ansible_env

from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
from ansible_collections.aep.platform.plugins.module_utils.token_cache import handover_margin
from ansible_collections.aep.platform.plugins.plugin_utils.credentials import connection_params

LIFETIME = 15  # seconds: the emulator's token lifetime
SANDBOXES = ["slow%02d" % i for i in range(1, 5)]
SLOW_CALL = r"/flowservice/sourceConnections$"  # the first AEP call of source_connection_info


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    directory = tmp_path_factory.mktemp("slow-tokens")
    config = {"token_lifetime_seconds": LIFETIME, "orgs": [{
        "id": ORG, "tenant": "emulated",
        "credentials": [{"client_id": "aep-emulator-client", "client_secret": CLIENT_SECRET}],
        "sandboxes": [{"name": "prod", "title": "Production", "type": "production", "default": True}]
        + [{"name": name, "title": name, "type": "development"} for name in SANDBOXES]}]}
    path = directory / "config.yml"
    path.write_text(yaml.safe_dump(config))
    emu = Emulator(config=path)
    yield emu
    emu.stop()


@pytest.fixture
def forked_env(emulator, tmp_path, monkeypatch):
    """The playbook's environment (forked modules, a token store of this test), also this process's store."""
    emulator.reset()
    emulator.clear_log()
    monkeypatch.setenv("AEP_TOKEN_CACHE_DIR", str(tmp_path / "cache"))
    return ansible_env(emulator, extra_env={"AEP_IN_PROCESS": "0", "AEP_TOKEN_CACHE_DIR": str(tmp_path / "cache")})


def run_play(tmp_path, env, sandboxes):
    inventory, play = tmp_path / "hosts.yml", tmp_path / "play.yml"
    inventory.write_text(yaml.safe_dump({"sandboxes": {
        "hosts": {name: {"aep_sandbox": name} for name in sandboxes},
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}))
    # the secret stays in the environment (AEP_CLIENT_SECRET), as the docs suggest; the module never receives it
    play.write_text(yaml.safe_dump([{"name": "slow", "hosts": "sandboxes", "gather_facts": False, "tasks": [
        {"name": "read", "aep.platform.source_connection_info": {"name": "x", "sandbox": "{{ aep_sandbox }}"}}]}]))
    return subprocess.run(["ansible-playbook", "-i", str(inventory), "-f", str(len(sandboxes)), str(play)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def ims_and_401(emulator):
    entries = emulator.client.request_log()
    return (len([e for e in entries if e["path"].startswith("/ims/")]),
            len([e for e in entries if e["status"] == 401 and not e["path"].startswith("/ims/")]))


def slow_calls_taken(emulator, armed):
    active = emulator.hook("GET", "/faults")["faults"]
    return armed - (active[0]["count"] if active else 0)


def test_forked_modules_get_a_token_that_outlives_their_slow_run(emulator, forked_env, tmp_path):
    # the play's shared token, as an earlier task left it: fetched now, the store knows when
    client = AepClient.from_params(connection_params({}, environ=forked_env))
    fetched = client.fetch_token()
    fetched_at = time.time()
    assert fetched["expires_in"] == LIFETIME and client.token_store is not None
    latency = 6.0  # each module's first call: shorter than the margin, longer than the 3 s the play's replacement leaves
    assert 3.0 < latency < handover_margin(LIFETIME)
    emulator.hook("POST", "/faults", json={"method": "GET", "path": SLOW_CALL, "count": len(SANDBOXES),
                                           "latency_ms": int(latency * 1000)})
    # age it to 7 s left (below the 7.5 s margin, above the 3 s at which the play would replace it): handed over
    # from now on, its call would reach AEP after the token's expiry (7 s - 6 s latency - the module's start-up)
    time.sleep(max(0.0, fetched_at + LIFETIME - 7.0 - time.time()))
    proc = run_play(tmp_path, forked_env, SANDBOXES)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert slow_calls_taken(emulator, len(SANDBOXES)) == len(SANDBOXES)  # every module's call was slow
    # the test's token, then one replacement for the play's 4 tasks; no call was refused
    assert ims_and_401(emulator) == (2, 0)
    assert CLIENT_SECRET not in proc.stdout + proc.stderr


def test_forked_module_whose_token_expires_during_its_run_says_what_happened(emulator, forked_env, tmp_path):
    # one module's first call takes longer than a whole token lifetime: no margin covers it
    emulator.hook("POST", "/faults", json={"method": "GET", "path": SLOW_CALL, "count": 1,
                                           "latency_ms": (LIFETIME + 2) * 1000})
    proc = run_play(tmp_path, forked_env, SANDBOXES[:1])
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output[-3000:]
    assert ims_and_401(emulator) == (1, 1)
    assert "401" in output
    assert re.search(r"the access token that the controller handed to this forked module expired during the module's run: "
                     r"it had \d+ s of its 15 s lifetime left", output), output[-3000:]
    assert "Run the task again" in output and "never receives the client secret" in output
    assert "client_secret so that one is fetched" not in output
    assert CLIENT_SECRET not in output and "emu-at-" not in output
