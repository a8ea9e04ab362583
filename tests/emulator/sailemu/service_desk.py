# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Service Desk Integrations API: list (paging, filters, sorters), CRUD, replace-only PATCH, types,
templates and the status-check configuration. Routing and the common checks are in ``resources``."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import re
from urllib.parse import parse_qs

import jsonpatch

from .collection import CollectionError, select
from .common import DEFAULT_INTEGRATION_TYPE, RULE_FIELD, check_named, Response, _new_id, _now_iso, _pointer_tokens, bad_request, error_response
from .patch import PatchMixin, apply_replace_as_set
from .service_desk_catalog import integration_types, template


# operationId (without the per-resource 'V1' suffix) -> Emulator._op_<name>
SERVICE_DESK_OPERATIONS = {
    'getServiceDeskIntegrations': 'sdim_list',
    'getServiceDeskIntegrationList': 'sdim_list',  # the beta operationId
    'getServiceDeskIntegration': 'sdim_get',
    'createServiceDeskIntegration': 'sdim_create',
    'putServiceDeskIntegration': 'sdim_put',
    'patchServiceDeskIntegration': 'sdim_patch',
    'deleteServiceDeskIntegration': 'sdim_delete',
    'getServiceDeskIntegrationTypes': 'sdim_types',
    'getServiceDeskIntegrationTemplate': 'sdim_template',
    'getStatusCheckDetails': 'sdim_status_get',
    'updateStatusCheckDetails': 'sdim_status_put',
}


def _cluster_id(document):
    return (document.get('clusterRef') or {}).get('id')


# The fields and operators the list's `filters` parameter documents; sorters: name only.
FILTER_FIELDS = {
    'id': (lambda doc: doc.get('id'), ('eq', 'in')),
    'name': (lambda doc: doc.get('name'), ('eq',)),
    'type': (lambda doc: doc.get('type'), ('eq', 'in')),
    'cluster': (_cluster_id, ('eq', 'in')),
}
SORT_FIELDS = {'name': lambda doc: doc.get('name')}
STATUS_FIELDS = ('provisioningStatusCheckIntervalMinutes', 'provisioningMaxStatusCheckDays')
UNIVERSAL_MANAGER = ('provisioningConfig', 'universalManager')


def _query(query):
    # The first value of each parameter; a blank filters or sorters means none.
    params = {k: v[0] for k, v in parse_qs(query or '', keep_blank_values=True).items()}
    for key in ('filters', 'sorters'):
        if key in params and not params[key].strip():
            del params[key]
    return params


def fold_aliases(document):
    """Fold the deprecated ``cluster`` and ``managedSources`` of ``document`` (in place) into ``clusterRef`` and
    ``provisioningConfig.managedResourceRefs``; when both forms are there, the non-deprecated one wins."""
    cluster = document.pop('cluster', None)
    if isinstance(document.get('clusterRef'), dict):
        document['clusterRef'] = dict(document['clusterRef'])
        document['clusterRef'].setdefault('type', 'CLUSTER')
    elif cluster is not None:
        document['clusterRef'] = {'type': 'CLUSTER', 'id': cluster}
    sources = document.pop('managedSources', None)
    config = document.get('provisioningConfig')
    config = {k: v for k, v in config.items() if v is not None and k != 'universalManager'} if isinstance(config, dict) else {}
    if 'managedResourceRefs' not in config and isinstance(sources, list):
        config['managedResourceRefs'] = [{'type': 'SOURCE', 'id': source} for source in sources]
    document.pop('provisioningConfig', None)
    if config:
        document['provisioningConfig'] = config
    return document


def service_desk_document(api, payload):
    """The stored form of a validated DTO body: writable fields only, nulls dropped, aliases folded in."""
    document = {k: copy.deepcopy(payload[k]) for k in api.writable_fields if payload.get(k) is not None}
    fold_aliases(document)
    document.setdefault('attributes', {})
    return document


