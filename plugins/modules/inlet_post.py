#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: inlet_post
short_description: Post one event to a dataflow's streaming inlet and report how long it took to land
description:
  - Finds the inlet of the dataflow O(flow_id) (the flow's own for webhook sources, the base connection's for HTTP API
    sources), posts O(body) to it and, with O(wait_timeout) above 0, waits until the event has landed.
  - An authenticated inlet (base connection with C(authenticationRequired)) gets C(Authorization) C(Bearer <access token>)
    from the connection settings; other inlets get no token, as a webhook sender would send none.
  - On the bundled emulator the record is read back from O(dataset_id) and returned; on AEP the module waits for a
    flow run (AEP does not show records; data can take up to about an hour).
  - Runs where onboarding runs (in the controller process, as every aep.platform module), so a smoke test needs no
    separate Python interpreter.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes]
attributes:
  check_mode:
    details: In check mode nothing is posted.
  diff_mode:
    support: none
options:
  flow_id:
    description: Id of the dataflow whose inlet takes the event.
    type: str
    required: true
  body:
    description:
      - The event as the source sends it (raw JSON), or with O(xdm_schema_id) the xdmEntity of an XDM message.
    type: dict
    required: true
  xdm_schema_id:
    description:
      - For dataflows without a mapping (XDM payloads) the C($id) of the target dataset's schema; O(body) is then wrapped
        in a streaming message (C(header) plus C(body.xdmMeta) and C(body.xdmEntity)).
    type: str
  url:
    description:
      - URL to post to instead of the inlet found from the flow (default C(<inlet URL>?x-adobe-flow-id=<flow id>)).
    type: str
  dataset_id:
    description:
      - Dataset the event lands in; with O(marker_path) and O(marker) the emulator's record is looked up and returned.
    type: str
  marker_path:
    description: Dotted path of the record field that holds O(marker), for example C(_acme.UUID).
    type: str
  marker:
    description:
      - Value of the record field O(marker_path) that identifies this post's record. With O(marker_source) and no O(marker),
        a new UUID per run.
    type: str
  marker_source:
    description: Dotted path of O(body) set to O(marker) before the post (for XDM payloads, a path of the xdmEntity).
    type: str
  wait_timeout:
    description: Seconds to wait for the event to land; V(0) posts without waiting.
    type: int
    default: 120
  wait_sleep:
    description: Seconds between two checks.
    type: float
    default: 1.0
version_added: 0.1.0
seealso: [{module: aep.platform.flow_run_info}, {module: aep.platform.flow}]
'''

EXAMPLES = r'''
- name: Post the sample event and wait for it
  aep.platform.inlet_post:
    flow_id: "{{ flow.id }}"
    body:
      message: Hi
      visitor:
        UUID: smoke-1
    marker_source: visitor.UUID
    dataset_id: "{{ dataset.id }}"
    marker_path: _acme.UUID
  register: smoke

- name: Report
  ansible.builtin.debug:
    msg: "landed after {{ smoke.seconds_to_land }} s ({{ smoke.verified_by }})"
'''

RETURN = r'''
url:
  description: The URL the event was posted to.
  returned: always
  type: str
authenticated:
  description: Whether the inlet needs a token (and one was sent).
  returned: always
  type: bool
posted:
  description: Whether the event was posted (false in check mode).
  returned: always
  type: bool
status:
  description: HTTP status of the inlet's answer.
  returned: when posted
  type: int
  sample: 200
response:
  description: The inlet's answer (C(inletId), C(xactionId), C(receivedTimeMs)).
  returned: when posted
  type: dict
landed:
  description: Whether the event was seen landing.
  returned: always
  type: bool
verified_by:
  description: C(emulator dataset records) or C(flow runs); None without waiting.
  returned: always
  type: str
seconds_to_land:
  description: Seconds from the post until the record (emulator) or a flow run (AEP) was seen.
  returned: always
  type: float
  sample: 0.42
marker:
  description: The marker the event carries (O(marker), or the UUID made for O(marker_source)).
  returned: always
  type: str
record:
  description: The landed record (emulator only).
  returned: when found on the emulator
  type: dict
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.inlet import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
