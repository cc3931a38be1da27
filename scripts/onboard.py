"""Driver behind `make onboard|preview|offboard|smoke|emulator|emulator-stop`.

The target is always named. The default, ``--target emulator``, runs the playbooks against the bundled emulator:
it is started in the background (detached, so it outlives `make`), keeps its state in .emulator/data and its
pid/url/log in .emulator/, listens on 127.0.0.1:8787 (or AEP_EMULATOR_PORT) and is reused by later runs while it
is healthy. AEP credentials in the environment (AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ACCESS_TOKEN, ...) never
change the target: they are removed from the playbook's environment when the target is the emulator.

``--target aep --inventory <inventory>`` runs against Adobe Experience Platform. Before anything is written the
script lists the sandboxes the run will write to and asks for confirmation (or takes ``--yes``; without a
terminal and without ``--yes`` it refuses). ``preview`` (``--check --diff``) writes nothing and asks nothing.

    python scripts/onboard.py onboard                  # start/reuse the emulator, onboard, print webhook URLs
    python scripts/onboard.py preview                  # the same with --check --diff: what onboard would change
    python scripts/onboard.py offboard                 # remove what onboarding made
    python scripts/onboard.py smoke                    # post the sample event to each webhook URL, verify arrival
    python scripts/onboard.py onboard --target aep --inventory inventories/aep_example [--yes]
    python scripts/onboard.py emulator-start           # only start (or reuse) the emulator; prints its URL
    python scripts/onboard.py emulator-url             # print the URL the local inventory uses (no start)
    python scripts/onboard.py emulator-stop            # stop it (SIGTERM, wait, remove the pid and url files)
    python scripts/onboard.py emulator-status

Arguments after ``--`` go to ansible-playbook (e.g. ``onboard -- --limit dev``).
Environment: AEP_EMULATOR_PORT, AEP_EMULATOR_DIR (default .emulator), AEP_ARTIFACTS_FILE (default
artifacts/inlet_urls.json).
"""
import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PORT = 8787
PLAYBOOKS = {
    "onboard": "onboard_chatlio.yml",
    "preview": "onboard_chatlio.yml",
    "offboard": "offboard_chatlio.yml",
    "smoke": "smoke_chatlio.yml",
}
LOCAL_INVENTORY = "inventories/local"
# Connection settings the emulator target must not inherit from the user's shell (the local inventory sets its own):
# the environment variable of every connection option (plugins/module_utils/args.py CONNECTION_SPEC, documented in
# plugins/doc_fragments/connection.py; tests/integration/test_onboard.py checks that the two lists are the same).
AEP_CONNECTION_ENV = ("AEP_PLATFORM_URL", "AEP_IMS_URL", "AEP_CLIENT_ID", "AEP_CLIENT_SECRET", "AEP_ORG_ID", "AEP_SANDBOX",
                      "AEP_ACCESS_TOKEN", "AEP_SCOPES", "AEP_VALIDATE_CERTS", "AEP_CA_PATH", "AEP_TIMEOUT", "AEP_RETRIES",
                      "AEP_RETRY_DEADLINE", "AEP_RETRY_BACKOFF")


class Failure(Exception):
    pass


def say(message):
    print("onboard.py: %s" % message, flush=True)


def state_dir():
    return Path(os.environ.get("AEP_EMULATOR_DIR") or REPO / ".emulator").resolve()


def pid_file():
    return state_dir() / "emulator.pid"


def url_file():
    return state_dir() / "emulator.url"


def log_file():
    return state_dir() / "emulator.log"


def artifacts_file():
    return Path(os.environ.get("AEP_ARTIFACTS_FILE") or REPO / "artifacts" / "inlet_urls.json")


# --- emulator --------------------------------------------------------------------------------------

def emulator_port(env=None):
    """The port from AEP_EMULATOR_PORT (None when unset). Raises Failure for a value that is not a port."""
    value = (os.environ if env is None else env).get("AEP_EMULATOR_PORT")
    if not value:
        return None
    try:
        port = int(value)
    except ValueError:
        raise Failure("AEP_EMULATOR_PORT must be a port number, not %r" % value)
    if not 0 < port < 65536:
        raise Failure("AEP_EMULATOR_PORT must be between 1 and 65535, not %s" % port)
    return port


