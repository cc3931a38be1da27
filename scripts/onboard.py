"""Driver behind `make onboard|offboard|smoke|emulator|emulator-stop`.

Without AEP credentials in the environment (AEP_CLIENT_ID with AEP_CLIENT_SECRET, or AEP_ACCESS_TOKEN) the
playbooks run against the bundled emulator: it is started in the background (detached, so it outlives
`make`), keeps its state in .emulator/data and its pid/url in .emulator/, listens on port 8787 (or
AEP_EMULATOR_PORT) and is reused by later runs while it is healthy.

    python scripts/onboard.py onboard         # start/reuse the emulator if needed, onboard, print webhook URLs
    python scripts/onboard.py offboard        # remove what onboarding made
    python scripts/onboard.py smoke           # post the sample event to each webhook URL and verify arrival
    python scripts/onboard.py emulator-start  # only start (or reuse) the emulator
    python scripts/onboard.py emulator-stop   # stop it (SIGTERM, wait, remove the pid file)
    python scripts/onboard.py emulator-status

Extra arguments after the command go to ansible-playbook (e.g. `onboard -- --check --diff`).
Environment: AEP_INVENTORY (inventory for real AEP, default inventories/aep_example), AEP_EMULATOR_PORT,
AEP_ARTIFACTS_FILE (default artifacts/inlet_urls.json), AEP_EMULATOR_DIR (default .emulator).
"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STATE_DIR = Path(os.environ.get("AEP_EMULATOR_DIR") or REPO / ".emulator").resolve()
PID_FILE = STATE_DIR / "emulator.pid"
URL_FILE = STATE_DIR / "emulator.url"
LOG_FILE = STATE_DIR / "emulator.log"
DATA_DIR = STATE_DIR / "data"
DEFAULT_PORT = 8787
PLAYBOOKS = {
    "onboard": "playbooks/onboard_chatlio.yml",
    "offboard": "playbooks/offboard_chatlio.yml",
    "smoke": "playbooks/smoke_chatlio.yml",
}


class Failure(Exception):
    pass


def say(message):
    print("onboard.py: %s" % message, flush=True)


# --- credentials / target -------------------------------------------------------------------------

def has_aep_credentials(env=None):
    env = os.environ if env is None else env
    return bool((env.get("AEP_CLIENT_ID") and env.get("AEP_CLIENT_SECRET")) or env.get("AEP_ACCESS_TOKEN"))


def artifacts_file():
    return Path(os.environ.get("AEP_ARTIFACTS_FILE") or REPO / "artifacts" / "inlet_urls.json")


# --- emulator --------------------------------------------------------------------------------------

def emulator_port():
    value = os.environ.get("AEP_EMULATOR_PORT") or str(DEFAULT_PORT)
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
        return int(PID_FILE.read_text().strip())
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
        return URL_FILE.read_text().strip() or None
    except OSError:
        return None


def start_emulator(timeout=30.0):
    """Start the emulator in the background, or reuse a healthy one. Returns its base URL."""
    port = emulator_port()
    url = recorded_url()
    if url and healthy(url):
        say("reusing the emulator at %s (pid %s)" % (url, read_pid() or "?"))
        return url
    wanted = "http://127.0.0.1:%d" % port
    if healthy(wanted):
        say("reusing the emulator already listening at %s" % wanted)
        URL_FILE.parent.mkdir(parents=True, exist_ok=True)
        URL_FILE.write_text(wanted + "\n")
        return wanted
    stale = read_pid()
    if stale and pid_alive(stale):
        raise Failure("an emulator process (pid %s) exists but does not answer at %s; stop it with "
                      "`make emulator-stop`" % (stale, url or wanted))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "aep_emulator", "--host", "127.0.0.1", "--port", str(port),
           "--data-dir", str(DATA_DIR)]
    log = open(LOG_FILE, "ab")
    try:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=str(REPO), start_new_session=True, close_fds=True)
    finally:
        log.close()
    PID_FILE.write_text("%d\n" % proc.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            PID_FILE.unlink(missing_ok=True)
            raise Failure("the emulator exited with status %s; see %s:\n%s"
                          % (proc.returncode, LOG_FILE, tail(LOG_FILE)))
        if healthy(wanted, timeout=1.0):
            URL_FILE.write_text(wanted + "\n")
            say("started the emulator at %s (pid %d, state in %s, log %s)"
                % (wanted, proc.pid, DATA_DIR, LOG_FILE))
            return wanted
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGTERM)
    raise Failure("the emulator did not become healthy at %s within %ss; see %s" % (wanted, timeout, LOG_FILE))


def stop_emulator(timeout=15.0):
    pid = read_pid()
    if not pid or not pid_alive(pid):
        PID_FILE.unlink(missing_ok=True)
        URL_FILE.unlink(missing_ok=True)
        say("no emulator running")
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_alive(pid):
        time.sleep(0.1)
    if pid_alive(pid):
        say("the emulator (pid %d) ignored SIGTERM for %ss; sending SIGKILL" % (pid, timeout))
        os.kill(pid, signal.SIGKILL)
    PID_FILE.unlink(missing_ok=True)
    URL_FILE.unlink(missing_ok=True)
    say("stopped the emulator (pid %d); its state stays in %s" % (pid, DATA_DIR))


def tail(path, lines=20):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- playbooks -------------------------------------------------------------------------------------

def run_playbook(command, extra_args):
    env = dict(os.environ)
    env.setdefault("ANSIBLE_CONFIG", str(REPO / "ansible.cfg"))
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", str(REPO / ".collections"))
    env["AEP_ARTIFACTS_FILE"] = str(artifacts_file())
    bindir = Path(sys.executable).parent
    env["PATH"] = "%s%s%s" % (bindir, os.pathsep, env.get("PATH", ""))
    if has_aep_credentials(env):
        inventory = env.get("AEP_INVENTORY") or "inventories/aep_example"
        say("AEP credentials found in the environment: targeting Adobe Experience Platform (inventory %s)" % inventory)
    else:
        url = start_emulator()
        inventory = "inventories/local"
        env["AEP_PLATFORM_URL"] = url
        env["AEP_IMS_URL"] = url
        say("no AEP credentials in the environment: targeting the emulator at %s" % url)
    link = REPO / ".collections" / "ansible_collections" / "aep" / "platform"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(Path("../../.."), target_is_directory=True)
    playbook = shutil_which("ansible-playbook", bindir)
    cmd = [playbook, "-i", inventory, PLAYBOOKS[command]] + list(extra_args)
    say("running: %s" % " ".join(cmd[1:]))
    rc = subprocess.call(cmd, cwd=str(REPO), env=env)
    if rc != 0:
        raise Failure("ansible-playbook %s failed with exit status %d" % (PLAYBOOKS[command], rc))


def shutil_which(name, bindir):
    candidate = bindir / name
    if candidate.exists():
        return str(candidate)
    import shutil
    found = shutil.which(name)
    if not found:
        raise Failure("%s not found; run `make venv`" % name)
    return found


def print_webhooks():
    path = artifacts_file()
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise Failure("cannot read the artifacts file %s: %s" % (path, err))
    if not data:
        say("no sandbox is onboarded (%s is empty)" % path)
        return
    width = max(len(name) for name in data)
    print("\nChatlio webhook URLs (configure them in Chatlio > Settings > Webhooks):")
    for sandbox in sorted(data):
        print("  %-*s  %s" % (width, sandbox, data[sandbox].get("webhook_url")))
    print("(details: %s)" % path)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    command, extra = argv[0], [a for a in argv[1:] if a != "--"]
    try:
        if command in PLAYBOOKS:
            run_playbook(command, extra)
            if command == "onboard" and "--check" not in extra and "-C" not in extra:
                print_webhooks()
        elif command in ("emulator-start", "emulator"):
            print(start_emulator())
        elif command == "emulator-stop":
            stop_emulator()
        elif command == "emulator-status":
            url = recorded_url()
            ok = bool(url and healthy(url))
            say("emulator %s" % ("running at %s (pid %s)" % (url, read_pid()) if ok else "not running"))
            return 0 if ok else 1
        else:
            raise Failure("unknown command %r (onboard, offboard, smoke, emulator-start, emulator-stop, "
                          "emulator-status)" % command)
    except Failure as err:
        print("onboard.py: error: %s" % err, file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
