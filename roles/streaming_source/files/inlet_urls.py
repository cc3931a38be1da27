# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merge entries into (or remove sandboxes from) the shared artifacts file, atomically and under a lock.

    python inlet_urls.py merge  PATH < '{"dev": {"inlet_url": ..., "webhook_url": ..., ...}}'
    python inlet_urls.py remove PATH < '["dev", "stage"]'

The file is a JSON object ``{sandbox: entry}``. Concurrent runs (other playbooks on other sandboxes) may
update it at the same time, so the read-modify-write holds an exclusive ``fcntl`` lock on ``PATH.lock`` and
the new content is written to a temporary file in the same directory, flushed and renamed over ``PATH``:
no run loses another's entry, and a reader never sees a half-written file. Prints ``changed`` or
``unchanged``; exit status 2 with a one-line message when the file holds something other than a JSON object.
"""

import fcntl
import json
import os
import sys
import tempfile


def read(path):
    try:
        with open(path) as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    if not text.strip():
        return {}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError('%s holds %s, not a JSON object of sandbox -> entry' % (path, type(data).__name__))
    return data


def write(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.tmp', dir=directory)
    try:
        with os.fdopen(handle, 'w') as out:
            out.write(json.dumps(data, indent=2, sort_keys=True) + '\n')
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def update(action, path, payload):
    """Apply ``payload`` to the file at ``path`` under the lock; True when the content changed."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + '.lock', 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            before = read(path)
            after = dict(before)
            if action == 'merge':
                after.update(payload)
            else:
                for sandbox in payload:
                    after.pop(sandbox, None)
            if after == before and (os.path.exists(path) or action == 'remove'):
                return False
            write(path, after)
            return True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def main(argv):
    if len(argv) != 3 or argv[1] not in ('merge', 'remove'):
        sys.stderr.write('usage: inlet_urls.py merge|remove PATH < JSON\n')
        return 2
    try:
        payload = json.loads(sys.stdin.read() or 'null')
    except ValueError as err:
        sys.stderr.write('inlet_urls.py %s: stdin is not JSON: %s\n' % (argv[1], err))
        return 2
    if argv[1] == 'merge' and not isinstance(payload, dict) or argv[1] == 'remove' and not isinstance(payload, list):
        sys.stderr.write('inlet_urls.py %s: stdin must hold a JSON %s\n' % (argv[1], 'object' if argv[1] == 'merge' else 'list'))
        return 2
    try:
        changed = update(argv[1], argv[2], payload)
    except (OSError, ValueError) as err:
        sys.stderr.write('artifacts file %s: %s\n' % (argv[2], err))
        return 2
    sys.stdout.write('changed\n' if changed else 'unchanged\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
