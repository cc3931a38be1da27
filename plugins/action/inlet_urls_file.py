# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs M(aep.platform.inlet_urls_file) on the controller (the file is the controller's, whatever the host)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.aep.platform.plugins.modules.inlet_urls_file import ARGUMENT_SPEC, RULES
from ansible_collections.aep.platform.plugins.plugin_utils.inlet_urls_file import ArtifactsFileError, update

VALIDATOR = ArgumentSpecValidator(ARGUMENT_SPEC, **RULES)


def _shape_problem(entries):
    """None when ``entries`` is ``{sandbox: {dataflow name: dict}}`` (or empty), else what is wrong, naming the key."""
    for sandbox, flows in sorted((entries or {}).items(), key=lambda item: str(item[0])):
        if not isinstance(flows, dict):
            return 'the value of %s is not a dict of dataflow name -> entry' % sandbox
        for name, entry in flows.items():
            if not isinstance(entry, dict):
                return 'the entry of dataflow %r in %s is not a dict (a version 1 entry {sandbox: {webhook_url: ...}}?)' % (str(name), sandbox)
    return None


class ActionModule(ActionBase):
    """Merge or remove dataflow entries of the artifacts file (plugins/plugin_utils/inlet_urls_file.py)."""

    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        validation = VALIDATOR.validate(dict(self._task.args))
        if validation.error_messages:
            result.update(failed=True, msg='Unsupported or invalid parameters: %s' % '; '.join(validation.error_messages))
            return result
        params = validation.validated_parameters
        problem = _shape_problem(params['entries'])
        if problem:
            result.update(failed=True, msg='entries: %s; give {sandbox: {dataflow name: {inlet_url: ..., webhook_url: ..., '
                                           'flow_id: ..., ...}}}' % problem)
            return result
        present = params['state'] == 'present'
        try:
            changed, before, after = update(params['path'], entries=params['entries'] if present else None,
                                            remove=None if present else params['entries'],
                                            sandboxes=None if present else params['sandboxes'],
                                            check_mode=bool(self._task.check_mode))
        except ArtifactsFileError as err:
            result.update(failed=True, msg='artifacts file %s; set another path' % err)
            return result
        result.update(changed=changed, path=params['path'])
        if self._task.diff:
            result['diff'] = dict(before=before, after=after, before_header=params['path'], after_header=params['path'])
        return result
