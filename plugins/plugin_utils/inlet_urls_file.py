# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The artifacts file of webhook URLs (``aep.platform.inlet_urls_file``): merge or remove dataflow entries,
atomically and under a lock, on the controller.

The file (version 2) is a JSON object ``{"version": 2, "sandboxes": {sandbox: {dataflow name: entry}}}``: one entry
per dataflow, identified by its sandbox and its name (AEP holds one dataflow of a name per sandbox, and the
``aep.platform.streaming_source`` role derives the name from the preset and the prefix), so several sources
onboarded into one sandbox keep an entry each. An entry is ``{inlet_url, webhook_url, flow_id, dataset_id, preset,
prefix}`` as the role writes it (any JSON object is kept as given).

Version 1 files (``{sandbox: entry}``, one entry per sandbox, aep.platform 0.1.0) are read as version 2 without
losing an entry: each entry is kept in its sandbox under its flow id (version 1 did not record the dataflow's name)
with ``"migrated": true``, and the file is rewritten as version 2 by its next update. Merging a dataflow's entry
replaces any other entry of its sandbox with the same ``flow_id`` (so the migrated entry gives way to the named one),
and removing it removes those too.

Concurrent runs (other playbooks on other sandboxes, other AWX jobs on the same controller) may update the file at
the same time, so the read-modify-write holds an exclusive ``fcntl`` lock on ``PATH.lock``, and the new content is
written to a temporary file in the same directory, flushed, synced and renamed over ``PATH``: no run loses another's
entry, and a reader never sees a half-written file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import copy
import json
import os
import tempfile

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows controllers are not supported by Ansible
    fcntl = None

VERSION = 2
# What a file must look like, for messages.
SHAPE = '{"version": 2, "sandboxes": {sandbox: {dataflow name: entry}}} (or version 1: {sandbox: entry})'


class ArtifactsFileError(Exception):
    """The file cannot be read as an artifacts file (version 1 or 2), or cannot be written; the message names the
    path."""


def parse(data, where='artifacts file'):
    """The dataflow entries ``{sandbox: {dataflow name: entry}}`` of a decoded file (version 1 or 2).

    Returns ``(sandboxes, version)``; ``version`` is the file's (1 means the entries were migrated in memory).
    Raises ArtifactsFileError (starting with ``where``) for any other content."""
    if not isinstance(data, dict):
        raise ArtifactsFileError('%s: holds a JSON %s, not an object %s; fix or remove the file' % (where, type(data).__name__, SHAPE))
    version = data.get('version')
    if isinstance(version, int) and not isinstance(version, bool) and isinstance(data.get('sandboxes'), dict):
        if version != VERSION:
            raise ArtifactsFileError('%s: is version %d of the artifacts file; this aep.platform reads versions 1 and 2. '
                                     'Use the aep.platform that wrote it, or another path' % (where, version))
        sandboxes = data['sandboxes']
        for sandbox, flows in sandboxes.items():
            if not isinstance(flows, dict) or not all(isinstance(entry, dict) for entry in flows.values()):
                raise ArtifactsFileError('%s: sandboxes.%s is not an object of dataflow name -> entry (an object); '
                                         'fix or remove the file' % (where, sandbox))
        return copy.deepcopy(sandboxes), VERSION
    sandboxes = {}
    for sandbox, entry in data.items():
        if not isinstance(entry, dict):
            raise ArtifactsFileError('%s: the entry of %s is a JSON %s, not an object; the file is neither %s; '
                                     'fix or remove the file' % (where, sandbox, type(entry).__name__, SHAPE))
        flow_id = entry.get('flow_id')  # the key of the sandbox's one entry: its flow id, else "(unnamed)"
        sandboxes[sandbox] = {flow_id if isinstance(flow_id, str) and flow_id else '(unnamed)': dict(entry, migrated=True)}
    return sandboxes, 1


def read(path):
    """The dataflow entries of ``path``, ``{sandbox: {dataflow name: entry}}`` (``{}`` when the file does not exist or
    is empty; a version 1 file is migrated in memory, see the module docstring); ArtifactsFileError otherwise."""
    return _read(path)[0]


def _read(path):
    """``(sandboxes, version)`` of ``path``; ``version`` is None when there is no file or it is empty."""
    try:
        with open(path) as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as err:
        raise ArtifactsFileError('%s: cannot be read (%s)' % (path, getattr(err, 'strerror', None) or err))
    if not text.strip():
        return {}, None
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ArtifactsFileError('%s: does not hold JSON (%s); fix or remove the file' % (path, err))
    return parse(data, where=path)


def write(path, sandboxes):
    """Replace ``path`` with the version 2 file of ``sandboxes`` (sorted, indented JSON) through a synced temporary
    file and a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.tmp', dir=directory)
    try:
        with os.fdopen(handle, 'w') as out:
            out.write(json.dumps({'version': VERSION, 'sandboxes': sandboxes}, indent=2, sort_keys=True) + '\n')
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


def _drop(flows, name, entry):
    """Remove dataflow ``name`` from ``flows`` (one sandbox's entries), and any entry with ``entry``'s flow id."""
    flows.pop(name, None)
    flow_id = (entry or {}).get('flow_id')
    if flow_id:
        for other in [key for key, value in flows.items() if value.get('flow_id') == flow_id]:
            del flows[other]


def _apply(current, entries, remove, sandboxes):
    after = copy.deepcopy(current)
    for sandbox, flows in (remove or {}).items():
        for name, entry in flows.items():
            _drop(after.get(sandbox, {}), name, entry)
    for sandbox in sandboxes or ():
        after.pop(sandbox, None)
    for sandbox, flows in (entries or {}).items():
        target = after.setdefault(sandbox, {})
        for name, entry in flows.items():
            _drop(target, name, entry)
            target[name] = entry
    return dict((sandbox, flows) for sandbox, flows in after.items() if flows)


def update(path, entries=None, remove=None, sandboxes=None, check_mode=False):
    """Merge ``entries`` into the file at ``path``, then drop the dataflows in ``remove`` and the ``sandboxes``.

    ``entries`` and ``remove`` are ``{sandbox: {dataflow name: entry}}``; a merged entry replaces the dataflow's entry
    and any other entry of its sandbox with the same ``flow_id``; a removed one takes those with it (its entry may be
    ``{}`` or give the ``flow_id``). ``sandboxes`` lists sandboxes whose every entry is removed. A version 1 file is
    migrated (rewritten as version 2 whenever the update writes).

    Returns ``(changed, before, after)``: ``before``/``after`` are the touched sandboxes' entries before and after
    (a sandbox with no entry is missing there). In check mode nothing is created, locked or written; the result is
    what the run would do. The directory is created when missing. ArtifactsFileError names the path and the reason
    when the file cannot be read or written."""
    entries = entries or {}
    remove = remove or {}
    sandboxes = list(sandboxes or ())
    path = os.path.abspath(os.path.expanduser(path))

    def apply():
        current, version = _read(path)
        after = _apply(current, entries, remove, sandboxes)
        touched = set(entries) | set(remove) | set(sandboxes)
        changed = after != current or (bool(entries) and version is None) or (version == 1 and bool(after))
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
