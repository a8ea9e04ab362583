# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Response shaping: stored document to ServiceDeskIntegrationDto (default or --strict-dto), secrets hidden."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from .common import DEFAULT_INTEGRATION_TYPE, MASK, RULE_FIELD, SECRET_KEY_RE


def _strip_secrets(value):
    """Drop password-like keys at any depth, the way secret attributes are masked on read."""
    if isinstance(value, dict):
        return {k: _strip_secrets(v) for k, v in value.items() if not SECRET_KEY_RE.search(str(k))}
    if isinstance(value, list):
        return [_strip_secrets(v) for v in value]
    return value


def _mask_secrets(value):
    """Replace the value of every password-like key, at any depth, by a fixed mask."""
    if isinstance(value, dict):
        return {k: MASK if SECRET_KEY_RE.search(str(k)) else _mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_secrets(v) for v in value]
    return value


class ViewMixin:
    """Response shaping of the Emulator."""

    def _view(self, document):
        """Render a stored document as the ServiceDeskIntegrationDto the SIM operations return."""
        attributes = self._secret_policy(document.get('attributes') or {})
        sources = document.get('sources')
        cluster = document.get('cluster')
        rule = document.get(RULE_FIELD)
        out = {
            'id': document['id'],
            'name': document.get('name'),
            'created': document.get('created'),
            'modified': document.get('modified'),
            'description': document.get('description') or '',
            'type': document.get('type') or DEFAULT_INTEGRATION_TYPE,
        }
        if cluster is not None:
            # The emulator knows no cluster names, and SourceClusterDto.name is a non-nullable string.
            out['clusterRef'] = {'type': 'CLUSTER', 'id': cluster}
            out['cluster'] = cluster
        if self.strict_dto:
            out['managedSources'] = list(sources or [])
            out['provisioningConfig'] = {
                'universalManager': False,
                'managedResourceRefs': [{'type': 'SOURCE', 'id': source} for source in sources or []],
                'noProvisioningRequests': False,
            }
            # Strict mode reproduces the quirk of the spec's attributes example: a JSON string.
            out['attributes'] = json.dumps(attributes, separators=(',', ':'))
            if isinstance(rule, dict):
                out[RULE_FIELD] = dict({k: rule[k] for k in ('id', 'name') if k in rule}, type='RULE')
            return out
        if sources is not None:
            out['managedSources'] = list(sources)
        out['attributes'] = attributes
        if rule is not None:
            out[RULE_FIELD] = rule
        for key in ('sources', 'statusMap', 'request'):
            if document.get(key) is not None:
                out[key] = document[key]
        return out

    def _secret_policy(self, attributes):
        """Password-like attribute values as --secrets says: left out, masked, or returned."""
        if self.secrets == 'omit':
            return _strip_secrets(attributes)
        if self.secrets == 'mask':
            return _mask_secrets(attributes)
        return attributes
