"""Helpers for the onboarding tests: run the repository's playbooks against an emulator fixture."""
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import requests
import yaml

import harness
from harness import CLIENT_ID, CLIENT_SECRET, ORG, REPO

SANDBOXES = ("prod", "dev", "stage")


def write_static_inventory(directory, emulator, sandboxes=SANDBOXES):
    """An inventory like inventories/local whose vars point at the emulator fixture."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    inventory = {"aep_sandboxes": {
        "hosts": {name: {"aep_sandbox": name} for name in sandboxes},
        "vars": {
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "aep_platform_url": emulator.url,
            "aep_ims_url": emulator.url,
            "aep_client_id": CLIENT_ID,
            "aep_client_secret": CLIENT_SECRET,
            "aep_org_id": ORG,
        },
    }}
    path = directory / "hosts.yml"
    path.write_text(yaml.safe_dump(inventory, sort_keys=False))
    return path


def write_dynamic_inventory(directory, emulator, **options):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = {"plugin": "aep.platform.sandboxes", "platform_url": emulator.url, "ims_url": emulator.url,
              "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "org_id": ORG}
    config.update(options)
    # the plugin's credentials are for listing sandboxes; the playbooks get theirs from group_vars next to
    # the inventory source (or from the AEP_* environment, as in AWX)
    (directory / "group_vars").mkdir(exist_ok=True)
    (directory / "group_vars" / "aep_sandboxes.yml").write_text(yaml.safe_dump({
        "aep_platform_url": emulator.url, "aep_ims_url": emulator.url, "aep_client_id": CLIENT_ID,
        "aep_client_secret": CLIENT_SECRET, "aep_org_id": ORG}))
    path = directory / "aep.sandboxes.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def ansible_env(json_output=True, extra=None):
    """The harness environment with the repository's ansible.cfg and no AEP_* variables (the inventory
    alone must be enough)."""
    env = harness.ansible_env(extra_env={"ANSIBLE_CONFIG": str(REPO / "ansible.cfg")})
    for name in [n for n in env if n.startswith("AEP_")]:
        del env[name]
    if json_output:
        env.update({"ANSIBLE_CALLBACK_PLUGINS": str(harness.CALLBACKS), "ANSIBLE_STDOUT_CALLBACK": "results_json"})
    env.update(extra or {})
    return env


class Run:
    def __init__(self, proc, wall, cpu):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.wall = wall
        self.cpu = cpu
        self.data = None
        try:
            self.data = json.loads(proc.stdout)
        except ValueError:
            pass

    def __repr__(self):
        return "Run(rc=%s)\nSTDOUT:\n%s\nSTDERR:\n%s" % (self.rc, self.stdout[-6000:], self.stderr[-3000:])

    @property
    def stats(self):
        return self.data["stats"]

    @property
    def custom_stats(self):
        return self.data.get("custom_stats", {})

    def host_results(self, task_name):
        """{host: result} of the task(s) named ``task_name`` (last one wins)."""
        found = {}
        for play in self.data["plays"]:
            for task in play["tasks"]:
                if short_name(task) == task_name:
                    found.update(task["hosts"])
        return found

    def changed_tasks(self, host):
        names = []
        for play in self.data["plays"]:
            for task in play["tasks"]:
                result = task["hosts"].get(host)
                if result and result.get("changed"):
                    names.append(short_name(task))
        return names

    def diffs(self, host):
        out = []
        for play in self.data["plays"]:
            for task in play["tasks"]:
                result = task["hosts"].get(host) or {}
                if result.get("diff"):
                    out.append((short_name(task), result["diff"]))
        return out


def short_name(task):
    """A task's name without the "role : " prefix."""
    return task["task"]["name"].split(" : ")[-1]


def run_playbook(playbook, inventory, *args, json_output=True, extra_env=None, timeout=900):
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory),
           str(REPO / "playbooks" / playbook)] + [str(a) for a in args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO), check=False, timeout=timeout,
                          env=ansible_env(json_output, extra_env))
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(proc, wall, cpu)


def flows_named(emulator, sandbox, name):
    resp = emulator.api("GET", "/data/foundation/flowservice/flows", sandbox=sandbox,
                        params={"property": "name==%s" % name})
    resp.raise_for_status()
    return resp.json().get("items", [])


def post_event(url, event):
    resp = requests.post(url, json=event, timeout=10)
    resp.raise_for_status()
    return resp.json()
