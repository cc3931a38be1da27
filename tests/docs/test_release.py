"""Release hygiene and the choice of target: license, links, supported cores, changelog, and the rule that real AEP
is only ever written to when named and confirmed (scripts/onboard.py, the root playbooks, inventories/local)."""
import importlib.util
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
needs_venv = pytest.mark.skipif(not (BIN / "ansible-playbook").exists(), reason="needs the repository's .venv (make venv)")


def load_onboard():
    spec = importlib.util.spec_from_file_location("onboard_script", REPO / "scripts" / "onboard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


onboard = load_onboard()


# --- release hygiene -------------------------------------------------------------------------------

def test_copying_is_the_gpl3_the_galaxy_metadata_names():
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    assert galaxy["license"] == ["GPL-3.0-or-later"]
    text = (REPO / "COPYING").read_text()
    assert text.lstrip().startswith("GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007")
    assert "END OF TERMS AND CONDITIONS" in text and len(text.splitlines()) == 674
    assert "COPYING" not in galaxy["build_ignore"]


def test_galaxy_links_point_at_this_repository():
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    repository = galaxy["repository"]
    assert repository.startswith("https://github.com/")
    for key in ("documentation", "issues", "homepage"):
        assert galaxy[key].startswith(repository), (key, galaxy[key])
    assert galaxy["issues"] == repository + "/issues"
    assert "docs.ansible.com" not in galaxy["documentation"] and "dev-guide" not in galaxy["documentation"]


def test_supported_cores_are_stated_once_and_tested_at_both_ends():
    """README table == requires_ansible == the cores make test installs (oldest in .venv, newest in test-compat)."""
    readme = (REPO / "README.md").read_text()
    table = re.findall(r"^\| (2\.\d+) \| [^|]+ \| [^|]+ \| ([^|]+) \|$", readme, re.M)
    supported = [row[0] for row in table]
    assert supported == ["2.19", "2.20", "2.21"], table
    runtime = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())
    assert runtime["requires_ansible"] == ">=%s.0" % supported[0]
    makefile = (REPO / "Makefile").read_text()
    assert "CORE ?= ansible-core>=%s,<2.%d" % (supported[0], int(supported[0].split(".")[1]) + 1) in makefile
    compat = makefile[makefile.index("\ntest-compat:"):makefile.index("\ncompat-run:")]
    newest = supported[-1]
    assert re.findall(r"CORE='ansible-core>=([\d.]+),", compat) == [newest]
    tested = dict(table)
    assert "whole suite" in tested[supported[0]] and "integration" in tested[newest]


def test_changelog_is_generated_for_the_galaxy_version():
    version = yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]
    changes = yaml.safe_load((REPO / "changelogs" / "changelog.yaml").read_text())
    assert version in changes["releases"]
    assert "release_summary" in changes["releases"][version]["changes"]
    rst = (REPO / "CHANGELOG.rst").read_text()
    assert "v%s\n====" % version in rst and "Release Summary" in rst
    config = yaml.safe_load((REPO / "changelogs" / "config.yaml").read_text())
    assert config["changelog_filename_template"] == "../CHANGELOG.rst"


def test_unit_requirements_cover_the_unit_tests_imports():
    wanted = {line.split("#")[0].strip().lower() for line in (REPO / "tests" / "unit" / "requirements.txt").read_text().splitlines()}
    imports = set()
    for path in (REPO / "tests" / "unit").rglob("*.py"):
        imports |= set(re.findall(r"^(?:import|from) (responses|requests|yaml)\b", path.read_text(), re.M))
    assert {"pyyaml" if name == "yaml" else name for name in imports} <= wanted


# --- the target is named, never taken from the environment ----------------------------------------

CREDENTIALS = {"AEP_CLIENT_ID": "real-id", "AEP_CLIENT_SECRET": "real-secret", "AEP_ACCESS_TOKEN": "real-token",
               "AEP_PLATFORM_URL": "https://platform.adobe.io", "AEP_IMS_URL": "https://ims-na1.adobelogin.com"}


