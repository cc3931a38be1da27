# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``sandbox_info`` module (and helpers for the sandboxes inventory plugin)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.client import SANDBOX_MANAGEMENT

ARGUMENT_SPEC = dict(
    name=dict(type='str'),
)


def list_sandboxes(client, name=None):
    """Every sandbox the credentials can see (all pages), or only the one called ``name``."""
    sandboxes = client.list(SANDBOX_MANAGEMENT, '/sandboxes')
    if name is not None:
        sandboxes = [s for s in sandboxes if s.get('name') == name]
    return sandboxes


def run(params, client, check_mode):
    return dict(changed=False, sandboxes=list_sandboxes(client, params.get('name')))


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run)
