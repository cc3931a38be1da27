"""Rollout benchmark (not a test): the Chatlio onboarding over N sandboxes against Ansible's own floor.

Scenarios, side by side in one run on the same N inventory hosts (one host per sandbox):

* floor       7 trivial ``set_fact`` tasks per host (one per managed AEP object), run before and after
* fresh       ``playbooks/onboard_chatlio.yml`` on empty sandboxes (in-process modules, the default)
* converged   the same playbook again (nothing to change)
* fresh-forked / converged-forked   the same two with ``AEP_IN_PROCESS=0`` (modules forked as usual),
              under another object prefix so that "fresh" really creates
* converged-workers (``--workers``)  converged with ``AEP_MODULE_SERVER=0``: the in-process modules' logic run in
              each task's worker instead of the play's module server (plugins/plugin_utils/module_server.py)

For each it prints the controller CPU (user+sys of ansible-playbook and its children), its ratio to the
floor's CPU (mean of the two floor runs), the wall time, and the emulator's request log per sandbox: GETs,
writes (POST/PUT/PATCH/DELETE) and IMS token requests per run.

    .venv/bin/python benchmarks/bench_rollout.py [-n 100] [--forks 20] [--no-forked] [--repeat 3] [--json out.json]
    .venv/bin/python benchmarks/bench_rollout.py -n 20 --profile /tmp/prof   # cProfile of main and worker processes
    .venv/bin/python benchmarks/profiled_playbook.py --report /tmp/prof/converged  # merged profile of a scenario

With ``--repeat R`` (R > 1) the converged run and the floor are run R more times, interleaved (floor, converged,
floor, ...), and a last table gives the median ratio and its range: on a shared, noisy machine one pair of runs can
be off by 5-10%.

The emulator runs on the same machine (started here with a temporary data dir, its CPU not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml
from aep_emulator.testing import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_ORG, AepTestClient, EmulatorProcess

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WRITES = frozenset(("POST", "PUT", "PATCH", "DELETE"))
FLOOR_TASKS = ("field group", "schema", "dataset", "source connection", "target connection", "mapping set", "dataflow")


def write_inventory(directory: Path, url: str, sandboxes: list[str]) -> Path:
    inventory = {"aep_sandboxes": {
        "hosts": {name: {"aep_sandbox": name} for name in sandboxes},
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                 "aep_platform_url": url, "aep_ims_url": url, "aep_client_id": DEFAULT_CLIENT_ID,
                 "aep_client_secret": DEFAULT_CLIENT_SECRET, "aep_org_id": DEFAULT_ORG}}}
    path = directory / "hosts.yml"
    path.write_text(yaml.safe_dump(inventory, sort_keys=False))
    return path


def write_floor(directory: Path) -> Path:
    tasks = [{"name": "Floor: %s" % what, "ansible.builtin.set_fact": {"floor_%d" % i: "{{ inventory_hostname }}"}}
             for i, what in enumerate(FLOOR_TASKS)]
    path = directory / "floor.yml"
    path.write_text(yaml.safe_dump([{"name": "Floor", "hosts": "aep_sandboxes", "gather_facts": False,
                                     "tasks": tasks}], sort_keys=False))
    return path


def ansible_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AEP_")}
    link = REPO / ".collections" / "ansible_collections" / "aep" / "platform"
    if not os.path.lexists(link):
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(Path("../../.."), target_is_directory=True)
    env.update({"ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"),
                "ANSIBLE_NOCOLOR": "1", "PATH": "%s%s%s" % (BIN, os.pathsep, os.environ.get("PATH", ""))})
    env.update(extra or {})
    return env


def run(cmd: list[str], env: dict, profile: str | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    if profile:  # main process and every worker (benchmarks/profiled_playbook.py); cmd[0] is ansible-playbook
        cmd = [sys.executable, str(REPO / "benchmarks" / "profiled_playbook.py"), profile] + cmd[1:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO), env=env, check=False)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, proc


def count_requests(log: list[dict], hosts: int) -> dict:
    api = [r for r in log if not r["path"].startswith("/ims/")]
    methods = Counter(r["method"] for r in api)
    return {"gets_per_sandbox": round(methods.get("GET", 0) / hosts, 2),
            "writes_per_sandbox": round(sum(n for m, n in methods.items() if m in WRITES) / hosts, 2),
            "ims_requests": sum(1 for r in log if r["path"].startswith("/ims/"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--sandboxes", type=int, default=100)
    parser.add_argument("-f", "--forks", type=int, default=20)
    parser.add_argument("--no-forked", action="store_true", help="skip the forked-module scenarios")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved floor/converged pairs for a median ratio")
    parser.add_argument("--workers", action="store_true",
                        help="also run each converged scenario with AEP_MODULE_SERVER=0 (module logic in the task workers)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--profile", help="directory for cProfile output of ansible-playbook's main and worker processes, per scenario")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-rollout-"))
    emulator = EmulatorProcess(data_dir=work / "emulator")
    try:
        aep = AepTestClient(emulator.url)
        sandboxes = ["rollout-%03d" % i for i in range(1, args.sandboxes + 1)]
        for name in sandboxes:
            aep.hook("POST", "/sandboxes", json={"name": name, "title": name, "type": "development"}).raise_for_status()
        inventory = write_inventory(work, emulator.url, sandboxes)
        floor = write_floor(work)
        onboard = REPO / "playbooks" / "onboard_chatlio.yml"
        base = [str(BIN / "ansible-playbook"), "-i", str(inventory), "-f", str(args.forks)]
        artifacts = ["-e", "aep_artifacts_file=%s" % (work / "inlet_urls.json")]
        in_workers = {"AEP_MODULE_SERVER": "0"}
        scenarios = [("floor", [str(floor)], {}), ("fresh", [str(onboard)] + artifacts, {}),
                     ("converged", [str(onboard)] + artifacts, {})]
        if args.workers:
            scenarios.append(("converged-workers", [str(onboard)] + artifacts, in_workers))
        if not args.no_forked:
            forked = {"AEP_IN_PROCESS": "0"}
            prefix = ["-e", "streaming_source_prefix=Forked"]
            scenarios += [("fresh-forked", [str(onboard)] + artifacts + prefix, forked),
                          ("converged-forked", [str(onboard)] + artifacts + prefix, forked)]
        scenarios.append(("floor (again)", [str(floor)], {}))
        for index in range(2, args.repeat + 1):
            scenarios += [("floor #%d" % index, [str(floor)], {}), ("converged #%d" % index, [str(onboard)] + artifacts, {})]
            if args.workers:
                scenarios.append(("converged-workers #%d" % index, [str(onboard)] + artifacts, in_workers))

        figures = {}
        for name, extra, env in scenarios:
            aep.clear_request_log()
            profile = None
            if args.profile:
                Path(args.profile).mkdir(parents=True, exist_ok=True)
                profile = str(Path(args.profile) / name.replace(" ", "").replace("(", "-").replace(")", ""))
            cpu, wall, proc = run(base + extra, ansible_env(env), profile)
            if proc.returncode != 0:
                print(proc.stdout[-5000:], proc.stderr[-3000:], sep="\n", file=sys.stderr)
                raise SystemExit("%s failed with rc=%d" % (name, proc.returncode))
            figures[name] = dict(cpu_s=round(cpu, 2), wall_s=round(wall, 2), **count_requests(aep.request_log(), len(sandboxes)))
            print("  ran %-22s cpu %6.1fs  wall %6.1fs" % (name, cpu, wall), file=sys.stderr)
    finally:
        emulator.stop()

    floor_cpu = (figures["floor"]["cpu_s"] + figures["floor (again)"]["cpu_s"]) / 2
    print("\nRollout of playbooks/onboard_chatlio.yml over %d sandboxes, -f %d (controller CPU = ansible-playbook "
          "and its children, user+sys)" % (args.sandboxes, args.forks))
    print("%-22s %8s %8s %8s %13s %15s %5s" % ("scenario", "cpu s", "x floor", "wall s", "GETs/sandbox",
                                               "writes/sandbox", "IMS"))
    for name, fig in figures.items():
        fig["ratio_to_floor"] = round(fig["cpu_s"] / floor_cpu, 2) if floor_cpu else None
        row = (name, fig["cpu_s"], fig["ratio_to_floor"], fig["wall_s"], fig["gets_per_sandbox"],
               fig["writes_per_sandbox"], fig["ims_requests"])
        print("%-22s %8.1f %8.2f %8.1f %13.1f %15.1f %5d" % row)
    if args.repeat > 1:
        ratios = {}
        for kind in ("converged", "converged-workers") if args.workers else ("converged",):
            pairs = [(figures[kind]["cpu_s"], floor_cpu)]
            pairs += [(figures["%s #%d" % (kind, i)]["cpu_s"], figures["floor #%d" % i]["cpu_s"]) for i in range(2, args.repeat + 1)]
            ratios[kind] = [cpu / base for cpu, base in pairs]
            print("%s over %d interleaved runs: median %.2fx the floor (range %.2f-%.2f)"
                  % (kind, len(pairs), statistics.median(ratios[kind]), min(ratios[kind]), max(ratios[kind])))
        figures["median"] = {kind: round(statistics.median(values), 2) for kind, values in ratios.items()}
    if args.json:
        Path(args.json).write_text(json.dumps({"sandboxes": args.sandboxes, "forks": args.forks, "figures": figures},
                                              indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
