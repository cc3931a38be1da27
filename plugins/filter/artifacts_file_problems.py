# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ``aep.platform.artifacts_file_problems`` filter: why the role could not update its artifacts file.

The ``aep.platform.streaming_source`` role merges each sandbox's dataflow (inlet and webhook URLs) into a JSON file on the
controller after the sandboxes are provisioned (``aep.platform.inlet_urls_file``: a lock file ``PATH.lock`` and a
temporary file in the same directory, renamed over ``PATH``). A path it cannot write would fail
only then, after every AEP object was made, and never in check mode; the role calls this filter once per play,
before the first request, in check mode too, so both fail the same way and before any write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: artifacts_file_problems
short_description: Check that the streaming_source role can update its artifacts file
version_added: 0.1.0
description:
  - Returns the reasons why the JSON artifacts file at the input path (sandbox -> dataflow -> inlet and webhook URLs) could not be
    updated by the C(aep.platform.streaming_source) role, as a list of messages; empty when it can.
  - It checks that the file, if it exists, is a regular file holding an artifacts file of version 1 or 2 (or nothing), and that its directory
    (or, when the directory does not exist yet, its nearest existing parent, where the role would create it) accepts
    new files, by creating and at once removing an empty temporary file there. It changes nothing else.
  - An empty path means no artifacts file and no problem.
author:
  - aep.platform maintainers (@aep-platform)
options:
  _input:
    description: Path of the artifacts file (C(streaming_source_artifacts_file)).
    type: path
    required: true
'''

EXAMPLES = r'''
- name: Stop before any request when the artifacts file cannot be written
  ansible.builtin.fail:
    msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ '/srv/aep/inlet_urls.json' | aep.platform.artifacts_file_problems }}"
  when: problems | length > 0
'''

RETURN = r'''
_value:
  description: One message per problem, naming the path and the fix; empty when the file can be updated.
  type: list
  elements: str
'''

import json
import os
import tempfile

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.aep.platform.plugins.plugin_utils.inlet_urls_file import ArtifactsFileError, parse

FIX = 'set aep_artifacts_file (or streaming_source_artifacts_file) to a writable path, or to "" for no artifacts file'


def _accepts_new_files(directory):
    """None when a file can be created in ``directory``, else the reason (the OS error)."""
    try:
        handle, probe = tempfile.mkstemp(prefix='.aep-artifacts-probe-', dir=directory)
    except OSError as err:
        return err.strerror or str(err)
    os.close(handle)
    try:
        os.unlink(probe)
    except OSError:
        pass
    return None


def artifacts_file_problems(path):
    """The problems of the artifacts file ``path`` as a list of messages (see DOCUMENTATION)."""
    path = to_text(path or '').strip()
    if not path:
        return []
    path = os.path.abspath(os.path.expanduser(path))
    where = 'artifacts file %s: ' % path
    if os.path.isdir(path):
        return [where + 'is a directory; ' + FIX]
    if os.path.lexists(path):
        if not os.path.isfile(path):
            return [where + 'is not a regular file; ' + FIX]
        try:
            with open(path) as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as err:
            return [where + 'cannot be read (%s); %s' % (getattr(err, 'strerror', None) or err, FIX)]
        if text.strip():
            try:
                data = json.loads(text)
            except ValueError as err:
                return [where + 'does not hold JSON (%s); fix or remove the file, or %s' % (err, FIX)]
            try:  # the artifacts file's own reader: versions 1 and 2, each sandbox's entries objects
                parse(data, where=where[:-2])
            except ArtifactsFileError as err:
                return ['%s, or %s' % (err, FIX)]
    directory = os.path.dirname(path)
    existing = directory
    while not os.path.isdir(existing):
        if os.path.lexists(existing):
            return [where + '%s is not a directory; %s' % (existing, FIX)]
        existing = os.path.dirname(existing)
    reason = _accepts_new_files(existing)
    if reason:
        what = 'its directory %s' % existing if existing == directory else '%s (where its directory would be created)' % existing
        return [where + '%s does not accept new files (%s); %s' % (what, reason, FIX)]
    return []


class FilterModule(object):
    def filters(self):
        return {'artifacts_file_problems': artifacts_file_problems}