def test_credentials_in_the_environment_do_not_choose_the_target(monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    assert onboard.parse(["onboard"]).target == "emulator"
    env = onboard.playbook_env("emulator")
    assert not set(CREDENTIALS) & set(env), "the emulator target must not inherit AEP connection settings"
    assert onboard.playbook_env("aep")["AEP_CLIENT_ID"] == "real-id"


def test_parse_takes_the_named_target_and_passes_the_rest_to_ansible_playbook():
    args = onboard.parse(["onboard", "--target", "aep", "--inventory", "inv", "--yes", "--", "--limit", "dev"])
    assert (args.command, args.target, args.inventory, args.yes, args.extra) == ("onboard", "aep", "inv", True,
                                                                                 ["--limit", "dev"])


def test_aep_target_needs_an_inventory():
    with pytest.raises(onboard.Failure, match=r"--target aep needs --inventory"):
        onboard.run_playbook("onboard", "aep", None, [])


class FakeStdin(io.StringIO):
    def __init__(self, text, tty):
        super().__init__(text)
        self.tty = tty

    def isatty(self):
        return self.tty


PLAN = [("prod", "prod"), ("dev", "dev")]


def test_confirm_lists_the_sandboxes_and_refuses_without_a_terminal(capsys):
    with pytest.raises(onboard.Failure, match=r"refusing to write .* no terminal to ask.*make preview TARGET=aep"):
        onboard.confirm("onboard", "inventories/aep_example", PLAN, assume_yes=False, stdin=FakeStdin("", False))
    out = capsys.readouterr().out
    assert "  - prod (host prod)\n  - dev (host dev)" in out


def test_confirm_asks_on_a_terminal_and_accepts_only_yes(capsys):
    with pytest.raises(onboard.Failure, match=r"not confirmed \(answer 'y'\); nothing was written"):
        onboard.confirm("onboard", "inv", PLAN, assume_yes=False, stdin=FakeStdin("y\n", True))
    onboard.confirm("onboard", "inv", PLAN, assume_yes=False, stdin=FakeStdin("yes\n", True))
    onboard.confirm("onboard", "inv", PLAN, assume_yes=True, stdin=FakeStdin("", False))
    assert "confirmed by --yes" in capsys.readouterr().out


def test_webhook_recap_lists_only_the_sandboxes_of_this_run(monkeypatch, tmp_path, capsys):
    """The artifacts file is shared by every run: the recap after `onboard -- --limit dev` names dev only."""
    artifacts = tmp_path / "inlet_urls.json"
    artifacts.write_text(json.dumps({name: {"webhook_url": "https://inlet/%s" % name} for name in ("prod", "dev", "other")}))
    monkeypatch.setenv("AEP_ARTIFACTS_FILE", str(artifacts))
    onboard.print_webhooks([("dev", "dev")])
    out = capsys.readouterr().out
    assert "https://inlet/dev" in out
    assert "https://inlet/prod" not in out and "https://inlet/other" not in out
    with pytest.raises(onboard.Failure, match=r"no webhook URL recorded in .* for: stage"):
        onboard.print_webhooks([("dev", "dev"), ("stage", "stage")])


def test_local_url_prefers_the_port_then_the_url_file(monkeypatch, tmp_path):
    monkeypatch.setenv("AEP_EMULATOR_DIR", str(tmp_path))
    monkeypatch.delenv("AEP_EMULATOR_PORT", raising=False)
    assert onboard.local_url() == "http://127.0.0.1:8787"
    (tmp_path / "emulator.url").write_text("http://127.0.0.1:18841\n")
    assert onboard.local_url() == "http://127.0.0.1:18841"
    monkeypatch.setenv("AEP_EMULATOR_PORT", "18999")
    assert onboard.local_url() == "http://127.0.0.1:18999"
    monkeypatch.setenv("AEP_EMULATOR_PORT", "http")
    with pytest.raises(onboard.Failure, match="AEP_EMULATOR_PORT must be a port number, not 'http'"):
        onboard.local_url()


def ansible_env(**extra):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("AEP_", "ANSIBLE_"))}
    env.update(extra)
    return env


