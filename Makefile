# aep.platform — the two commands a newcomer needs:
#   make onboard   provision the Chatlio dataflow in the local emulator (started or reused in the background)
#   make test      the whole test suite (what .ci/run calls)
# Real Adobe Experience Platform is always named, never taken from AEP_* credentials in the environment:
#   make preview TARGET=aep INVENTORY=inventories/aep_example              # --check --diff, writes nothing
#   make onboard TARGET=aep INVENTORY=inventories/aep_example [CONFIRM=yes]  # lists the sandboxes, asks
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORE ?= ansible-core>=2.19,<2.20
REQS ?= requirements-dev.txt
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.collections
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: test-compat compat-run onboard preview offboard smoke emulator emulator-stop emulator-wheel test units units-ansible-test emulator-tests integration docs-test sanity docs-lint release-checks lint changelog action-group bench-rollout bench-emulator venv collection-link clean

$(STAMP): requirements.txt requirements-test.txt requirements-dev.txt emulator/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r $(REQS) "$(CORE)"
	touch $(STAMP)

venv: $(STAMP)

collection-link:
	@mkdir -p .collections/ansible_collections/aep
	@test -e .collections/ansible_collections/aep/platform || ln -s ../../.. .collections/ansible_collections/aep/platform

# TARGET counts only when given on the command line (`make onboard TARGET=aep ...`), never from the environment.
ifneq ($(origin TARGET),command line)
TARGET := emulator
endif
INVENTORY ?=
CONFIRM ?=
ARGS ?=
ONBOARD = $(BIN)/python scripts/onboard.py $(1) --target $(TARGET) $(if $(filter aep,$(TARGET)),$(if $(INVENTORY),--inventory $(INVENTORY))) \
	$(if $(filter yes,$(CONFIRM)),--yes) -- $(ARGS)

onboard: venv collection-link
	$(call ONBOARD,onboard)

preview: venv collection-link
	$(call ONBOARD,preview)

offboard: venv collection-link
	$(call ONBOARD,offboard)

smoke: venv collection-link
	$(call ONBOARD,smoke)

emulator: venv
	$(BIN)/python scripts/onboard.py emulator-start

# Benchmarks (side-by-side ratios, never timed tests): N sandboxes against Ansible's floor; the emulator itself.
bench-rollout: venv collection-link
	$(BIN)/python benchmarks/bench_rollout.py -n $(or $(N),100)

bench-emulator: venv
	$(BIN)/python benchmarks/bench_emulator.py

emulator-stop:
	@test -x $(BIN)/python && $(BIN)/python scripts/onboard.py emulator-stop || true

test: venv collection-link
	$(BIN)/python scripts/gen_action_group.py --check
	$(BIN)/python scripts/gen_action_plugins.py --check
	$(BIN)/python -m pytest -q -n 2 tests/unit tests/emulator tests/integration tests/docs
	$(MAKE) --no-print-directory -k lint release-checks test-compat  # -k: every check runs, any failure fails

# Supported ansible-core: the releases not at end of life (README "Supported ansible-core", meta/runtime.yml).
# The default venv has the oldest (CORE above, 2.19); this entry runs unit + integration tests on the newest.
test-compat:
	$(MAKE) --no-print-directory compat-run COMPAT_PYTHON=3.13 CORE='ansible-core>=2.21,<2.22' VENV=.venv-core2.21

compat-run: collection-link
	@interpreter=$$(ls $$HOME/.pyenv/versions/$(COMPAT_PYTHON).*/bin/python$(COMPAT_PYTHON) 2>/dev/null | tail -n 1); \
	  test -n "$$interpreter" || interpreter=$$(command -v python$(COMPAT_PYTHON) || true); \
	  if [ -z "$$interpreter" ] || ! "$$interpreter" -c pass 2>/dev/null; then \
	    echo "compat: python$(COMPAT_PYTHON) not found, skipping $(CORE)"; exit 0; fi; \
	  $(MAKE) --no-print-directory venv PYTHON=$$interpreter REQS=requirements-test.txt && \
	  echo "compat: $$($(BIN)/ansible --version | head -n 1) on $$($(BIN)/python --version)" && \
	  $(BIN)/python -m pytest -q -n 2 -p no:cacheprovider tests/unit tests/integration

units: venv collection-link
	$(BIN)/python -m pytest -q tests/unit

emulator-tests: venv
	$(BIN)/python -m pytest -q -n 2 tests/emulator

integration: venv collection-link
	$(BIN)/python -m pytest -q -n 2 tests/integration

docs-test: venv collection-link
	$(BIN)/python -m pytest -q tests/docs

# The whole collection (roles, playbooks, plugins' EXAMPLES, inventories, changelogs, ...), .ansible-lint excludes.
lint: venv collection-link
	$(BIN)/ansible-lint --profile production --offline

# ansible-test sanity (no ignore file) and units from the repository laid out as ansible_collections/aep/platform,
# antsibull-docs and antsibull-changelog lint, ansible-doc of the built tarball (tests/sanity_check.sh).
release-checks: venv
	bash tests/sanity_check.sh all

sanity: venv
	bash tests/sanity_check.sh sanity

units-ansible-test: venv
	bash tests/sanity_check.sh units

docs-lint: venv collection-link
	bash tests/sanity_check.sh docs

# CHANGELOG.rst from changelogs/fragments for the version in galaxy.yml (rerun after adding fragments).
changelog: venv collection-link
	$(BIN)/antsibull-changelog release --version $$(sed -n 's/^version: *//p' galaxy.yml)

# The emulator as a wheel for users of the collection: pip install dist/aep_emulator-*.whl puts aep-emulator on PATH.
emulator-wheel: venv
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation -q -w dist ./emulator
	@ls dist/aep_emulator-*.whl

action-group: venv
	$(BIN)/python scripts/gen_action_group.py --write

clean:
	rm -rf .collections tests/output artifacts .venv-core* dist