def healthy(url, timeout=2.0):
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/_emulator/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def read_pid():
    try:
        return int(pid_file().read_text().strip())
    except (OSError, ValueError):
        return None


def pid_alive(pid):
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) counts as gone.
    try:
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def recorded_url():
    try:
        return url_file().read_text().strip() or None
    except OSError:
        return None


def local_url():
    """The emulator URL the local inventory uses: AEP_EMULATOR_PORT when set, else the URL file of the
    emulator `make onboard` started, else port 8787. inventories/local/group_vars computes the same."""
    port = emulator_port()
    if port:
        return "http://127.0.0.1:%d" % port
    return recorded_url() or "http://127.0.0.1:%d" % DEFAULT_PORT


def start_emulator(timeout=30.0):
    """Start the emulator in the background, or reuse a healthy one. Returns its base URL."""
    port = emulator_port()
    url = recorded_url()
    if url and healthy(url):
        if port and url.rstrip("/") != "http://127.0.0.1:%d" % port:
            raise Failure("the emulator of this checkout runs at %s, not on AEP_EMULATOR_PORT=%d: stop it with "
                          "`make emulator-stop`, or unset AEP_EMULATOR_PORT" % (url, port))
        say("reusing the emulator at %s (pid %s)" % (url, read_pid() or "?"))
        return url
    wanted = "http://127.0.0.1:%d" % (port or DEFAULT_PORT)
    if healthy(wanted):
        say("reusing the emulator already listening at %s" % wanted)
        url_file().parent.mkdir(parents=True, exist_ok=True)
        url_file().write_text(wanted + "\n")
        return wanted
    stale = read_pid()
    if stale and pid_alive(stale):
        raise Failure("an emulator process (pid %s) exists but does not answer at %s; stop it with "
                      "`make emulator-stop`" % (stale, url or wanted))
    if importlib.util.find_spec("aep_emulator") is None:
        raise Failure("the emulator is not installed for %s: run `make emulator` (or `make onboard`), or "
                      "`pip install ./emulator`" % sys.executable)
    data_dir = state_dir() / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "aep_emulator", "--host", "127.0.0.1", "--port", str(port or DEFAULT_PORT),
           "--data-dir", str(data_dir)]
    log = open(log_file(), "ab")
    try:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=str(REPO), start_new_session=True, close_fds=True)
    finally:
        log.close()
    pid_file().write_text("%d\n" % proc.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pid_file().unlink(missing_ok=True)
            raise Failure("the emulator exited with status %s; see %s:\n%s"
                          % (proc.returncode, log_file(), tail(log_file())))
        if healthy(wanted, timeout=1.0):
            url_file().write_text(wanted + "\n")
            say("started the emulator at %s (pid %d, state in %s, log %s)"
                % (wanted, proc.pid, data_dir, log_file()))
            return wanted
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGTERM)
    raise Failure("the emulator did not become healthy at %s within %ss; see %s" % (wanted, timeout, log_file()))


def stop_emulator(timeout=15.0):
    pid = read_pid()
    if not pid or not pid_alive(pid):
        pid_file().unlink(missing_ok=True)
        url_file().unlink(missing_ok=True)
        say("no emulator running")
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_alive(pid):
        time.sleep(0.1)
    if pid_alive(pid):
        say("the emulator (pid %d) ignored SIGTERM for %ss; sending SIGKILL" % (pid, timeout))
        os.kill(pid, signal.SIGKILL)
    pid_file().unlink(missing_ok=True)
    url_file().unlink(missing_ok=True)
    say("stopped the emulator (pid %d); its state stays in %s" % (pid, state_dir() / "data"))


def tail(path, lines=20):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- playbooks -------------------------------------------------------------------------------------

def tool(name):
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise Failure("%s not found; run `make venv`" % name)
    return found


def ensure_collection_link():
    link = REPO / ".collections" / "ansible_collections" / "aep" / "platform"
    if not os.path.lexists(link):
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(Path("../../.."), target_is_directory=True)


