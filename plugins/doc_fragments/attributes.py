# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The ``attributes`` of every state module (use with ``ansible.builtin.action_common_attributes`` and
    ``ansible.builtin.action_common_attributes.actiongroups``). A module's own entry (for example
    ``diff_mode.details``) is merged over these. Modules that only read use ``aep.platform.read_only``."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    support: full
    details: Check mode reads only and predicts the result (a placeholder id for an object that would be created).
  diff_mode:
    support: full
  platform:
    support: full
    platforms: all
  action_group:
    support: full
    membership:
      - aep.platform.aep
'''
