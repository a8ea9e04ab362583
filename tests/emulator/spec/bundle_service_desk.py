# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bundle the Service Desk Integration paths of sailpoint-oss/api-specs into self-contained JSON documents.

Maintainer tool, not used at run time (the emulator reads the committed JSON with the standard library):

    python tests/emulator/spec/bundle_service_desk.py /path/to/api-specs/idn [--commit SHA]

needs PyYAML. For each API version it reads the raw path files, follows every file ``$ref`` and writes
``service-desk-integrations.<version>.bundled.json`` next to this script: an OpenAPI 3.0.1 document with only
the Service Desk paths and the components they reference, ``$ref``s rewritten to ``#/components/...``. The
schemas are unchanged, except that a ``$ref`` with sibling keys becomes ``allOf: [{$ref}]`` plus those keys,
so the siblings (descriptions) survive. A version whose bundle equals an earlier one's (apart from ``info``
and ``servers``) is not written; the script says which, and ``sailemu/spec.py`` serves it from that one.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_COMMIT = '81ef79d05e43806f9083f42015a2a359bbd76e1f'

# URL path -> raw path file, per version directory (the root documents that hold this map are not vendored).
YEAR_PATHS = (
    ('/service-desk-integrations', 'service-desk-integrations.yaml'),
    ('/service-desk-integrations/{id}', 'service-desk-integration.yaml'),
    ('/service-desk-integrations/types', 'service-desk-integration-types.yaml'),
    ('/service-desk-integrations/templates/{scriptName}', 'service-desk-integration-template.yaml'),
    ('/service-desk-integrations/status-check-configuration', 'service-desk-integration-configuration.yaml'),
)
V1_PATHS = (
    ('/service-desk-integrations/v1', 'service-desk-integrations-v1.yaml'),
    ('/service-desk-integrations/v1/{id}', 'service-desk-integrations-v1-by-id.yaml'),
    ('/service-desk-integrations/v1/types', 'service-desk-integrations-v1-types.yaml'),
    ('/service-desk-integrations/v1/templates/{scriptName}', 'service-desk-integrations-v1-templates-by-scriptname.yaml'),
    ('/service-desk-integrations/v1/status-check-configuration', 'service-desk-integrations-v1-status-check-configuration.yaml'),
)
VERSIONS = (
    ('v3', 'v3/paths', YEAR_PATHS, 'Identity Security Cloud V3 API', '3.0.0', '/v3'),
    ('beta', 'beta/paths', YEAR_PATHS, 'Identity Security Cloud Beta API', '3.1.0-beta', '/beta'),
    ('v2024', 'v2024/paths', YEAR_PATHS, 'Identity Security Cloud V2024 API', 'v2024', '/v2024'),
    ('v2025', 'v2025/paths', YEAR_PATHS, 'Identity Security Cloud V2025 API', 'v2025', '/v2025'),
    ('v2026', 'v2026/paths', YEAR_PATHS, 'Identity Security Cloud V2026 API', 'v2026', '/v2026'),
    ('v1', 'apis/service-desk-integration/paths', V1_PATHS, 'Identity Security Cloud API - Service Desk Integration', 'v1', ''),
)
KINDS = ('schemas', 'responses', 'parameters')


class Bundler:
    def __init__(self):
        self.components = {kind: {} for kind in KINDS}
        self.origin = {}

    def load(self, path):
        with open(path, encoding='utf-8') as handle:
            return yaml.safe_load(handle)

    def component(self, path):
        kind = os.path.basename(os.path.dirname(path))
        if kind not in KINDS:
            raise ValueError('%s: not under schemas/, responses/ or parameters/' % path)
        name = os.path.splitext(os.path.basename(path))[0]
        key = (kind, name)
        if key in self.origin:
            if self.origin[key] != path and self.load(self.origin[key]) != self.load(path):
                raise ValueError('two different %s named %s: %s and %s' % (kind, name, self.origin[key], path))
            return '#/components/%s/%s' % key
        self.origin[key] = path
        self.components[kind][name] = None  # placeholder: a cycle finds the name already taken
        self.components[kind][name] = self.walk(self.load(path), os.path.dirname(path))
        return '#/components/%s/%s' % key

    def walk(self, node, base):
        if isinstance(node, list):
            return [self.walk(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        if '$ref' in node:
            target = node['$ref']
            if target.startswith('#'):
                raise ValueError('local $ref %s in %s is not supported' % (target, base))
            ref = {'$ref': self.component(os.path.normpath(os.path.join(base, target)))}
            siblings = {k: self.walk(v, base) for k, v in node.items() if k != '$ref'}
            return dict(siblings, allOf=[ref]) if siblings else ref
        return {k: self.walk(v, base) for k, v in node.items()}


def bundle(root, version, directory, paths, title, api_version, server_suffix, commit):
    bundler = Bundler()
    document_paths = {}
    for url, filename in paths:
        path = os.path.join(root, directory, filename)
        document_paths[url] = bundler.walk(bundler.load(path), os.path.dirname(path))
    components = {kind: dict(sorted(items.items())) for kind, items in bundler.components.items() if items}
    components['securitySchemes'] = {'userAuth': {
        'type': 'oauth2', 'description': 'OAuth2 Bearer token (JWT), client credentials grant.',
        'flows': {'clientCredentials': {'tokenUrl': 'https://tenant.api.identitynow.com/oauth/token', 'scopes': {
            'sp:scopes:all': 'Access to all operations',
            'idn:service-desk-integration:read': 'Read service desk integrations',
            'idn:service-desk-integration:manage': 'Manage service desk integrations'}}}}}
    return {
        'openapi': '3.0.1',
        'info': {
            'title': title, 'version': api_version,
            'license': {'name': 'MIT', 'url': 'https://opensource.org/licenses/MIT'},
            'x-extracted-from': 'sailpoint-oss/api-specs@%s idn/%s (Service Desk Integration paths), bundled by %s' % (
                commit, directory, 'tests/emulator/spec/bundle_service_desk.py'),
        },
        'servers': [{'url': 'https://{tenant}.api.identitynow.com' + server_suffix,
                     'variables': {'tenant': {'default': 'sailpoint'}}}],
        'security': [{'userAuth': ['sp:scopes:all']}],
        'tags': [{'name': 'Service Desk Integration'}],
        'paths': document_paths,
        'components': components,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('idn', help='the idn/ directory of a sailpoint-oss/api-specs checkout')
    parser.add_argument('--commit', default=DEFAULT_COMMIT, help='the api-specs commit, recorded in info.x-extracted-from')
    parser.add_argument('--out', default=HERE, help='output directory (default: next to this script)')
    args = parser.parse_args(argv)
    written = []
    for version, directory, paths, title, api_version, suffix in VERSIONS:
        document = bundle(args.idn, version, directory, paths, title, api_version, suffix, args.commit)
        same = [v for v, d in written if (d['paths'], d['components']) == (document['paths'], document['components'])]
        if same:
            print('%s: identical to %s, not written' % (version, same[0]))
            continue
        written.append((version, document))
        target = os.path.join(args.out, 'service-desk-integrations.%s.bundled.json' % version)
        with open(target, 'w', encoding='utf-8') as handle:
            json.dump(document, handle, indent=2, sort_keys=False)
            handle.write('\n')
        print('%s: %s' % (version, target))
    return 0


if __name__ == '__main__':
    sys.exit(main())