def playbook_env(target):
    env = dict(os.environ)
    env.setdefault("ANSIBLE_CONFIG", str(REPO / "ansible.cfg"))
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", str(REPO / ".collections"))
    env["AEP_ARTIFACTS_FILE"] = str(artifacts_file())
    env["PATH"] = "%s%s%s" % (Path(sys.executable).parent, os.pathsep, env.get("PATH", ""))
    if target == "emulator":
        for name in AEP_CONNECTION_ENV:
            env.pop(name, None)
    return env


def is_check(extra):
    return any(arg in ("--check", "-C") for arg in extra)


def planned_sandboxes(inventory, playbook, extra, env):
    """[(host, sandbox)] the playbook would run on: hosts from `ansible-playbook --list-hosts` (so --limit and
    -e aep_hosts=... apply), sandboxes from the inventory's templated ``aep_sandbox`` of each host."""
    passthrough = [arg for arg in extra if arg not in ("--check", "-C", "--diff", "-D")]
    cmd = [tool("ansible-playbook"), "-i", inventory, playbook, "--list-hosts"] + passthrough
    proc = subprocess.run(cmd, cwd=str(REPO), env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise Failure("cannot list the hosts of %s with inventory %s:\n%s" % (playbook, inventory,
                                                                              (proc.stderr or proc.stdout).strip()))
    hosts = []
    for block in re.split(r"\n\s*play #", proc.stdout):
        if "- check the host pattern" in block.split("\n", 1)[0]:  # the root playbooks' localhost play (no sandbox)
            continue
        match = re.search(r"hosts \(\d+\):\n((?:[ \t]+\S+\n?)*)", block)
        for name in (match.group(1).split() if match else []):
            if name not in hosts:
                hosts.append(name)
    if not hosts:
        raise Failure("the inventory %s has no host for %s (check -i, --limit, aep_hosts)" % (inventory, playbook))
    cmd = [tool("ansible-inventory"), "-i", inventory, "--list"]
    proc = subprocess.run(cmd, cwd=str(REPO), env=env, capture_output=True, text=True, check=False)
    try:
        hostvars = json.loads(proc.stdout)["_meta"]["hostvars"]
    except (ValueError, KeyError, TypeError):
        raise Failure("cannot read the inventory %s:\n%s" % (inventory, proc.stderr.strip()))
    default = "%s (AEP_SANDBOX)" % env["AEP_SANDBOX"] if env.get("AEP_SANDBOX") else "prod (the default)"
    return [(host, hostvars.get(host, {}).get("aep_sandbox") or default) for host in hosts]


def confirm(command, inventory, plan, assume_yes, stdin=None):
    """List what the run will write to and ask; raises Failure unless confirmed."""
    stdin = sys.stdin if stdin is None else stdin
    print("\nonboard.py: `%s` will WRITE to these Adobe Experience Platform sandboxes (inventory %s):"
          % (command, inventory), flush=True)
    for host, sandbox in plan:
        print("  - %s (host %s)" % (sandbox, host), flush=True)
    if assume_yes:
        say("confirmed by --yes")
        return
    if not stdin.isatty():
        raise Failure("refusing to write to Adobe Experience Platform without confirmation: no terminal to ask. "
                      "Preview with `make preview TARGET=aep INVENTORY=%s`, then rerun with --yes "
                      "(make ... CONFIRM=yes)" % inventory)
    print("Type 'yes' to continue: ", end="", flush=True)
    answer = stdin.readline().strip().lower()
    if answer != "yes":
        raise Failure("not confirmed (answer %r); nothing was written" % answer)


def run_playbook(command, target, inventory, extra, assume_yes=False):
    """Run the command's playbook; returns [(host, sandbox)] of the run for ``onboard`` (else None)."""
    extra = list(extra)
    plan = None
    if command == "preview" and not is_check(extra):
        extra += ["--check", "--diff"]
    env = playbook_env(target)
    ensure_collection_link()
    playbook = PLAYBOOKS[command]
    if target == "emulator":
        if inventory:
            raise Failure("--inventory is for --target aep; the emulator target always uses %s" % LOCAL_INVENTORY)
        inventory = LOCAL_INVENTORY
        url = start_emulator()
        say("target: the emulator at %s (inventory %s)" % (url, inventory))
    else:
        if not inventory:
            raise Failure("--target aep needs --inventory <your inventory> (make ... TARGET=aep INVENTORY=...), "
                          "e.g. inventories/aep_example")
        say("target: Adobe Experience Platform (inventory %s)" % inventory)
        if not is_check(extra):
            plan = planned_sandboxes(inventory, playbook, extra, env)
            confirm(command, inventory, plan, assume_yes)
            # The root playbooks refuse to write to a non-emulator target without this variable.
            extra += ["-e", "aep_confirm=true"]
    cmd = [tool("ansible-playbook"), "-i", inventory, playbook] + extra
    say("running: ansible-playbook %s" % " ".join(cmd[1:]))
    rc = subprocess.call(cmd, cwd=str(REPO), env=env)
    if rc != 0:
        raise Failure("ansible-playbook %s failed with exit status %d" % (playbook, rc))
    if command == "onboard" and not is_check(extra) and plan is None:
        plan = planned_sandboxes(inventory, playbook, extra, env)
    return plan


def read_artifacts(path):
    """The dataflow entries of the artifacts file ``path``, ``{sandbox: {dataflow name: entry}}``, read by the
    collection's own reader (plugins/plugin_utils/inlet_urls_file.py: versions 1 and 2 of the file)."""
    spec = importlib.util.spec_from_file_location("aep_inlet_urls_file", REPO / "plugins" / "plugin_utils" / "inlet_urls_file.py")
    reader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reader)
    try:
        return reader.read(str(path))
    except reader.ArtifactsFileError as err:
        raise Failure("cannot read the artifacts file %s" % err)


