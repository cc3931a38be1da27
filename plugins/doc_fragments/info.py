# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The options of every ``*_info`` module of an AEP object kind: one implementation, one rule
    (``engine.info``): by id, by exact name (or title), or every object of the sandbox; never truncated."""

    DOCUMENTATION = r'''
options:
  name:
    description:
      - Return only the objects with exactly this name (case, spaces and punctuation included). AEP does not make
        names unique, so there may be more than one.
      - Mutually exclusive with O(id).
    type: str
  id:
    description:
      - Return only the object with this id (in the format the matching state module takes for its O(id)). A
        missing id gives an empty list, not an error.
      - Mutually exclusive with O(name).
    type: str
notes:
  - Without O(name) and O(id), every object of the kind in the sandbox is returned; every page is read, so the
    list is complete.
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target, if not supported the
      action will be skipped.
    support: full
    details: The module only reads, so it runs normally in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details: The module only reads; there is never a change to show.
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
