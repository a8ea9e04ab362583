# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs sailpoint.identitynow.service_desk_template_info on the controller; see plugins/plugin_utils/_action.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sailpoint.identitynow.plugins.modules import service_desk_template_info
from ansible_collections.sailpoint.identitynow.plugins.plugin_utils._action import SimActionBase


class ActionModule(SimActionBase):
    MODULE = service_desk_template_info
    MODULE_NAME = "sailpoint.identitynow.service_desk_template_info"
