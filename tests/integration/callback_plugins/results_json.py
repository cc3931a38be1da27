# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stdout callback: the whole run as one JSON document (the layout of ansible.posix.json).

ansible-core 2.19 no longer ships a json callback (ansible.builtin.json redirects to ansible.posix,
which is not installed), so the integration tests load this one with ANSIBLE_CALLBACK_PLUGINS.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: results_json
type: stdout
short_description: The run as one JSON document (tests only)
description:
  - Prints plays, tasks, per-host results, stats and custom stats as JSON at the end of the run.
author:
  - aep.platform contributors
'''

import json

from ansible.parsing.ajson import AnsibleJSONEncoder
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'results_json'

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display)
        self.results = []
        self._task_index = {}

    def v2_playbook_on_play_start(self, play):
        self.results.append({'play': {'name': play.get_name(), 'id': str(play._uuid)}, 'tasks': []})
        self._task_index = {}

    def _task_entry(self, task):
        key = str(task._uuid)
        if key not in self._task_index:
            entry = {'task': {'name': task.get_name(), 'id': key}, 'hosts': {}}
            self.results[-1]['tasks'].append(entry)
            self._task_index[key] = entry
        return self._task_index[key]

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_entry(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._task_entry(task)

    def _record(self, result, **flags):
        data = dict(result._result)
        data.update(flags)
        host = result._host.get_name()
        self._task_entry(result._task)['hosts'][host] = data

    def v2_runner_on_ok(self, result, **kwargs):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False, **kwargs):
        self._record(result, failed=True)

    def v2_runner_on_skipped(self, result, **kwargs):
        self._record(result, skipped=True)

    def v2_runner_on_unreachable(self, result, **kwargs):
        self._record(result, unreachable=True)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        summary = dict((h, stats.summarize(h)) for h in hosts)
        custom = dict(stats.custom)
        output = {'plays': self.results, 'stats': summary, 'custom_stats': custom,
                  'global_custom_stats': custom.get('_run', {})}
        self._display.display(json.dumps(output, cls=AnsibleJSONEncoder, indent=2, sort_keys=True))
