# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The artifacts file of webhook URLs (``aep.platform.inlet_urls_file``): merge or remove sandbox entries, atomically
and under a lock, on the controller.

The file is a JSON object ``{sandbox: entry}``; an entry is ``{inlet_url, webhook_url, flow_id, dataset_id}`` as the
``aep.platform.streaming_source`` role writes it (any JSON object is kept as given). Concurrent runs (other
playbooks on other sandboxes, other AWX jobs on the same controller) may update it at the same time, so the
read-modify-write holds an exclusive ``fcntl`` lock on ``PATH.lock``, and the new content is written to a
temporary file in the same directory, flushed, synced and renamed over ``PATH``: no run loses another's entry, and
a reader never sees a half-written file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import os
import tempfile

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows controllers are not supported by Ansible
    fcntl = None


class ArtifactsFileError(Exception):
    """The file cannot be read as an object of sandbox entries, or cannot be written; the message names the path."""


def read(path):
    """The entries of ``path`` (``{}`` when the file does not exist or is empty); ArtifactsFileError otherwise."""
    try:
        with open(path) as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise ArtifactsFileError('%s: cannot be read (%s)' % (path, getattr(err, 'strerror', None) or err))
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ArtifactsFileError('%s: does not hold JSON (%s); fix or remove the file' % (path, err))
    if not isinstance(data, dict):
        raise ArtifactsFileError('%s: holds a JSON %s, not an object of sandbox -> entry; fix or remove the file'
                                 % (path, type(data).__name__))
    return data


def write(path, data):
    """Replace ``path`` with ``data`` (sorted, indented JSON) through a synced temporary file and a rename."""
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


@contextlib.contextmanager
def _locked(path):
    with open(path + '.lock', 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def update(path, entries=None, remove=None, check_mode=False):
    """Merge ``entries`` (``{sandbox: entry}``) into the file at ``path`` and drop the sandboxes in ``remove``.

    Returns ``(changed, before, after)``: ``before``/``after`` are the touched sandboxes' entries before and after
    (a sandbox absent from one side is missing there). In check mode nothing is created, locked or written; the
    result is what the run would do. The directory is created when missing. ArtifactsFileError names the path and
    the reason when the file cannot be read or written."""
    entries = dict(entries or {})
    remove = [sandbox for sandbox in (remove or []) if sandbox not in entries]
    path = os.path.abspath(os.path.expanduser(path))

    def apply():
        current = read(path)
        touched = set(entries) | set(remove)
        after = dict(current)
        after.update(entries)
        for sandbox in remove:
            after.pop(sandbox, None)
        changed = after != current or (bool(entries) and not os.path.exists(path))
        if changed and not check_mode:
            write(path, after)
        return (changed, dict((k, v) for k, v in current.items() if k in touched),
                dict((k, v) for k, v in after.items() if k in touched))

    try:
        if check_mode:
            return apply()
        if not entries and not os.path.exists(path):  # nothing to remove from a file that does not exist
            return False, {}, {}
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with _locked(path):
            return apply()
    except OSError as err:
        raise ArtifactsFileError('%s: cannot be written (%s)' % (path, err.strerror or err))
