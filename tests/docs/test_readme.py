"""The README runs as written: its shell blocks, in order, in one bash session, against an emulator on a free port.

A block is preceded by an optional marker comment:

* ``<!-- docs-test: skip: <reason> -->``: not run (real AEP, the network, or ``make test`` itself); the reason is
  required and the list is kept short;
* ``<!-- docs-test: file=<name> -->``: a YAML block saved as ``<name>`` in the repository root before the shell
  blocks run (removed afterwards), so a later shell block can use it as the README says;
* ``<!-- docs-test: same-as=<path> -->``: a YAML excerpt of a repository file; every key it shows has the
  file's value.

The session starts like a new user's shell: no AEP_*/ANSIBLE_* variables, no virtualenv on PATH, not inside make.
The emulator gets a free port and its own state directory through AEP_EMULATOR_PORT and AEP_EMULATOR_DIR, which
`make onboard`, the root playbooks and inventories/local all follow; it is stopped at the end.
"""
import os
import re
import shlex
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
MAX_SKIPPED = 4
BLOCK = re.compile(r"(?:<!--\s*docs-test:\s*(?P<marker>.*?)\s*-->\s*\n)?```(?P<lang>\w*)[^\n]*\n(?P<body>.*?)^```\s*$",
                   re.S | re.M)


class Block:
    def __init__(self, match, text):
        self.lang = match.group("lang")
        self.body = match.group("body")
        self.marker = (match.group("marker") or "").strip()
        self.line = text.count("\n", 0, match.start("body")) + 1

    @property
    def skip_reason(self):
        return self.marker[len("skip:"):].strip() if self.marker.startswith("skip:") else None

    def option(self, name):
        return self.marker[len(name) + 1:].strip() if self.marker.startswith(name + "=") else None

    def __repr__(self):
        return "README.md:%d (%s%s)" % (self.line, self.lang, ", " + self.marker if self.marker else "")


def blocks(text=None):
    text = README.read_text() if text is None else text
    return [Block(match, text) for match in BLOCK.finditer(text)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_shell_env(tmp_path, port):
    venv_bin = str(REPO / ".venv" / "bin")
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("AEP_", "ANSIBLE_", "MAKE", "MFLAGS", "PYTEST_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(part for part in env.get("PATH", "").split(os.pathsep)
                                  if part and Path(part).resolve() != Path(venv_bin).resolve())
    env.update({"AEP_EMULATOR_PORT": str(port), "AEP_EMULATOR_DIR": str(tmp_path / "emulator"),
                "AEP_ARTIFACTS_FILE": str(tmp_path / "artifacts" / "inlet_urls.json"), "HOME": os.environ["HOME"],
                "TERM": "dumb"})
    return env


def test_readme_blocks_are_marked_and_parse():
    found = blocks()
    assert len(found) >= 8, found
    skipped = [block for block in found if block.marker.startswith("skip")]
    assert all(block.skip_reason for block in skipped), "a skip marker needs a reason: %s" % skipped
    assert len(skipped) <= MAX_SKIPPED, "too many README blocks are not tested: %s" % skipped
    for block in found:
        assert block.lang in ("bash", "yaml"), "%r: only bash and yaml blocks are expected" % block
        if block.lang == "yaml":
            assert block.option("file") or block.option("same-as") or block.skip_reason, \
                "%r: a YAML block needs a file=, same-as= or skip: marker" % block
            yaml.safe_load(block.body)


def test_readme_yaml_excerpts_match_the_files():
    excerpts = [block for block in blocks() if block.option("same-as")]
    assert excerpts
    for block in excerpts:
        actual = yaml.safe_load((REPO / block.option("same-as")).read_text())
        shown = yaml.safe_load(block.body)
        assert shown and {key: actual.get(key) for key in shown} == shown, block


def test_the_marker_parser():
    text = ("<!-- docs-test: skip: real AEP -->\n```bash\nmake onboard\n```\n\n"
            "<!-- docs-test: file=a.yml -->\n```yaml\n- hosts: all\n```\n```bash\necho hi\n```\n")
    first, second, third = blocks(text)
    assert (first.skip_reason, first.body) == ("real AEP", "make onboard\n")
    assert (second.option("file"), second.lang, second.line) == ("a.yml", "yaml", 8)
    assert (third.marker, third.skip_reason, third.body) == ("", None, "echo hi\n")


@pytest.mark.skipif(not (REPO / ".venv" / "bin" / "python").exists(), reason="needs the repository's .venv (make venv)")
def test_readme_shell_blocks_run_against_the_emulator(tmp_path):
    found = blocks()
    files = [(REPO / block.option("file"), block.body) for block in found if block.option("file")]
    for path in [path for path, body in files]:
        assert not path.exists(), "%s exists already; the docs test would overwrite it" % path
    port = free_port()
    env = fresh_shell_env(tmp_path, port)
    created = [path for path in (REPO / ".venv-emulator",) if not path.exists()]
    script = ["set -euo pipefail", "cd %s" % shlex.quote(str(REPO))]
    for number, block in enumerate(found):
        if block.lang != "bash" or block.skip_reason:
            continue
        script += ["echo '>>> docs-test block %d, %r'" % (number, block), block.body]
    try:
        for path, body in files:
            path.write_text(body)
        proc = subprocess.run(["bash", "-c", "\n".join(script)], cwd=str(REPO), env=env, capture_output=True,
                              text=True, timeout=1200, stdin=subprocess.DEVNULL, check=False)
    finally:
        for path in [path for path, body in files]:
            path.unlink(missing_ok=True)
        subprocess.run([str(REPO / ".venv" / "bin" / "python"), str(REPO / "scripts" / "onboard.py"), "emulator-stop"],
                       env=env, capture_output=True, timeout=60, check=False)
        for path in created:
            shutil.rmtree(path, ignore_errors=True)
    stdout = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)
    output = stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    url = "http://127.0.0.1:%d" % port
    # make onboard printed the webhooks of the emulator on the free port, not of 8787
    assert "Webhook URLs of the onboarded sandboxes' dataflows" in stdout
    assert re.search(r"  prod\s+Ansible Chatlio Streaming Dataflow\s+%s/collection/\w+\?x-adobe-flow-id=" % re.escape(url), stdout), output[-4000:]
    assert ":8787" not in output
    # `ansible-playbook onboard_chatlio.yml` after `make onboard`: the same emulator, nothing to change
    number = next(index for index, block in enumerate(found)
                  if block.lang == "bash" and not block.skip_reason and "ansible-playbook onboard_chatlio.yml" in block.body)
    segment = stdout.split(">>> docs-test block %d," % number)[1].split(">>> docs-test block ")[0]
    recap = segment[segment.index("PLAY RECAP"):].split("\n\n")[0]
    assert sorted(re.findall(r"^(\w+)\s+: ok=\d+\s+changed=(\d+)", recap, re.M)) == \
        [("dev", "0"), ("localhost", "0"), ("prod", "0"), ("stage", "0")], recap  # localhost: the host pattern check
    assert "> MODULE aep.platform.flow" in segment
    assert "Paste into Chatlio: %s/collection/" % url in stdout
    assert "usage: aep-emulator" in stdout
    assert "stopped the emulator" in stdout
