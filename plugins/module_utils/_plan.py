# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adapting an update to what the live API accepts, without ever losing data.

Internal to this collection: no stable API, it may change in any release.

Public evidence contradicts the SIM spec in places (docs/guarantees.md, "Adapting to the live API"): the PATCH
body may have to be the RFC 6902 array or the {"operations": [...]} wrapper, and the service may accept only
top-level `replace` operations. The client tries the minimal plan first and falls back once per run; what it
learns is kept on the client (`adapt`), which lives as long as the task's loop on the controller.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import HIDDEN_MASKED, has_secret, json_copy

FORMS = ("rfc6902", "operations")
FORM_NAMES = {"rfc6902": "a bare RFC 6902 array", "operations": "an {\"operations\": [...]} wrapper"}


def new_state():
    """What one run has learned about the service: None/'rfc6902'/'operations', and whether only top-level replace works."""
    return {"form": None, "top_level": False, "warned": False}


def body(ops, form):
    return {"operations": ops} if form == "operations" else ops


def forms_to_try(patch_format, state):
    if patch_format in FORMS:
        return [patch_format]
    if state["form"]:
        return [state["form"]]
    return list(FORMS)


def is_key_level(ops):
    """True when some operation is not a top-level replace, which a replace-only service would refuse."""
    return any(op.get("op") != "replace" or op.get("path", "").count("/") > 1 for op in ops)


def top_level(current, predicted, ops, given_attributes=None):
    """`ops` re-planned as `replace` of whole top-level fields, from the predicted end state.

    `given_attributes`: the task's attributes, laid over the prediction so that secrets the task passes are sent
    (the prediction cannot hold them when the service hides them). A whole `attributes` replace would erase any
    password-like value the service holds but does not return: refused before writing unless the task passes it.
    """
    fields = []
    for op in ops:
        field = op.get("path", "").split("/")[1] if op.get("path", "").count("/") >= 1 else ""
        if field and field not in fields:
            fields.append(field)
    out = []
    for field in fields:
        value = json_copy(predicted.get(field))
        if field == "attributes":
            value = dict(value or {})
            for key, given in (given_attributes or {}).items():
                if given is None:
                    value.pop(key, None)
                else:
                    value[key] = json_copy(given)
            _refuse_erasing(current, given_attributes or {})
        if value is None:
            out.append({"op": "replace", "path": "/" + field, "value": {} if field in ("attributes", "statusMap", "request") else value})
        else:
            out.append({"op": "replace", "path": "/" + field, "value": value})
    return out


def is_given(given, dotted):
    """True when the dotted attribute path ("oauth.client_secret") is in the task's attributes."""
    return _given(given, dotted)


def _given(given, dotted):
    value = given
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


def _refuse_erasing(current, given):
    masked = [key for key in current.get(HIDDEN_MASKED, []) if not _given(given, key)]
    if masked:
        names = ", ".join("attributes.%s" % key for key in masked)
    elif not has_secret(given):  # at any depth, as for PUT: an integration whose only secret is oauth.client_secret
        names = "the password-like attributes it holds (the service never returns them, e.g. attributes.password)"
    else:
        return
    raise OptionError("attributes", "this service takes only whole-field replace operations, and replacing attributes would erase %s: "
                                    "pass them in attributes (null for one the integration should not hold), or set them in the "
                                    "SailPoint UI" % names)