def full_dto(document):
    """The ServiceDeskIntegrationDto of a stored document, secrets included: what GET shows and PATCH paths see.

    ``cluster`` mirrors ``clusterRef.id`` and ``managedSources`` the ``managedResourceRefs`` ids;
    ``provisioningConfig`` is always there, with ``universalManager`` false (the emulator has no universal manager).
    """
    out = dict(id=document['id'], name=document.get('name'), created=document.get('created'), modified=document.get('modified'),
               description=document.get('description') or '', type=document.get('type') or DEFAULT_INTEGRATION_TYPE)
    for key in ('ownerRef', 'clusterRef'):
        if document.get(key) is not None:
            out[key] = copy.deepcopy(document[key])
    if _cluster_id(document) is not None:
        out['cluster'] = _cluster_id(document)
    config = copy.deepcopy(document.get('provisioningConfig') or {})
    config['universalManager'] = False
    config.setdefault('managedResourceRefs', [])
    config.setdefault('noProvisioningRequests', False)
    out['managedSources'] = [ref.get('id') for ref in config['managedResourceRefs'] if isinstance(ref, dict)]
    out['provisioningConfig'] = config
    out['attributes'] = copy.deepcopy(document.get('attributes') or {})
    if document.get(RULE_FIELD) is not None:
        out[RULE_FIELD] = copy.deepcopy(document[RULE_FIELD])
    return out


