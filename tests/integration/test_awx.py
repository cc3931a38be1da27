"""The repository as an AWX/AAP project, run the way AWX runs it, against the emulator.

AWX's pieces, emulated without a container runtime:

* project sync: a copy of the repository (tracked and new files, as a clone would have them) and
  ``ansible-galaxy collection install -r collections/requirements.yml`` from the project root into the private
  data dir's ``requirements_collections``, which jobs get as ``ANSIBLE_COLLECTIONS_PATH``;
* credential: the injectors of ``docs/awx-credential-type.yml`` rendered with the credential's inputs, given to
  the job as environment variables (never as extra vars, never written to ``env/``: AWX omits env files);
* inventory source ``inventories/dynamic/aep.sandboxes.yml`` (the ``aep.platform.sandboxes`` plugin) synced with
  ``ansible-inventory --list``; the job's inventory is that JSON served by a script, as AWX does;
* job template: ``playbooks/onboard_chatlio.yml`` run by ``ansible_runner.run`` in the private data dir, fact
  storage on (jsonfile fact cache in the job's artifacts), then job slicing: the same job as two slices.

Also: ``ansible-builder create`` on ``execution-environment.yml``, and ``meta/execution-environment.yml`` read by
``ansible-builder introspect``.
"""
import json
import os
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jinja2
import pytest
import yaml

import harness
from harness import CHATLIO_FLOW as FLOW
from harness import CLIENT_ID, CLIENT_SECRET, ORG, REPO

BIN = Path(sys.executable).parent
# AWX tooling comes with requirements-dev.txt (make venv); the compat venvs of make test install only the test needs
ansible_runner = pytest.importorskip("ansible_runner", reason="ansible-runner is not installed (requirements-dev.txt)")
if not (BIN / "ansible-builder").exists():
    pytest.skip("ansible-builder is not installed (requirements-dev.txt)", allow_module_level=True)
SANDBOXES = ["prod", "dev", "stage", "awx-1", "awx-2", "awx-3"]


def _tool(name):
    return str(BIN / name)


def test_ansible_builder_create_makes_a_build_context(tmp_path):
    proc = subprocess.run([_tool("ansible-builder"), "create", "-f", str(REPO / "execution-environment.yml"),
                           "-c", str(tmp_path / "context"), "--output-filename", "Containerfile"],
                          capture_output=True, text=True, cwd=str(tmp_path), check=False, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = (tmp_path / "context" / "Containerfile").read_text()
    assert "quay.io/centos/centos:stream9" in containerfile
    assert "ansible-runner" in containerfile
    # the EE installs the supported cores: from requires_ansible (meta/runtime.yml) to the newest tested (2.21)
    requires = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())["requires_ansible"]
    assert requires == ">=2.19.0"
    assert "ansible-core>=2.19,<2.22" in containerfile and "python3.12" in containerfile
    requirements = (tmp_path / "context" / "_build" / "requirements.txt").read_text()
    assert "requests" in requirements


