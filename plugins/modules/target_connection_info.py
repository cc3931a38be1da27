#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: target_connection_info
short_description: List Adobe Experience Platform target connections
version_added: 0.1.0
description:
  - Read target connections (C(/targetConnections)) of one sandbox, by O(name), by O(id), or all of them.
  - Follows the Flow Service pagination, so large sandboxes are listed completely.
  - Never changes anything.
author:
  - aep.platform maintainers (@aep-platform)
extends_documentation_fragment:
  - aep.platform.connection
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: >-
      The module only reads, so it runs normally in check mode.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: all
  action_group:
    support: full
    membership:
      - aep.platform.aep
options:
  name:
    description:
      - Return only the target connections with this exact name.
    type: str
  id:
    description:
      - Return only the target connection with this id. A missing id gives an empty list, not an error.
    type: str
seealso:
  - module: aep.platform.target_connection
"""

EXAMPLES = r"""
- name: Find a target connection by name
  aep.platform.target_connection_info:
    name: Streaming Target Connection for Chatlio
  register: found

- name: Use its id
  ansible.builtin.debug:
    msg: "{{ found.target_connections[0].id }}"
  when: found.count == 1

- name: All target connections of the sandbox
  aep.platform.target_connection_info:
  register: all_target_connections
"""

RETURN = r"""
target_connections:
  description: The matching target connections as AEP returns them.
  returned: always
  type: list
  elements: dict
count:
  description: Number of matching target connections.
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.aep.platform.plugins.module_utils.module import run_module
from ansible_collections.aep.platform.plugins.module_utils.resources import target_connection as resource


def main():
    run_module(resource.INFO_ARGUMENT_SPEC, resource.run_info)


if __name__ == '__main__':
    main()
