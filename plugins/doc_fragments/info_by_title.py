# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """``aep.platform.info`` for the kinds identified by a title (Schema Registry field groups and schemas)."""

    DOCUMENTATION = r'''
options:
  title:
    description:
      - Return only the objects with exactly this title (case, spaces and punctuation included). AEP does not make
        titles unique, so there may be more than one.
      - Mutually exclusive with O(id).
    type: str
  id:
    description:
      - Return only the object with this C($id), for example C(https://ns.adobe.com/<tenant>/schemas/<hash>). A
        missing id gives an empty list, not an error.
      - Mutually exclusive with O(title).
    type: str
notes:
  - Without O(title) and O(id), every object of the kind in the sandbox is returned; every page is read, so the
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
