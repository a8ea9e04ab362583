# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendored OpenAPI documents: routes per API version and an OpenAPI 3.0 schema validator."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
from urllib.parse import unquote

from .common import EXPERIMENTAL_HEADER


SPEC_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'spec')

# Upstream, the v2025 and v2026 SIM paths and schemas are byte-identical to v2024, so the v2024
# document serves all three year versions (only info.title/info.version differ upstream).
SPEC_FILES = (
    ('beta', 'sim-integrations.beta.bundled.json'),
    ('v2024', 'sim-integrations.v2024.bundled.json'),
    ('v2025', 'sim-integrations.v2024.bundled.json'),
    ('v2026', 'sim-integrations.v2024.bundled.json'),
    ('v1', 'sim-integrations.v1.bundled.json'),
)
# Service Desk Integrations: the v2024-v2026 bundles equal v3 (bundle_service_desk.py checks), so v3 serves them.
SERVICE_DESK_SPEC_FILES = (
    ('v3', 'service-desk-integrations.v3.bundled.json'),
    ('beta', 'service-desk-integrations.beta.bundled.json'),
    ('v2024', 'service-desk-integrations.v3.bundled.json'),
    ('v2025', 'service-desk-integrations.v3.bundled.json'),
    ('v2026', 'service-desk-integrations.v3.bundled.json'),
    ('v1', 'service-desk-integrations.v1.bundled.json'),
)


def _json_type(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, int):
        return 'integer'
    if isinstance(value, float):
        return 'number'
    if isinstance(value, str):
        return 'string'
    if isinstance(value, list):
        return 'array'
    return 'object'


def _has_type(value, wanted):
    actual = _json_type(value)
    if wanted == 'number':
        return actual in ('integer', 'number')
    return actual == wanted


class SchemaValidator:
    """Validates JSON values against the OpenAPI 3.0 subset the vendored SIM schemas use.

    Supported: $ref (local), type, nullable, required, properties, additionalProperties,
    items, enum, allOf, oneOf, anyOf. In request mode readOnly properties are skipped, because
    the server ignores them (SDKs drop them, hand-written clients echo them back from GET).
    """

    def __init__(self, document):
        self.document = document

    def resolve(self, schema):
        hops = 0
        while isinstance(schema, dict) and '$ref' in schema:
            node = self.document
            for part in schema['$ref'].lstrip('#/').split('/'):
                node = node[part]
            schema = node
            hops += 1
            if hops > 32:
                raise ValueError('circular $ref')
        return schema

    def is_read_only(self, schema):
        schema = self.resolve(schema)
        if schema.get('readOnly'):
            return True
        return any(self.is_read_only(sub) for sub in schema.get('allOf', []))

    def properties(self, schema):
        """All properties of an object schema, merged across allOf members."""
        schema = self.resolve(schema)
        merged = {}
        for sub in schema.get('allOf', []):
            merged.update(self.properties(sub))
        merged.update(schema.get('properties', {}))
        return merged

    def validate(self, value, schema, where='', request=True):
        errors = []
        self._validate(value, schema, where, errors, request)
        return errors

    @staticmethod
    def _name(where):
        return "Field '%s'" % where if where else 'The request body'

    @staticmethod
    def _child(where, key):
        return '%s.%s' % (where, key) if where else str(key)

    def _validate(self, value, schema, where, errors, request):
        schema = self.resolve(schema)
        wanted = schema.get('type')
        if value is None:
            # OpenAPI 3.0: null is valid only where nullable is true; an untyped schema accepts it.
            if schema.get('nullable') or (wanted is None and not any(k in schema for k in ('allOf', 'oneOf', 'anyOf'))):
                return
            if wanted is not None:
                errors.append('%s must be of type %s, not null.' % (self._name(where), wanted))
                return
        elif wanted is not None and not _has_type(value, wanted):
            errors.append('%s must be of type %s, not %s.' % (self._name(where), wanted, _json_type(value)))
            return
        if 'enum' in schema and not any(value == item and _json_type(value) == _json_type(item) for item in schema['enum']):
            allowed = ', '.join(str(item) for item in schema['enum'] if item is not None)
            errors.append('%s has the invalid value %s; allowed values: %s.' % (self._name(where), json.dumps(value), allowed))
            return
        for sub in schema.get('allOf', []):
            self._validate(value, sub, where, errors, request)
        for keyword, exact in (('oneOf', True), ('anyOf', False)):
            if keyword not in schema:
                continue
            matches = sum(1 for sub in schema[keyword] if not self.validate(value, sub, where, request))
            if matches == 0 or (exact and matches > 1):
                kinds = ', '.join(self.resolve(sub).get('title') or self.resolve(sub).get('type', 'schema') for sub in schema[keyword])
                errors.append('%s must match %s of: %s (got %s).' % (
                    self._name(where), 'exactly one' if exact else 'at least one', kinds, _json_type(value)))
        if isinstance(value, dict):
            properties = schema.get('properties', {})
            for key in schema.get('required', []):
                if key not in value:
                    errors.append("Field '%s' is required." % self._child(where, key))
            for key, item in value.items():
                if key in properties:
                    if request and self.is_read_only(properties[key]):
                        continue
                    self._validate(item, properties[key], self._child(where, key), errors, request)
                elif schema.get('additionalProperties') is False:
                    errors.append("Field '%s' is not allowed." % self._child(where, key))
                elif isinstance(schema.get('additionalProperties'), dict):
                    self._validate(item, schema['additionalProperties'], self._child(where, key), errors, request)
        if isinstance(value, list) and 'items' in schema:
            for index, item in enumerate(value):
                self._validate(item, schema['items'], '%s[%d]' % (where, index), errors, request)