class ServiceDeskMixin:
    """The Service Desk Integrations operations of the Emulator."""

    def _service_desk_view(self, api, document):
        """The DTO of that version: always the DTO shape (--strict-dto is a SIM switch), secrets per --secrets,
        and on beta no id/created/modified, because the beta DTO declares none."""
        out = full_dto(document)
        out['attributes'] = self._secret_policy(out['attributes'])
        if not api.has_server_fields:
            for key in api.SERVER_FIELDS:
                out.pop(key, None)
        return out

    def _check_service_desk(self, api, payload, exclude_id=None):
        """Schema (ServiceDeskIntegrationDto) plus business rules; a 400 response or None."""
        return check_named(api.validator, api.dto_schema, payload, self._service_desk, exclude_id, self.duplicate_status,
                           'A service desk integration')

    def _store_service_desk(self, api, document, current=None):
        now = _now_iso(current.get('modified') if current else None)
        stored = dict(id=current['id'] if current else _new_id(), created=current['created'] if current else now, modified=now)
        stored.update(document)
        self._service_desk[stored['id']] = stored
        self._save_state()
        return Response.json(200, self._service_desk_view(api, stored))

    def _op_sdim_list(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        params = _query(query)
        try:
            page, total = select(list(self._service_desk.values()), params, FILTER_FIELDS, SORT_FIELDS, api.max_limit)
        except CollectionError as exc:
            return bad_request(str(exc))
        headers = [('X-Total-Count', str(total))] if params.get('count', '').strip().lower() == 'true' else []
        return Response.json(200, [self._service_desk_view(api, doc) for doc in page], headers)

    def _op_sdim_get(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        document = self._service_desk.get(ident)
        return error_response(404) if document is None else Response.json(200, self._service_desk_view(api, document))

    def _op_sdim_create(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        failure = self._check_service_desk(api, payload)
        if failure is not None:
            return failure
        return self._store_service_desk(api, service_desk_document(api, payload))

    def _op_sdim_put(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        failure = self._check_service_desk(api, payload, exclude_id=ident)
        if failure is not None:
            return failure
        current = self._service_desk.get(ident)
        if current is None:
            return error_response(404)
        return self._store_service_desk(api, service_desk_document(api, payload), current)

    def _op_sdim_delete(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        if self._service_desk.pop(ident, None) is None:
            return error_response(404)
        self._save_state()
        return Response(204)

    def _op_sdim_patch(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        # The spec's body is a bare array (the wrapper was fixed away upstream), and only replace is accepted.
        if not isinstance(payload, list):
            return bad_request('The request body must be a JSON Patch array [{"op": "replace", "path": ..., "value": ...}].')
        errors = []
        for index, item in enumerate(payload):
            errors.extend(api.validator.validate(item, api.patch_operation_schema, '[%d]' % index))
        if errors:
            return bad_request(errors)
        refused = ["Operation %d: only 'replace' operations are accepted, not '%s'." % (index, operation['op'])
                   for index, operation in enumerate(payload) if operation['op'] != 'replace']
        if refused:
            return error_response(403, texts=refused)
        problems = []
        for index, operation in enumerate(payload):
            problems.extend(self._service_desk_path_problems(api, index, operation['path']))
            if self.patch_paths == 'top':
                problems.extend(PatchMixin._deep_path_problems(index, operation))
        if problems:
            return bad_request(problems)
        current = self._service_desk.get(ident)
        if current is None:
            return error_response(404)
        before = full_dto(current)
        try:
            patched = apply_replace_as_set(before, payload)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, KeyError, IndexError, TypeError, ValueError) as exc:
            return bad_request('The JSON Patch could not be applied: %s' % exc)
        self._prefer_changed_alias(before, patched)
        body = {k: patched[k] for k in api.writable_fields if k in patched}
        failure = self._check_service_desk(api, body, exclude_id=ident)
        if failure is not None:
            return failure
        return self._store_service_desk(api, service_desk_document(api, body), current)

    @staticmethod
    def _prefer_changed_alias(before, patched):
        """A patch of only a deprecated alias (cluster, managedSources) wins over the unchanged new field;
        otherwise the new field decides and the alias, which only mirrored it, is dropped."""
        if patched.get('cluster') != before.get('cluster') and patched.get('clusterRef') == before.get('clusterRef'):
            patched.pop('clusterRef', None)
        else:
            patched.pop('cluster', None)
        config = patched.get('provisioningConfig')
        old_refs = before['provisioningConfig']['managedResourceRefs']
        if patched.get('managedSources') != before.get('managedSources') and isinstance(config, dict) \
                and config.get('managedResourceRefs') == old_refs:
            config.pop('managedResourceRefs', None)
        else:
            patched.pop('managedSources', None)

    @staticmethod
    def _service_desk_path_problems(api, index, pointer):
        if pointer and not pointer.startswith('/'):
            return ["Operation %d: 'path' %s is not a JSON Pointer." % (index, json.dumps(pointer))]
        tokens = _pointer_tokens(pointer)
        if not tokens:
            return ['Operation %d: replacing the whole document is not supported; patch individual fields.' % index]
        if tokens[0] in api.SERVER_FIELDS:
            return ["Operation %d: field '%s' is read-only." % (index, tokens[0])]
        if tuple(tokens[:2]) == UNIVERSAL_MANAGER:
            return ["Operation %d: field 'provisioningConfig.universalManager' is read-only." % index]
        if tokens[0] not in api.writable_fields:
            return ["Operation %d: '%s' is not a field of ServiceDeskIntegrationDto." % (index, tokens[0])]
        return []

    def _op_sdim_types(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        return Response.json(200, integration_types())

    def _op_sdim_template(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        found = template(ident)
        if found is None:
            return error_response(404, "No service desk integration template has the scriptName '%s'." % ident)
        return Response.json(200, found)

    def _op_sdim_status_get(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        return Response.json(200, dict(self._status_check))

    def _op_sdim_status_put(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        errors = api.validator.validate(payload, api.status_schema)
        if not errors:
            # The spec types both as strings (examples 30 and 2); they must still read as whole numbers.
            errors = ["Field '%s' must be a string of digits, such as \"30\", not %s." % (key, json.dumps(payload[key]))
                      for key in STATUS_FIELDS if not re.match(r'^[0-9]+$', payload[key])]
        if errors:
            return bad_request(errors)
        self._status_check = {key: payload[key] for key in STATUS_FIELDS}
        self._save_state()
        return Response.json(200, dict(self._status_check))