def test_collection_metadata_names_its_python_requirements(tmp_path):
    """An EE that installs aep.platform as a collection gets requests through meta/execution-environment.yml."""
    install = subprocess.run([_tool("ansible-galaxy"), "collection", "install", "--force", "-p", str(tmp_path / "c"),
                              str(REPO)], capture_output=True, text=True, check=False, timeout=120,
                             env=harness.ansible_env())
    assert install.returncode == 0, install.stdout + install.stderr
    proc = subprocess.run([_tool("ansible-builder"), "introspect", "--sanitize", str(tmp_path / "c")],
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "requests>=2.25  # from collection aep.platform" in proc.stdout, proc.stdout


def _project_copy(dest):
    """The repository's files as a clone of this revision would have them (tracked plus new, not ignored)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=str(REPO),
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _credential_env(emulator):
    """The env injectors of docs/awx-credential-type.yml, rendered as AWX renders them (Jinja, credential inputs)."""
    credential_type = yaml.safe_load((REPO / "docs" / "awx-credential-type.yml").read_text())
    inputs = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "org_id": ORG, "scopes": "",
              "platform_url": emulator.url, "ims_url": emulator.url}
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return {name: env.from_string(value).render(**inputs) for name, value in credential_type["injectors"]["env"].items()}


def _inventory_script(directory, data):
    """AWX hands a job its inventory as a script printing the synced inventory's JSON."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "hosts"
    script.write_text("#!%s\nimport json, sys\nDATA = json.loads(%r)\nprint(json.dumps(DATA if '--list' in sys.argv else {}))\n"
                      % (sys.executable, json.dumps(data)))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return directory


def _slice(inventory, index, count):
    """The inventory of slice ``index`` (1-based) of ``count``, as AWX slices a job: every count-th host."""
    hosts = sorted(inventory["_meta"]["hostvars"])
    chosen = hosts[index - 1::count]
    return {"_meta": {"hostvars": {h: inventory["_meta"]["hostvars"][h] for h in chosen}},
            "all": {"children": ["aep_sandboxes", "ungrouped"]},
            "aep_sandboxes": {"hosts": chosen}}


@pytest.fixture
def awx(emulator, tmp_path):
    """A synced project, the credential's environment and the synced dynamic inventory."""
    for name in SANDBOXES[3:]:
        emulator.hook("POST", "/sandboxes", json={"name": name, "title": name.upper(), "type": "development"})
    project = _project_copy(tmp_path / "project")
    assert not (project / ".collections").exists()
    credential = _credential_env(emulator)
    sync_env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "ANSIBLE_"))}
    sync_env["PATH"] = "%s%s%s" % (BIN, os.pathsep, os.environ.get("PATH", ""))
    collections = tmp_path / "requirements_collections"
    galaxy = subprocess.run([_tool("ansible-galaxy"), "collection", "install", "-r", "collections/requirements.yml",
                             "-p", str(collections)], cwd=str(project), env=sync_env, capture_output=True, text=True,
                            check=False, timeout=300)
    assert galaxy.returncode == 0, galaxy.stdout + galaxy.stderr
    assert (collections / "ansible_collections" / "aep" / "platform" / "roles" / "streaming_source").is_dir()
    job_env = dict(credential, ANSIBLE_COLLECTIONS_PATH=str(collections), PATH=sync_env["PATH"])
    # inventory sync: the project's inventory source file, with all sandbox types (development and production)
    source = yaml.safe_load((project / "inventories" / "dynamic" / "aep.sandboxes.yml").read_text())
    source.pop("types", None)
    (project / "inventories" / "dynamic" / "aep.sandboxes.yml").write_text(yaml.safe_dump(source))
    sync = subprocess.run([_tool("ansible-inventory"), "-i", "inventories/dynamic/aep.sandboxes.yml", "--list"],
                          cwd=str(project), env=dict(sync_env, **job_env), capture_output=True, text=True,
                          check=False, timeout=300)
    assert sync.returncode == 0, sync.stdout + sync.stderr
    inventory = json.loads(sync.stdout)
    assert sorted(inventory["aep_sandboxes"]["hosts"]) == sorted(SANDBOXES)
    assert CLIENT_SECRET not in sync.stdout
    return {"project": project, "env": job_env, "inventory": inventory, "root": tmp_path}


def _job(awx, name, inventory, extravars=None, playbook="playbooks/onboard_chatlio.yml"):
    """One AWX job: its own private data dir holding the project, run by ansible-runner."""
    pdd = awx["root"] / name
    shutil.copytree(awx["project"], pdd / "project", symlinks=True)
    _inventory_script(pdd / "inventory", inventory)
    # "Enable fact storage" on the job template: AWX turns on the jsonfile fact cache in the job's artifacts
    env = dict(awx["env"], ANSIBLE_CACHE_PLUGIN="jsonfile",
               ANSIBLE_CACHE_PLUGIN_CONNECTION=str(pdd / "artifacts" / name / "fact_cache"))
    run = ansible_runner.run(private_data_dir=str(pdd), playbook=playbook, inventory=str(pdd / "inventory" / "hosts"),
                             envvars=env, extravars=extravars or {}, suppress_env_files=True,
                             fact_cache_type="jsonfile", quiet=True, ident=name)
    events = list(run.events)
    stats = [e for e in events if e["event"] == "playbook_on_stats"]
    assert stats, (pdd / "artifacts" / name / "stdout").read_text()[-4000:]
    stats = stats[0]["event_data"]
    return run, pdd, events, stats


