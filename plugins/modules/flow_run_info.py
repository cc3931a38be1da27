#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: flow_run_info
short_description: Read the runs of an Adobe Experience Platform dataflow with record counts
description:
  - Lists the runs of one dataflow (C(GET /runs?property=flowId==<id>), every page) and sums their record counts.
  - The flow is given by O(flow_id) or by O(flow_name) (looked up in the sandbox; more than one match is an error).
  - With O(wait_for_run=true) the module polls until the flow has at least O(min_runs) runs, or fails after
    O(wait_timeout) seconds. Streaming runs are created by the platform in windows, so the first run can take a while.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes]
attributes:
  check_mode:
    details: The runs are read, and waited for, in check mode too.
  diff_mode:
    support: N/A
options:
  flow_id:
    description:
      - Id of the flow.
    type: str
  flow_name:
    description:
      - Name of the flow, used when O(flow_id) is not given.
    type: str
  wait_for_run:
    description:
      - Wait until the flow has at least O(min_runs) runs.
    type: bool
    default: false
  min_runs:
    description:
      - Number of runs to wait for with O(wait_for_run).
    type: int
    default: 1
  wait_timeout:
    description:
      - Seconds to wait with O(wait_for_run) before failing.
    type: int
    default: 300
  wait_sleep:
    description:
      - Seconds between two polls with O(wait_for_run).
    type: int
    default: 5
version_added: 0.1.0
seealso: [{module: aep.platform.flow}, {module: aep.platform.flow_info}]
'''

EXAMPLES = r'''
- name: Wait for the first run of the Chatlio dataflow
  aep.platform.flow_run_info:
    flow_name: Streaming Dataflow for Chatlio
    wait_for_run: true
    wait_timeout: 3600
    wait_sleep: 60
  register: runs

- name: Fail when records were rejected
  ansible.builtin.assert:
    that: runs.failed_records == 0
'''

RETURN = r'''
flow_id:
  description: Id of the flow.
  returned: always
  type: str
  sample: d947e6a9-ea53-42c4-985c-c9379265491f
runs:
  description: The runs as AEP returns them.
  returned: always
  type: list
  elements: dict
count:
  description: Number of runs.
  returned: always
  type: int
  sample: 1
input_records:
  description: Sum of C(metrics.recordSummary.inputRecordCount) over all runs.
  returned: always
  type: int
  sample: 1
output_records:
  description: Sum of C(metrics.recordSummary.outputRecordCount) over all runs.
  returned: always
  type: int
  sample: 1
failed_records:
  description: Sum of C(metrics.recordSummary.failedRecordCount) over all runs.
  returned: always
  type: int
  sample: 0
errors:
  description:
    - The distinct record errors of the runs (C(metrics.statusSummary.errors)), each with C(code), C(message) and
      C(record_count) summed over the runs. A record that fails mapping or validation is answered 200 by the inlet;
      this is where its error shows, for example C(Mapping to '_acme' failed; expected an object, got a string).
  returned: always
  type: list
  elements: dict
  sample: [{code: MAPPER-3701-400, message: "Mapping to '_acme.count' failed, 'abc' is not an integer", record_count: 1}]
duration:
  description: Seconds spent waiting.
  returned: always
  type: float
  sample: 0.0
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.flow import RUN_INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
