# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON Patch on both PATCH endpoints: body forms, op and path rules (with the variants), application."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import jsonpatch

from .common import RULE_FIELD, WRITE_OPS, Response, _now_iso, _pointer_tokens, bad_request, error_response


def _pointer_exists(document, tokens):
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _parent_is_object(document, tokens):
    return bool(tokens) and _pointer_exists(document, tokens[:-1]) and isinstance(_resolve(document, tokens[:-1]), dict)


def _resolve(document, tokens):
    node = document
    for token in tokens:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


class PatchMixin:
    """PATCH handling of the Emulator."""

    def _patch(self, api, ident, payload, rule_only):
        # The spec's JsonPatch is an {"operations": [...]} wrapper; SailPoint's PATCH guide and
        # the beta example use the RFC 6902 array. Both are accepted unless --patch-body narrows it.
        if isinstance(payload, list) and self.patch_body == 'operations':
            return bad_request('The request body must be an object {"operations": [...]}; a bare JSON Patch array is not accepted.')
        if isinstance(payload, dict) and 'operations' in payload and self.patch_body == 'array':
            return bad_request('The request body must be a JSON Patch array; the {"operations": [...]} wrapper is not accepted.')
        if isinstance(payload, list):
            operations = payload
            errors = []
            for index, item in enumerate(operations):
                errors.extend(api.validator.validate(item, api.patch_operation_schema, '[%d]' % index))
        elif isinstance(payload, dict) and 'operations' in payload:
            operations = payload['operations']
            errors = api.validator.validate(payload, api.patch_schema)
        else:
            return bad_request('The request body must be a JSON Patch array or an object {"operations": [...]}.')
        if errors:
            return bad_request(errors)
        if self.patch_ops == 'replace':
            refused = ["Operation %d: only 'replace' operations are accepted, not '%s'." % (index, operation['op'])
                       for index, operation in enumerate(operations) if operation['op'] != 'replace']
            if refused:
                return error_response(403, texts=refused)
        problems = []
        for index, operation in enumerate(operations):
            problems.extend(self._patch_path_problems(api, index, operation, rule_only))
            if self.patch_paths == 'top':
                problems.extend(self._deep_path_problems(index, operation))
        if problems:
            return bad_request(problems)
        current = self._lookup(ident)
        if current is None:
            return error_response(404)
        try:
            patched = self._apply_patch(current, operations)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, KeyError, IndexError, TypeError, ValueError) as exc:
            return bad_request('The JSON Patch could not be applied: %s' % exc)
        if not isinstance(patched, dict):
            return bad_request('The JSON Patch must leave an object.')
        unknown = sorted(set(patched) - set(api.writable_fields) - set(api.read_only_fields))
        if unknown:
            return bad_request(["Field '%s' is not a field of SimIntegrationDetails." % key for key in unknown])
        details = {k: patched[k] for k in api.writable_fields if k in patched}
        failure = self._check_details(api, details, exclude_id=ident)
        if failure is not None:
            return failure
        document = dict(id=current['id'], created=current['created'], modified=_now_iso(current.get('modified')))
        document.update(self._writable(api, details))
        self._integrations[ident] = document
        self._save_state()
        return Response.json(200, self._view(document))

    def _apply_patch(self, current, operations):
        if self.patch_ops != 'replace':
            return jsonpatch.apply_patch(current, operations, in_place=False)
        return apply_replace_as_set(current, operations)

    @staticmethod
    def _deep_path_problems(index, operation):
        problems = []
        for key in ('path', 'from'):
            pointer = operation.get(key)
            if isinstance(pointer, str) and pointer.startswith('/') and len(_pointer_tokens(pointer)) > 1:
                problems.append("Operation %d: '%s' %s is deeper than one segment; only top-level fields can be patched." % (
                    index, key, json.dumps(pointer)))
        return problems

    @staticmethod
    def _patch_path_problems(api, index, operation, rule_only):
        problems = []
        pointers = [('path', operation['path'])]
        if operation['op'] in ('move', 'copy'):
            if not isinstance(operation.get('from'), str):
                return ["Operation %d (%s) needs a string 'from'." % (index, operation['op'])]
            pointers.append(('from', operation['from']))
        for key, pointer in pointers:
            if pointer and not pointer.startswith('/'):
                problems.append("Operation %d: '%s' %s is not a JSON Pointer." % (index, key, json.dumps(pointer)))
                continue
            tokens = _pointer_tokens(pointer)
            if rule_only:
                if not tokens or tokens[0] != RULE_FIELD:
                    problems.append("Operation %d: '%s' %s is outside /%s; this endpoint only patches the before-provisioning rule." % (
                        index, key, json.dumps(pointer), RULE_FIELD))
                continue
            writes = operation['op'] in WRITE_OPS and (key == 'path' or operation['op'] == 'move')
            if not writes:
                continue
            if not tokens:
                problems.append('Operation %d: replacing the whole document is not supported; patch individual fields.' % index)
            elif tokens[0] in api.read_only_fields:
                problems.append("Operation %d: field '%s' is read-only." % (index, tokens[0]))
            elif tokens[0] not in api.writable_fields:
                problems.append("Operation %d: '%s' is not a field of SimIntegrationDetails." % (index, tokens[0]))
        return problems


def apply_replace_as_set(current, operations):
    """A copy of current with operations applied, a replace of an absent member of an object acting as "set".

    The Service Desk API, which accepts only replace, behaves so; otherwise a field that is not set yet (ownerRef,
    a new attribute key) could never be set. Used by SIM's --patch-ops replace and by the Service Desk endpoints.
    """
    document = copy.deepcopy(current)
    for operation in operations:
        tokens = _pointer_tokens(operation['path'])
        if not _pointer_exists(document, tokens) and _parent_is_object(document, tokens):
            operation = dict(operation, op='add')
        document = jsonpatch.apply_patch(document, [operation], in_place=True)
    return document
