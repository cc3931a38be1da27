#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: base_connection_info
short_description: List Adobe Experience Platform base connections
version_added: 0.1.0
description:
  - Read base connections (C(/connections)) of one sandbox, by O(name), by O(id), or all of them.
  - Follows the Flow Service pagination, so large sandboxes are listed completely.
  - Never changes anything.
  - Credential values that AEP returns are removed from the result.
author:
  - aep.platform maintainers (@aep-platform)
extends_documentation_fragment:
  - aep.platform.connection
  - aep.platform.info
seealso:
  - module: aep.platform.base_connection
"""

EXAMPLES = r"""
- name: Find a base connection by name
  aep.platform.base_connection_info:
    name: Partner streaming account
  register: found

- name: Use its id
  ansible.builtin.debug:
    msg: "{{ found.base_connections[0].id }}"
  when: found.count == 1

- name: All base connections of the sandbox
  aep.platform.base_connection_info:
  register: all_base_connections
"""

RETURN = r"""
base_connections:
  description: The matching base connections as AEP returns them, with credential values removed from C(auth.params).
  returned: always
  type: list
  elements: dict
count:
  description: Number of matching base connections.
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.aep.platform.plugins.module_utils.resources.base_connection import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
