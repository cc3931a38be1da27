#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: inlet_urls_file
short_description: Merge dataflows' webhook URLs into a JSON artifacts file on the controller
description:
  - "Keeps a JSON file of the webhook URLs of dataflows on the Ansible controller, the artifacts file the
    C(aep.platform.streaming_source) role writes after onboarding (and prunes after offboarding)."
  - "The file (version 2) is C({\"version\": 2, \"sandboxes\": {sandbox: {dataflow name: entry}}}): one entry per
    dataflow, identified by its sandbox and its name, so several sources onboarded into one sandbox keep an entry each.
    The role's entries are C({inlet_url, webhook_url, flow_id, dataset_id, preset, prefix}); any dict is kept as given."
  - "A version 1 file (C({sandbox: entry}), one entry per sandbox, written by aep.platform 0.1.0) is read without losing
    an entry: each one is kept in its sandbox under its flow id (version 1 did not record the dataflow's name), with
    C(migrated: true), and the file is rewritten as version 2 by its next update. An entry merged for a dataflow
    replaces any other entry of its sandbox with the same C(flow_id), so the migrated entry gives way to the named one."
  - With O(state=present) the O(entries) are merged into the file (other dataflows' entries are kept); with
    O(state=absent) the dataflows in O(entries) and every dataflow of the O(sandboxes) are removed from it.
  - Runs on the controller, through its action plugin, whatever the host; it makes no request to AEP.
  - Concurrent runs (other playbooks, other AWX jobs on the same controller) may update the file at the same time, so
    the read-modify-write holds an exclusive lock on C(<path>.lock) and the new content replaces the file through a
    synced temporary file in the same directory and a rename; no run loses another's entry.
author: aep.platform maintainers (@aep-platform)
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the file.
    support: full
  diff_mode:
    description: Returns the touched sandboxes' entries (dataflow name -> entry) before and after.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    platforms: posix
    support: full
options:
  path:
    description:
      - Path of the JSON file on the controller. Its directory is created when missing.
      - The file must hold an artifacts file of version 1 or 2 (or nothing); another content fails the task and is
        left as it is.
    type: path
    required: true
  state:
    description: C(present) merges O(entries); C(absent) removes the dataflows of O(entries) and the O(sandboxes).
    type: str
    choices: [present, absent]
    default: present
  entries:
    description:
      - "Sandbox name -> dataflow name -> its entry (a dict), C({sandbox: {dataflow name: entry}})."
      - With O(state=present), each entry replaces the dataflow's entry in the file, and any other entry of the same
        sandbox with the same C(flow_id). Required with O(state=present).
      - With O(state=absent), each named dataflow's entry is removed, and any entry of the same sandbox with the
        C(flow_id) given in the entry (C({}) when it is not known).
    type: dict
  sandboxes:
    description:
      - With O(state=absent), names of sandboxes whose every entry is removed.
      - O(state=absent) needs O(entries) or O(sandboxes).
    type: list
    elements: str
version_added: 0.1.0
seealso:
  - module: aep.platform.flow
notes:
  - The C(aep.platform.streaming_source) role's C(streaming_source_artifacts_file) is written with this module.
'''

EXAMPLES = r'''
- name: Record the webhook URL of this run's dataflow
  aep.platform.inlet_urls_file:
    path: "{{ playbook_dir }}/artifacts/inlet_urls.json"
    entries: "{{ {aep_sandbox: {'My Chatlio Dataflow': {'webhook_url': flow.webhook_url, 'flow_id': flow.id}}} }}"

- name: Drop the entry of a removed dataflow (and of its migrated version 1 entry, by flow id)
  aep.platform.inlet_urls_file:
    path: "{{ playbook_dir }}/artifacts/inlet_urls.json"
    state: absent
    entries:
      dev:
        Ansible HTTP API Dataflow: {flow_id: "{{ removed_flow.id | default(omit) }}"}

- name: Drop every dataflow of offboarded sandboxes
  aep.platform.inlet_urls_file:
    path: "{{ playbook_dir }}/artifacts/inlet_urls.json"
    state: absent
    sandboxes: [dev, stage]
'''

RETURN = r'''
path:
  description: The path of the file.
  returned: success
  type: str
  sample: /srv/aep/artifacts/inlet_urls.json
diff:
  description: The touched sandboxes' entries (dataflow name -> entry) before and after the task.
  returned: with C(--diff)
  type: dict
  sample:
    before: {}
    after: {dev: {Ansible Chatlio Dataflow: {webhook_url: "https://dcs.adobedc.net/collection/<id>?x-adobe-flow-id=<flow id>"}}}
'''

from ansible.module_utils.basic import AnsibleModule

ARGUMENT_SPEC = dict(
    path=dict(type='path', required=True),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    entries=dict(type='dict'),
    sandboxes=dict(type='list', elements='str'),
)
RULES = dict(required_if=[('state', 'present', ('entries',)), ('state', 'absent', ('entries', 'sandboxes'), True)])


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, **RULES)
    module.fail_json(msg='aep.platform.inlet_urls_file runs on the controller through its action plugin; '
                         'this module file holds its documentation and options only')


if __name__ == '__main__':
    main()