def print_webhooks(plan):
    """The webhook URLs of this run's sandboxes (``plan``: [(host, sandbox)]), read from the artifacts file: every
    dataflow recorded for them, by name (a sandbox may hold several sources; the playbook's is among them).

    The file is shared by every run (other inventories, --limit): only the sandboxes this run managed are listed."""
    path = artifacts_file()
    data = read_artifacts(path)
    sandboxes = sorted(set(sandbox for _host, sandbox in plan or ()))
    missing = [name for name in sandboxes if not data.get(name)]
    if missing:
        raise Failure("no webhook URL recorded in %s for: %s" % (path, ", ".join(missing)))
    if not sandboxes:
        say("no sandbox was onboarded by this run")
        return
    rows = [(sandbox, name, entry.get("webhook_url")) for sandbox in sandboxes for name, entry in sorted(data[sandbox].items())]
    width = max(len(row[0]) for row in rows)
    name_width = max(len(row[1]) for row in rows)
    print("\nWebhook URLs of the onboarded sandboxes' dataflows (for Chatlio: Chatlio > Settings > Webhooks):")
    for sandbox, name, url in rows:
        print("  %-*s  %-*s  %s" % (width, sandbox, name_width, name, url))
    print("(details: %s)" % path)


COMMANDS = tuple(PLAYBOOKS) + ("emulator-start", "emulator", "emulator-url", "emulator-stop", "emulator-status")


def parse(argv):
    parser = argparse.ArgumentParser(prog="onboard.py", description=__doc__.split("\n\n", maxsplit=1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--target", choices=("emulator", "aep"), default="emulator",
                        help="where the playbook writes (default: emulator; never taken from the environment)")
    parser.add_argument("--inventory", help="inventory for --target aep (required there)")
    parser.add_argument("--yes", action="store_true", help="confirm writing to the listed AEP sandboxes")
    if "--" in argv:
        index = argv.index("--")
        own, extra = argv[:index], argv[index + 1:]
    else:
        own, extra = argv, []
    args, unknown = parser.parse_known_args(own)
    args.extra = unknown + extra
    return args


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    args = parse(argv)
    try:
        if args.command in PLAYBOOKS:
            plan = run_playbook(args.command, args.target, args.inventory, args.extra, args.yes)
            if args.command == "onboard" and not is_check(args.extra):
                print_webhooks(plan)
        elif args.command in ("emulator-start", "emulator"):
            print(start_emulator())
        elif args.command == "emulator-url":
            print(local_url())
        elif args.command == "emulator-stop":
            stop_emulator()
        else:
            url = recorded_url()
            ok = bool(url and healthy(url))
            say("emulator %s" % ("running at %s (pid %s)" % (url, read_pid()) if ok else "not running"))
            return 0 if ok else 1
    except Failure as err:
        print("onboard.py: error: %s" % err, file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
