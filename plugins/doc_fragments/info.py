# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.doc_fragments.attributes import ModuleDocFragment as Shared


class ModuleDocFragment(object):
    """Former name of ``aep.platform.attributes.info`` (kept for modules not yet moved)."""

    DOCUMENTATION = Shared.INFO
