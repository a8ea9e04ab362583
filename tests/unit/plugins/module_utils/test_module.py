# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the task interface treats as secret, and how it masks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import (
    NO_LOG_PLACEHOLDER, full_spec, mask_values, task_secrets)

SPEC = full_spec(dict(attributes=dict(type="dict"), rule=dict(type="dict", options=dict(token=dict(type="str", no_log=True)))))


def test_secrets_come_from_no_log_options_suboptions_and_password_like_attributes():
    found = task_secrets(SPEC, dict(client_secret="cs-1", access_token="at-2", rule=dict(token="sub-3"),
                                    attributes=dict(url="https://x", password="pw-4", oauth=dict(client_secret="n-5"))))
    assert {"cs-1", "at-2", "sub-3", "pw-4", "n-5"} <= found
    assert "https://x" not in found and "" not in found


def test_escaped_forms_are_secrets_too():
    # str(dict) in the invocation log writes a quote or backslash escaped
    found = task_secrets(SPEC, dict(attributes=dict(password="a'b\\c")))
    assert "a'b\\c" in found and "a'b\\\\c" in found
    assert mask_values(str(dict(password="a'b\\c")), found) == "{'password': \"********\"}"


def test_mask_values_at_any_depth_keys_included():
    secrets = {"S3cret", "42"}
    masked = mask_values({"a": ["S3cret", "x S3cret y", 42, 43, True, None], "S3cret": {"b": "S3cret"}}, secrets)
    assert masked == {"a": [NO_LOG_PLACEHOLDER, "x ******** y", NO_LOG_PLACEHOLDER, 43, True, None],
                      NO_LOG_PLACEHOLDER: {"b": NO_LOG_PLACEHOLDER}}
    assert mask_values({"a": "S3cret"}, set()) == {"a": "S3cret"}