def _fact_cache(directory, hosts):
    """The facts AWX would store per host, read with ansible-core's own jsonfile cache plugin (a subprocess, so the
    collection loader stays out of the test process)."""
    code = ("import json, sys\n"
            "from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder\n"
            "_AnsibleCollectionFinder()._install()\n"
            "from ansible.plugins.loader import cache_loader\n"
            "cache = cache_loader.get('ansible.builtin.jsonfile', _uri=sys.argv[1])\n"
            "print(json.dumps({h: cache.get(h) for h in sys.argv[2:] if cache.contains(h)}, default=str))\n")
    proc = subprocess.run([sys.executable, "-c", code, str(directory)] + list(hosts), capture_output=True, text=True,
                          check=True, timeout=60)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _assert_no_secret(pdd, stats):
    """No client secret and no access token in the job's events, output, fact cache or artifacts (set_stats).

    ansible-runner's own ``artifacts/<ident>/command`` records the job's environment, credential included; AWX keeps
    it in the job's private work dir and shows none of it, so it is not part of what a user sees."""
    token_prefix = "emu-at-"
    seen = [json.dumps(stats)]
    for path in (pdd / "artifacts").rglob("*"):
        if path.is_file() and path.name != "command":
            seen.append(path.read_text(errors="replace"))
    assert len(seen) > 10
    for text in seen:
        assert CLIENT_SECRET not in text
        assert token_prefix not in text
    assert not (pdd / "env" / "envvars").exists()


def test_awx_job_then_two_slices_report_every_webhook_url(awx, emulator):
    run, pdd, events, stats = _job(awx, "job-1", awx["inventory"], {"awx_job_id": 1})
    assert run.status == "successful", run.stdout.read()[-4000:]
    # sandbox -> dataflow name -> entry, as in the artifacts file (a sandbox may hold several sources)
    by_flow = stats["artifact_data"]["aep_onboarding"]
    assert sorted(by_flow) == sorted(SANDBOXES) and all(list(flows) == [FLOW] for flows in by_flow.values()), by_flow
    summary = {sandbox: flows[FLOW] for sandbox, flows in by_flow.items()}
    assert {entry["preset"] for entry in summary.values()} == {"chatlio"}
    for sandbox, entry in summary.items():
        flows = emulator.api("GET", "/data/foundation/flowservice/flows", sandbox=sandbox,
                             params={"property": "name==%s" % FLOW}).json()["items"]
        assert [f["id"] for f in flows] == [entry["flow_id"]]
        assert entry["webhook_url"].endswith("?x-adobe-flow-id=" + entry["flow_id"])
    assert stats["artifact_data"]["aep_onboarding_job_1"] == by_flow
    # fact storage: the job's jsonfile fact cache holds every sandbox's webhook URL (cacheable facts)
    cached = _fact_cache(pdd / "artifacts" / "job-1" / "fact_cache", SANDBOXES)
    for sandbox in SANDBOXES:
        facts = cached[sandbox]
        assert facts["aep_webhook_url"] == summary[sandbox]["webhook_url"]
        assert facts["streaming_source_result"]["flow_id"] == summary[sandbox]["flow_id"]
    # the summary is in the job's stdout, one line per sandbox
    stdout = (pdd / "artifacts" / "job-1" / "stdout").read_text()
    for sandbox in SANDBOXES:
        assert summary[sandbox]["webhook_url"] in stdout
    _assert_no_secret(pdd, stats)

    # the same job template with job slicing: two slices at once, each with half the inventory
    slices = [_slice(awx["inventory"], i, 2) for i in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda i: _job(awx, "slice-%d" % i, slices[i - 1], {"awx_job_id": 10 + i}), (1, 2)))
    artifacts = {}
    for (run, pdd, events, stats), part in zip(results, slices):
        assert run.status == "successful", run.stdout.read()[-4000:]
        data = stats["artifact_data"]
        assert sorted(data["aep_onboarding"]) == sorted(part["aep_sandboxes"]["hosts"])
        assert {entry["state"] for flows in data["aep_onboarding"].values() for entry in flows.values()} == {"unchanged"}
        _assert_no_secret(pdd, stats)
        # AWX merges the artifacts of a workflow's jobs key by key (dict.update): the per-job key survives
        artifacts.update(data)
    job_keys = sorted(k for k in artifacts if k.startswith("aep_onboarding_job_"))
    assert job_keys == ["aep_onboarding_job_11", "aep_onboarding_job_12"]

    # the documented aggregation step: a workflow node after the slices gets the merged artifacts as extra vars
    run, pdd, events, stats = _job(awx, "gather", {"_meta": {"hostvars": {}}}, artifacts,
                                   playbook="playbooks/gather_inlet_urls.yml")
    assert run.status == "successful", run.stdout.read()[-4000:]
    gathered = stats["artifact_data"]["aep_inlet_urls"]
    assert gathered == {s: {FLOW: {k: summary[s][k] for k in ("webhook_url", "flow_id", "dataset_id")}} for s in SANDBOXES}
    assert "%d dataflows in %d sandboxes from 2 job(s)" % (len(SANDBOXES), len(SANDBOXES)) in (pdd / "artifacts" / "gather" / "stdout").read_text()
    _assert_no_secret(pdd, stats)
