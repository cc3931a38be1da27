# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs M(aep.platform.inlet_post) in the controller process; see plugins/plugin_utils/inprocess.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.plugin_utils.inprocess import InProcessActionModule


class ActionModule(InProcessActionModule):
    """In-process runner of aep.platform.inlet_post."""
