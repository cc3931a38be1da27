# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The ``attributes`` of a state module that does not use ``aep.platform.state`` (which carries them too),
    with their descriptions, so no ``ansible.builtin.action_common_attributes`` is needed. A module's own entry
    (for example ``diff_mode.details``) is merged over these. Modules that only read use ``aep.platform.read_only``
    or ``aep.platform.info``."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target, if not supported the
      action will be skipped.
    support: full
    details: Check mode reads only and predicts the result (a placeholder id for an object that would be created).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: all
  action_group:
    description: Action is part of action_group(s), for convenient setting of module_defaults.
    support: full
    membership:
      - aep.platform.aep
'''
