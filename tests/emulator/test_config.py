"""The YAML config is validated by a schema before the emulator starts: every invalid, unknown or missing key
is named with its place in the file, the process exits 2 with one clear message, never a traceback."""

import subprocess
import sys

import pytest

from aep_emulator.core.config import ConfigError, load_config, parse_config

from emulator_support import Aep

ORG = "{id: 1@AdobeOrg, credentials: [{client_id: c, client_secret: s}], sandboxes: [%s]}"


def run_cli(tmp_path, text: str) -> subprocess.CompletedProcess:
    config = tmp_path / "emu.yaml"
    config.write_text(text)
    return subprocess.run([sys.executable, "-m", "aep_emulator", "--port", "0", "--config", str(config)],
                          capture_output=True, text=True, timeout=30, check=False)


@pytest.mark.parametrize("text, expected", [
    ("token_lifetime: 60\n", "token_lifetime: unknown key"),
    (f"orgs: [{ORG % '{name: prod, title: P, type: prodction}'}]\n",
     "orgs[0].sandboxes[0].type: Input should be 'production' or 'development' (got 'prodction')"),
    ("orgs: [{id: 1@AdobeOrg, sandboxes: [{name: prod, title: P}]}]\n", "orgs[0].credentials: required key is missing"),
    (f"orgs: [{ORG % '{name: prod}'}]\n", "orgs[0].sandboxes[0].title: required key is missing"),
    (f"orgs: [{ORG % '{name: prod, title: P, tpye: development}'}]\n", "orgs[0].sandboxes[0].tpye: unknown key"),
    ("token_lifetime_seconds: soon\n", "token_lifetime_seconds: Input should be a valid integer (got 'soon')"),
    ("token_lifetime_seconds: 0\n", "token_lifetime_seconds: Input should be greater than or equal to 1"),
    ("synchronous: sometimes\n", "synchronous: Input should be 'OFF', 'NORMAL', 'FULL' or 'EXTRA'"),
    ("public_url: ftp://x\n", "public_url: String should match pattern"),
    ("orgs: []\n", "orgs: List should have at least 1 item"),
    (f"orgs: [{ORG % '{name: a, title: A}, {name: a, title: B}'}]\n", "sandbox names must be unique in an org: a"),
    ("- just\n- a list\n", "(top level): must be a mapping of keys, got list"),
    ("orgs: [\n", "not valid YAML"),
])
def test_invalid_config_is_named_and_refused(tmp_path, text, expected):
    result = run_cli(tmp_path, text)
    assert result.returncode == 2
    assert expected in result.stderr, result.stderr
    assert result.stderr.startswith("aep-emulator: error: invalid emulator config ")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_every_problem_is_listed_at_once():
    with pytest.raises(ConfigError) as caught:
        parse_config({"token_lifetime": 1, "synchronous": "x", "orgs": [{"id": "nope"}]})
    problems = caught.value.problems
    assert "token_lifetime: unknown key (check its spelling; see emulator/README.md for the keys)" in problems
    assert {p.split(":")[0] for p in problems} >= {"synchronous", "orgs[0].id", "orgs[0].credentials",
                                                   "orgs[0].sandboxes"}


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_config(tmp_path / "absent.yaml")


def test_valid_config_keeps_defaults_for_left_out_keys(tmp_path):
    config = parse_config({"token_lifetime_seconds": 5, "synchronous": "full"})
    assert (config.token_lifetime_seconds, config.synchronous) == (5, "FULL")
    assert config.orgs[0].tenant == "emulated" and [s.name for s in config.orgs[0].sandboxes] == ["prod", "dev", "stage"]
    assert parse_config(None).token_lifetime_seconds == 86399


def test_a_valid_file_starts(start_emulator, tmp_path):
    config = tmp_path / "emu.yaml"
    config.write_text("orgs:\n  - id: ABC@AdobeOrg\n    tenant: acme\n"
                      "    credentials: [{client_id: c1, client_secret: s1}]\n"
                      "    sandboxes: [{name: prod, title: Prod, type: production, default: true}]\n")
    aep = Aep(start_emulator(config=config).url, client_id="c1", secret="s1", org="ABC@AdobeOrg")
    stats = aep.get("/data/foundation/schemaregistry/stats")
    assert stats.status_code == 200 and stats.json()["tenantId"] == "acme"
