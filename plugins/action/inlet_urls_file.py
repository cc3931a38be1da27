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


class ActionModule(ActionBase):
    """Merge or remove sandbox entries of the artifacts file (plugins/plugin_utils/inlet_urls_file.py)."""

    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        validation = VALIDATOR.validate(dict(self._task.args))
        if validation.error_messages:
            result.update(failed=True, msg='Unsupported or invalid parameters: %s' % '; '.join(validation.error_messages))
            return result
        params = validation.validated_parameters
        bad = sorted(str(k) for k, v in (params['entries'] or {}).items() if not isinstance(v, dict))
        if bad:
            result.update(failed=True, msg='entries: the entry of %s is not a dict; give {sandbox: {inlet_url: ..., '
                                           'webhook_url: ..., ...}}' % ', '.join(bad))
            return result
        present = params['state'] == 'present'
        try:
            changed, before, after = update(params['path'], entries=params['entries'] if present else None,
                                            remove=None if present else params['sandboxes'],
                                            check_mode=bool(self._task.check_mode))
        except ArtifactsFileError as err:
            result.update(failed=True, msg='artifacts file %s; set another path' % err)
            return result
        result.update(changed=changed, path=params['path'])
        if self._task.diff:
            result['diff'] = dict(before=before, after=after, before_header=params['path'], after_header=params['path'])
        return result
