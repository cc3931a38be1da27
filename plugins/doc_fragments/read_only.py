# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The ``attributes`` of every module that only reads (use with ``ansible.builtin.action_common_attributes``
    and ``ansible.builtin.action_common_attributes.actiongroups``)."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    support: full
    details: The module only reads, so it runs normally in check mode.
  diff_mode:
    support: N/A
    details: The module only reads; there is never a change to show.
  platform:
    support: full
    platforms: all
  action_group:
    support: full
    membership:
      - aep.platform.aep
'''
