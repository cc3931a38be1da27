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
  - aep.platform.info
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

from ansible_collections.aep.platform.plugins.module_utils.resources.target_connection import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