@needs_venv
def test_local_inventory_follows_the_emulator_onboard_started(tmp_path):
    """After `AEP_EMULATOR_PORT=18841 make onboard`, a plain ansible-playbook goes to 18841 (the URL file), and
    AEP_PLATFORM_URL in the shell (which may be real AEP) is not read."""
    def url(**env):
        proc = subprocess.run([str(BIN / "ansible"), "prod", "-m", "ansible.builtin.debug", "-a", "var=aep_platform_url"],
                              cwd=str(REPO), env=ansible_env(**env), capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return re.search(r'aep_platform_url\W+(http\S+?)"?$', proc.stdout, re.M).group(1)

    (tmp_path / "emulator.url").write_text("http://127.0.0.1:18841\n")
    assert url(AEP_EMULATOR_DIR=str(tmp_path), AEP_PLATFORM_URL="https://platform.adobe.io") == "http://127.0.0.1:18841"
    assert url(AEP_EMULATOR_DIR=str(tmp_path), AEP_EMULATOR_PORT="18842") == "http://127.0.0.1:18842"
    assert url(AEP_EMULATOR_DIR=str(tmp_path / "none")) == "http://127.0.0.1:8787"


@needs_venv
@pytest.mark.parametrize("playbook", ["onboard_chatlio.yml", "offboard_chatlio.yml", "smoke_chatlio.yml"])
def test_root_playbooks_refuse_an_unconfirmed_real_aep_inventory(tmp_path, playbook):
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"aep_sandboxes": {
        "hosts": {"prod": {"aep_sandbox": "prod"}, "qa": {"aep_sandbox": "qa-1"}},
        "vars": {"ansible_connection": "local", "aep_platform_url": "http://127.0.0.1:9", "aep_ims_url": "http://127.0.0.1:9"}}}))
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(inventory), playbook], cwd=str(REPO),
                          env=ansible_env(AEP_CLIENT_ID="x", AEP_CLIENT_SECRET="y", ANSIBLE_NOCOLOR="1"),
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2, proc.stdout
    text = " ".join(proc.stdout.split())
    assert "Refusing to write to Adobe Experience Platform without confirmation" in text
    assert "This run would write to: prod (host prod), qa-1 (host qa)." in text
    assert "-e aep_confirm=true" in text
    assert "TASK [Provision" not in proc.stdout and "TASK [Remove" not in proc.stdout and "TASK [Post" not in proc.stdout


@needs_venv
def test_onboard_script_lists_the_sandboxes_and_refuses_without_confirmation(tmp_path):
    proc = subprocess.run([str(BIN / "python"), "scripts/onboard.py", "onboard", "--target", "aep", "--inventory",
                           "inventories/aep_example", "--", "--limit", "dev"], cwd=str(REPO),
                          env=ansible_env(AEP_CLIENT_ID="x", AEP_CLIENT_SECRET="y"), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 1
    assert "will WRITE to these Adobe Experience Platform sandboxes (inventory inventories/aep_example):\n  - dev (host dev)\n" \
        in proc.stdout
    assert "(host prod)" not in proc.stdout
    assert "refusing to write to Adobe Experience Platform without confirmation" in proc.stderr
    assert "running: ansible-playbook" not in proc.stdout


def test_make_passes_target_only_from_the_command_line():
    env = ansible_env(TARGET="aep", INVENTORY="inventories/aep_example")
    proc = subprocess.run(["make", "-n", "onboard"], cwd=str(REPO), env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"scripts/onboard.py onboard --target emulator +-- *$", proc.stdout, re.M), proc.stdout
    proc = subprocess.run(["make", "-n", "preview", "TARGET=aep", "INVENTORY=inv", "CONFIRM=yes"], cwd=str(REPO),
                          env=ansible_env(), capture_output=True, text=True, check=False)
    assert "scripts/onboard.py preview --target aep --inventory inv --yes --" in proc.stdout


def test_emulator_package_installs_the_aep_emulator_command():
    text = (REPO / "emulator" / "pyproject.toml").read_text()
    assert re.search(r'^aep-emulator = "aep_emulator\.cli:main"$', text, re.M)
    assert "emulator-wheel:" in (REPO / "Makefile").read_text()
    assert "dist/" in (REPO / ".gitignore").read_text().split()


def test_every_shipped_preset_is_in_the_sources_table():
    """docs/sources.md lists every preset of roles/streaming_source/vars/presets/ (chatlio_transcript was missing)."""
    table = (REPO / "docs" / "sources.md").read_text()
    listed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", table, re.MULTILINE))
    shipped = {path.stem for path in (REPO / "roles" / "streaming_source" / "vars" / "presets").glob("*.yml")}
    assert shipped and shipped - listed == set(), "not in docs/sources.md: %s" % sorted(shipped - listed)


def test_onboard_strips_every_connection_variable():
    """scripts/onboard.py removes the AEP_* variable of every connection option (AEP_TIMEOUT=abc broke make onboard)."""
    text = (REPO / "plugins" / "module_utils" / "args.py").read_text()
    spec_env = set(re.findall(r"_env\('(AEP_[A-Z_]+)'\)", text))
    assert len(spec_env) == 14 and set(load_onboard().AEP_CONNECTION_ENV) == spec_env
