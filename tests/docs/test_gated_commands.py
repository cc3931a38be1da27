"""Every command the docs give for a real-AEP write goes through the confirmation gate (breaker report 4, finding 2):
the root playbooks (which list the sandboxes and need --check --diff or -e aep_confirm=true) or `make ... TARGET=aep`.
The playbooks under playbooks/ (and aep.platform.* from an installed collection) write at once: a documented command
that runs one of them against an inventory other than the local emulator's must be a --check preview."""
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Where commands are documented: Markdown guides, and the comments of inventories, playbooks and the Makefile.
SOURCES = (["README.md", "Makefile"] + sorted(str(p.relative_to(REPO)) for p in (REPO / "docs").glob("*.md"))
           + sorted(str(p.relative_to(REPO)) for p in (REPO / "inventories").rglob("*") if p.is_file())
           + sorted(str(p.relative_to(REPO)) for p in (REPO / "playbooks").glob("*.yml"))
           + sorted(str(p.relative_to(REPO)) for p in REPO.glob("*.yml")))
UNGATED = re.compile(r"(?:^|[\s/])(?:playbooks/|aep\.platform\.)(?:onboard|offboard)_chatlio(?:\.yml)?\b")
INVENTORY = re.compile(r"(?:^|\s)(?:-i|--inventory)[ =](\S+)")


def commands():
    """(file:line, command) of every ansible-playbook command line in SOURCES."""
    for name in SOURCES:
        for number, line in enumerate((REPO / name).read_text(errors="replace").splitlines(), 1):
            if "ansible-playbook " in line:
                yield "%s:%d" % (name, number), line[line.index("ansible-playbook "):].split("#")[0].strip(" `")


def test_no_documented_real_aep_write_skips_the_confirmation():
    found = list(commands())
    assert len(found) > 20, found
    ungated = []
    for where, command in found:
        inventory = INVENTORY.search(command)
        real_aep = inventory and inventory.group(1).rstrip("/") != "inventories/local"
        if UNGATED.search(command) and real_aep and "--check" not in command:
            ungated.append((where, command))
    assert ungated == [], "use the root playbook (or make ... TARGET=aep), or make it a --check preview: %s" % ungated


def test_the_rule_catches_the_commands_of_the_report():
    bad = ["ansible-playbook -i inventories/dynamic/aep.sandboxes.yml playbooks/onboard_chatlio.yml",
           "ansible-playbook -i <inventory> playbooks/offboard_chatlio.yml",
           "ansible-playbook aep.platform.onboard_chatlio -i inventories/aep_example"]
    good = ["ansible-playbook -i inventories/dynamic/aep.sandboxes.yml onboard_chatlio.yml -e aep_confirm=true",
            "ansible-playbook -i <inventory> playbooks/offboard_chatlio.yml --check --diff",
            "ansible-playbook playbooks/onboard_chatlio.yml -e streaming_source_preset=pendo"]
    for command in bad:
        assert UNGATED.search(command) and INVENTORY.search(command), command
    for command in good:
        assert not (UNGATED.search(command) and INVENTORY.search(command) and "--check" not in command), command
