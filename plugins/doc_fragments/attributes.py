# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """``aep.platform.attributes``: what every module's ``attributes`` share. The descriptions of the four
    attributes, and the ``platform`` and ``action_group`` support; ``check_mode`` is supported by every module.

    The ``check_mode`` details and the ``diff_mode`` support come from the fragment of the module's kind
    (``aep.platform.state`` for a module that writes, ``aep.platform.info`` for one that only reads) or from the
    module itself. Ansible merges the fragments a module lists, and the module's own entries win.
    Fragments are plain string literals: ansible-test's yamllint reads them without running this file."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target, if not supported the
      action will be skipped.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
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
