#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: base_connection_info
short_description: Read Adobe Experience Platform base connections
description:
  - Read the base connections (C(/connections)) of one sandbox, the authenticated source accounts that some
    sources need.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.name]
version_added: 0.1.0
seealso: [{module: aep.platform.base_connection}]
notes:
  - Credential values that AEP returns are removed from the result, so it can be shown or stored safely.
'''

EXAMPLES = r'''
- name: Look up the partner account by id
  aep.platform.base_connection_info:
    id: 69f188b6-af07-4587-8061-e94d34637b41
  register: account

- name: Fail when the account is gone
  ansible.builtin.assert:
    that: account.count == 1
'''

RETURN = r'''
base_connections:
  description: The matching base connections, with credential values removed from C(auth.params).
  returned: always
  type: list
  elements: dict
  sample: [{id: 69f188b6-af07-4587-8061-e94d34637b41, auth: {specName: Streaming Connection}}]
count: {description: Length of RV(base_connections)., returned: always, type: int, sample: 0}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.base_connection import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
