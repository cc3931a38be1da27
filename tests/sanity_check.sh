#!/usr/bin/env bash
# Release gate, run as the community's CI runs a collection: the repository checked out at
# ansible_collections/aep/platform (everything git tracks or would track; .gitignore'd files left out), then
#   sanity  `ansible-test sanity --venv` over the whole tree, emulator/ and tests/ included (no ignore file allowed)
#   units   `ansible-test units --venv` (installs tests/unit/requirements.txt)
#   docs    `antsibull-docs lint-collection-docs --plugin-docs`, `antsibull-changelog lint`, and `ansible-doc`
#           for every module of the collection tarball as `ansible-galaxy collection build` makes it
#
#   bash tests/sanity_check.sh [sanity|units|docs|all] [extra ansible-test args, e.g. --test pep8]
#
# Offline note: ansible-test bootstraps pip in its venvs with a get-pip script downloaded from a host
# this network cannot reach. When the cached script is missing we write a stand-in that runs
# `ensurepip` and then `pip install <args>` (the only packages come from PyPI through pip).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${VENV_BIN:-$ROOT/.venv/bin}
PYTHON_VERSION=${SANITY_PYTHON:-3.11}
MODE=${1:-all}
[ $# -gt 0 ] && shift
case "$MODE" in sanity|units|docs|all) ;; *) echo "usage: $0 [sanity|units|docs|all] [ansible-test args]" >&2; exit 2;; esac
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aep-sanity.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PATH="$BIN:$PATH"

if ls "$ROOT"/tests/sanity/ignore-*.txt >/dev/null 2>&1; then
  echo "sanity: ignore files are not allowed (tests/sanity/ignore-*.txt)" >&2
  exit 1
fi

get_pip_stand_in() {
  # named after the pip version ansible-test pins
  local pip_version get_pip
  pip_version=$("$BIN/python" - <<'PY'
import re, pathlib, ansible_test
src = pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
print(re.search(r"pip='([0-9.]+)'", src.read_text()).group(1))
PY
)
  get_pip="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
  [ -f "$get_pip" ] && return 0
  mkdir -p "$(dirname "$get_pip")"
  cat > "$get_pip" <<'PY'
"""Offline stand-in for get-pip.py used by ansible-test: ensurepip, then pip install <args>."""
import subprocess
import sys

DROP = {'--no-setuptools', '--no-wheel'}


def main():
    args = [a for a in sys.argv[1:] if a not in DROP]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
    subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args)


if __name__ == '__main__':
    main()
PY
  echo "sanity: wrote get-pip stand-in $get_pip"
}

# The checkout, as actions/checkout + ansible-community/ansible-test-gh-action lay it out.
CHECKOUT="$WORK/ansible_collections/aep/platform"
checkout() {
  mkdir -p "$CHECKOUT"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
     [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -C "$CHECKOUT" -xf -
  (
    cd "$CHECKOUT"
    git init -q
    git add -A >/dev/null
    git -c user.name=sanity -c user.email=sanity@localhost commit -q -m sanity
  )
  echo "sanity: checked out $(cd "$CHECKOUT" && git ls-files | wc -l) files at $CHECKOUT"
}

run_sanity() {
  (cd "$CHECKOUT" && ansible-test sanity --venv --python "$PYTHON_VERSION" --color no "$@")
}

run_units() {
  (cd "$CHECKOUT" && ansible-test units --venv --python "$PYTHON_VERSION" --color no "$@")
}

run_docs() {
  (cd "$CHECKOUT" && ANSIBLE_COLLECTIONS_PATH="$WORK" antsibull-docs lint-collection-docs --plugin-docs \
     --validate-collection-refs all --disallow-unknown-collection-refs .) || return 1
  echo "docs: antsibull-docs lint-collection-docs --plugin-docs passed"
  # markup antsibull-docs accepts but renders wrongly (a C() that ends at the first ')' of the code it quotes)
  ANSIBLE_COLLECTIONS_PATH="$WORK" ansible-doc --metadata-dump --no-fail-on-errors aep.platform 2>/dev/null \
    | python "$ROOT/tests/docs/lint_markup.py" || return 1
  echo "docs: markup lint passed"
  (cd "$ROOT" && antsibull-changelog lint && antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml) || return 1
  echo "docs: antsibull-changelog lint passed"
  # Every module's documentation renders from the collection tarball users install.
  ansible-galaxy collection build "$ROOT" --output-path "$WORK/dist" --force >/dev/null || return 1
  local tarballs=("$WORK"/dist/aep-platform-*.tar.gz) failed=0 path module
  ansible-galaxy collection install "${tarballs[0]}" -p "$WORK/installed" --force >/dev/null 2>&1 || return 1
  for path in "$WORK"/installed/ansible_collections/aep/platform/plugins/modules/*.py; do
    module=$(basename "$path" .py)
    if ! ANSIBLE_COLLECTIONS_PATH="$WORK/installed" ansible-doc "aep.platform.$module" >/dev/null 2>"$WORK/doc.err"; then
      echo "ansible-doc failed for aep.platform.$module:" >&2
      cat "$WORK/doc.err" >&2
      failed=1
    fi
  done
  [ "$failed" = 0 ] && echo "docs: ansible-doc renders every module of $(basename "${tarballs[0]}")"
  return "$failed"
}

checkout
case "$MODE" in
  sanity) get_pip_stand_in; run_sanity "$@" ;;
  units) get_pip_stand_in; run_units "$@" ;;
  docs) run_docs ;;
  all)  # every check runs; the exit status says whether any failed
    get_pip_stand_in
    failures=()
    run_sanity "$@" || failures+=(sanity)
    run_units || failures+=(units)
    run_docs || failures+=(docs)
    if [ ${#failures[@]} -gt 0 ]; then
      echo "release checks failed: ${failures[*]}" >&2
      exit 1
    fi
    echo "release checks passed: sanity, units, docs" ;;
esac
