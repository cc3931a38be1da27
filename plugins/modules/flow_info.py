#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: flow_info
short_description: Read Adobe Experience Platform dataflows and their webhook URLs
description:
  - Read dataflows (C(/flows)) of one sandbox with their streaming inlet and webhook URLs.
  - A webhook source's flow has its own inlet (C(options.inletUrl)). An HTTP API source's inlet belongs to the base
    connection behind its source connection (C(auth.params.inletUrl)), read with one C(GET /connections/{id}) per base
    connection.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.name]
version_added: 0.1.0
seealso: [{module: aep.platform.flow}, {module: aep.platform.flow_run_info}]
notes:
  - Each returned flow carries C(inlet_url) and C(webhook_url). When exactly one flow matches, they are also returned
    at the top level, together with the flow as RV(flow).
'''

EXAMPLES = r'''
- name: Look up the Chatlio dataflow
  aep.platform.flow_info:
    name: Streaming Dataflow for Chatlio
  register: chatlio

- name: Show the webhook URL for Chatlio
  ansible.builtin.debug:
    msg: "{{ chatlio.webhook_url }}"
  when: chatlio.count == 1
'''

RETURN = r'''
flows:
  description:
    - The matching flows as AEP returns them, each with added C(inlet_url) and C(webhook_url) keys (null for a flow
      without an inlet).
  returned: always
  type: list
  elements: dict
flow:
  description: The only matching flow.
  returned: when exactly one flow matches
  type: dict
id:
  description: Id of the only matching flow.
  returned: when exactly one flow matches
  type: str
  sample: d947e6a9-ea53-42c4-985c-c9379265491f
inlet_url:
  description: Streaming inlet URL of the only matching flow (C(options.inletUrl), or its base connection's C(auth.params.inletUrl)).
  returned: when exactly one flow matches
  type: str
  sample: https://dcs.adobedc.net/collection/e71b6a6cd7270388674f8ab68ee438da58ba4434dea63cc547ee21547275923c
webhook_url:
  description: The inlet URL with C(?x-adobe-flow-id=<flow id>) for the only matching flow.
  returned: when exactly one flow matches
  type: str
  sample: https://dcs.adobedc.net/collection/e71b6a6c...923c?x-adobe-flow-id=d947e6a9-ea53-42c4-985c-c9379265491f
count: {description: Length of RV(flows)., returned: always, type: int, sample: 1}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.flow import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
