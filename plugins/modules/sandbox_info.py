#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: sandbox_info
short_description: Read the sandboxes of an Adobe Experience Platform organization
description:
  - Lists the sandboxes the credentials can access, through the Sandbox Management API, following every page.
  - Returns one sandbox or none when O(name) is set.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes]
attributes:
  check_mode:
    details: Listing sandboxes writes nothing, so the module runs normally in check mode.
  diff_mode:
    support: N/A
options:
  name:
    description:
      - Name of one sandbox to return, for example C(prod). An unknown name returns an empty list.
      - Not to be confused with O(sandbox), the sandbox header sent with the request.
    type: str
version_added: 0.1.0
'''

EXAMPLES = r'''
- name: List every sandbox
  aep.platform.sandbox_info:
  register: aep_sandboxes

- name: Names of the development sandboxes
  ansible.builtin.debug:
    msg: "{{ aep_sandboxes.sandboxes | selectattr('type', 'equalto', 'development') | map(attribute='name') | list }}"

- name: Check that the sandbox "dev" exists
  aep.platform.sandbox_info:
    name: dev
  register: aep_dev
  failed_when: aep_dev.sandboxes | length != 1
'''

RETURN = r'''
sandboxes:
  description: The sandboxes, as returned by the Sandbox Management API.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Sandbox name, used in the C(x-sandbox-name) header.
      type: str
      sample: dev
    title:
      description: Display name.
      type: str
      sample: Development
    type:
      description: V(production) or V(development).
      type: str
      sample: development
    state:
      description: Lifecycle state, for example V(active).
      type: str
      sample: active
    isDefault:
      description: Whether this is the default production sandbox.
      type: bool
      sample: false
  sample:
    - name: prod
      title: Production
      type: production
      state: active
      isDefault: true
      region: VA7
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.sandbox import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
