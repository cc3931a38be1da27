#!/usr/bin/env bash
# Sanity gate: build the collection tarball, install it into a temporary
# ansible_collections/aep/platform tree (ansible-test only runs there, and lists files through git),
# run `ansible-test sanity --venv` (no ignore file allowed) and `ansible-doc` for every module.
#
#   bash tests/sanity_check.sh [extra ansible-test args, e.g. --test validate-modules]
#
# Offline note: ansible-test bootstraps pip in its venvs with a get-pip script downloaded from a host
# this network cannot reach. When the cached script is missing we write a stand-in that runs
# `ensurepip` and then `pip install <args>` (the only packages come from PyPI through pip).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${VENV_BIN:-$ROOT/.venv/bin}
PYTHON_VERSION=${SANITY_PYTHON:-3.11}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aep-sanity.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ -e "$ROOT/tests/sanity/ignore-2.19.txt" ] || ls "$ROOT"/tests/sanity/ignore-*.txt >/dev/null 2>&1; then
  echo "sanity: ignore files are not allowed (tests/sanity/ignore-*.txt)" >&2
  exit 1
fi

# 1. get-pip stand-in, named after the pip version ansible-test pins.
PIP_VERSION=$("$BIN/python" - <<'PY'
import re, pathlib, ansible_test
src = pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
print(re.search(r"pip='([0-9.]+)'", src.read_text()).group(1))
PY
)
GET_PIP="$HOME/.ansible/test/cache/get_pip_${PIP_VERSION//./_}.py"
if [ ! -f "$GET_PIP" ]; then
  mkdir -p "$(dirname "$GET_PIP")"
  cat > "$GET_PIP" <<'PY'
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
  echo "sanity: wrote get-pip stand-in $GET_PIP"
fi

# 2. Build and install the collection exactly as users get it.
"$BIN/ansible-galaxy" collection build "$ROOT" --output-path "$WORK/dist" --force >/dev/null
TARBALLS=("$WORK"/dist/aep-platform-*.tar.gz)
TARBALL=${TARBALLS[0]}
"$BIN/ansible-galaxy" collection install "$TARBALL" -p "$WORK/collections" --force >/dev/null
DEST="$WORK/collections/ansible_collections/aep/platform"
echo "sanity: built $(basename "$TARBALL"), installed into $DEST"

# 3. ansible-test lists files through git.
(
  cd "$DEST"
  printf 'tests/output/\n' > .gitignore
  git init -q
  git add -A >/dev/null
  git -c user.name=sanity -c user.email=sanity@localhost commit -q -m sanity
)

# 4. Sanity tests.
(
  cd "$DEST"
  PATH="$BIN:$PATH" "$BIN/ansible-test" sanity --venv --python "$PYTHON_VERSION" --color no "$@"
)

# 5. Every module's documentation renders.
failed=0
for path in "$DEST"/plugins/modules/*.py; do
  module=$(basename "$path" .py)
  if ! ANSIBLE_COLLECTIONS_PATH="$WORK/collections" "$BIN/ansible-doc" "aep.platform.$module" >/dev/null 2>"$WORK/doc.err"; then
    echo "ansible-doc failed for aep.platform.$module:" >&2
    cat "$WORK/doc.err" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] && echo "sanity: ansible-doc renders every module"
exit "$failed"