class SpecDocument:
    """One API version of one vendored document: its URL prefix and the operations it declares.

    A path parameter (``{id}``, ``{scriptName}``) matches one segment; literal paths are tried first, so
    ``/service-desk-integrations/types`` is not taken for an id.
    """

    def __init__(self, version, document):
        self.version = version
        self.document = document
        self.validator = SchemaValidator(document)
        self.routes = []
        prefix = '' if version == 'v1' else '/' + version
        for path, item in sorted(document['paths'].items(), key=lambda entry: entry[0].count('{')):
            parts = re.split(r'\{[^}/]+\}', prefix + path)
            regex = re.compile('^' + '(?P<id>[^/]+)'.join(re.escape(p) for p in parts) + '$')
            operations = {}
            for method, operation in item.items():
                if method in ('get', 'put', 'post', 'patch', 'delete'):
                    operations[method.upper()] = self._operation(operation)
            self.routes.append((regex, operations))

    def component(self, name):
        # The per-resource v1 document names its components in lower case.
        schemas = self.document['components']['schemas']
        for key in schemas:
            if key.lower() == name.lower():
                return {'$ref': '#/components/schemas/' + key}
        raise KeyError(name)

    def _operation(self, operation):
        name = operation['operationId']
        if name.endswith('V1'):
            name = name[:-2]
        experimental = any(
            p.get('in') == 'header' and p.get('name', '').lower() == EXPERIMENTAL_HEADER.lower() and p.get('required')
            for p in operation.get('parameters', []))
        content = operation.get('requestBody', {}).get('content', {})
        media_types = list(content)
        schema = content[media_types[0]]['schema'] if media_types else None
        return {'name': name, 'experimental': experimental, 'media_types': media_types, 'schema': schema}

    def match(self, method, path):
        """Return (operations-or-None, id) for a path of this version, or None."""
        for regex, operations in self.routes:
            found = regex.match(path)
            if found:
                ident = found.groupdict().get('id')
                return operations.get(method), operations, unquote(ident) if ident else None
        return None


class ApiVersion(SpecDocument):
    """A SIM-integrations version: the routes plus the SimIntegrationDetails and JsonPatch schemas."""

    def __init__(self, version, document):
        SpecDocument.__init__(self, version, document)
        self.details_schema = self.component('SimIntegrationDetails')
        self.patch_schema = self.component('JsonPatch')
        self.patch_operation_schema = self.validator.properties(self.patch_schema)['operations']['items']
        properties = self.validator.properties(self.details_schema)
        self.read_only_fields = [k for k, v in properties.items() if self.validator.is_read_only(v)]
        self.writable_fields = [k for k, v in properties.items() if not self.validator.is_read_only(v)]


class ServiceDeskApi(SpecDocument):
    """A Service Desk Integrations version: the routes plus the schemas its bodies are validated against."""

    # Server-maintained: the v3 and year DTOs do not mark them readOnly, beta does not declare them at all.
    SERVER_FIELDS = ('id', 'created', 'modified')

    def __init__(self, version, document):
        SpecDocument.__init__(self, version, document)
        self.dto_schema = self.component('ServiceDeskIntegrationDto')
        self.patch_operation_schema = self.component('JsonPatchOperation')
        self.status_schema = self.component('QueuedCheckConfigDetails')
        properties = self.validator.properties(self.dto_schema)
        self.has_server_fields = all(key in properties for key in self.SERVER_FIELDS)
        self.writable_fields = [k for k in properties if k not in self.SERVER_FIELDS]
        limit = self.document['components']['parameters']['limit']['schema']
        self.max_limit = int(limit.get('maximum', 250))


_VERSIONS_CACHE = {}


def _load(spec_dir, files, kind):
    key = (spec_dir, kind.__name__)
    if key not in _VERSIONS_CACHE:
        documents = {}
        versions = []
        for version, filename in files:
            if filename not in documents:
                with open(os.path.join(spec_dir, filename), encoding='utf-8') as handle:
                    documents[filename] = json.load(handle)
            versions.append(kind(version, documents[filename]))
        _VERSIONS_CACHE[key] = versions
    return _VERSIONS_CACHE[key]


def load_api_versions(spec_dir=SPEC_DIR):
    """The SIM ApiVersion objects for every served prefix; read-only, so shared between emulators."""
    return _load(spec_dir, SPEC_FILES, ApiVersion)


def load_service_desk_versions(spec_dir=SPEC_DIR):
    """The ServiceDeskApi objects for every served prefix (v3, beta, v2024-v2026, v1)."""
    return _load(spec_dir, SERVICE_DESK_SPEC_FILES, ServiceDeskApi)
