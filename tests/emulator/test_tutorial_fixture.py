"""``fixtures/chatlio_tutorial.json`` is exactly what Adobe's tutorial and API-FACTS say (needs shared/).

The replay test (test_tutorial_replay.py) runs from the fixture alone; this test keeps the fixture honest: the
curl requests of the tutorial (method, URL path, headers, JSON body) and the JSON response example after each
one, parsed from ``shared/seed``, and the sample payload of API-FACTS §3.3."""

import json
import re

import pytest

from emulator_support import FIXTURES, SHARED_MISSING, shared_dir

SHARED = shared_dir()
pytestmark = pytest.mark.skipif(SHARED is None, reason=f"the tutorial: {SHARED_MISSING}")


def _fenced_blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"```(\w+)\n(.*?)```", text, flags=re.S)


def parse_curl(command: str) -> dict:
    method = re.search(r"curl -X (\w+)", command).group(1)
    url = re.search(r"'(https://[^']+)'", command).group(1)
    headers = dict(h.split(": ", 1) for h in re.findall(r"-H '([^']+)'", command))
    body = re.search(r"-d '(.*)'", command, flags=re.S)
    return {"method": method, "path": re.sub(r"^https://[^/]+", "", url), "headers": headers,
            "body": json.loads(body.group(1)) if body else None}


def tutorial_steps(text: str) -> list[dict]:
    steps = []
    for lang, content in _fenced_blocks(text):
        if lang == "shell":
            steps.append(parse_curl(content))
        elif lang == "json" and steps and "response" not in steps[-1]:
            steps[-1]["response"] = json.loads(content)
    return steps


def test_fixture_matches_the_tutorial_and_api_facts():
    fixture = json.loads((FIXTURES / "chatlio_tutorial.json").read_text())
    tutorial = SHARED / "seed" / "000_da99675698e26c3a.txt"
    facts = SHARED / "aep-reference" / "API-FACTS.md"
    if not (tutorial.is_file() and facts.is_file()):
        pytest.skip(f"{tutorial.name} or API-FACTS.md missing in {SHARED}")
    assert fixture["steps"] == tutorial_steps(tutorial.read_text())
    section = facts.read_text().split("### 3.3", 1)[1]
    assert fixture["sample_payload"] == json.loads(_fenced_blocks(section)[0][1])
    assert len(fixture["steps"]) == 5 and all("response" in step for step in fixture["steps"])
