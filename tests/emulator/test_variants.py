# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The variant flags (README "Variants"): each narrows or changes one behaviour of the live API."""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from conftest import Api, http, sample
from sim_emulator import MASK, Emulator, build_parser

ARRAY = [{'op': 'replace', 'path': '/description', 'value': 'changed'}]
WRAPPER = {'operations': ARRAY}


def _assert_error_dto(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {'detailCode', 'trackingId', 'messages', 'causes'}
    assert body['messages'] and all(set(m) == {'locale', 'localeOrigin', 'text'} for m in body['messages'])
    return ' '.join(m['text'] for m in body['messages'])


def _variant(make_emulator, **options):
    api = Api(make_emulator(rate_limit=0, **options).url)
    created = api.create(sample())
    assert created.status_code in (200, 201), created.text
    return api, created.json()['id']


def test_defaults_keep_original_behaviour():
    args = build_parser().parse_args([])
    assert (args.patch_body, args.patch_ops, args.patch_paths, args.secrets, args.status_codes, args.duplicate_status) == (
        'both', 'any', 'any', 'omit', 'spec', 400)
    assert build_parser().parse_args(['--return-secrets']).secrets == 'return'
    assert build_parser().parse_args(['--secrets', 'mask']).secrets == 'mask'


@pytest.mark.parametrize('argv', [['--patch-body', 'json'], ['--patch-ops', 'add'], ['--patch-paths', 'deep'],
                                  ['--secrets', 'show'], ['--status-codes', 'http'], ['--duplicate-status', '422']])
def test_invalid_variant_values_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)
    assert exc.value.code == 2
    assert 'invalid choice' in capsys.readouterr().err


def test_invalid_variant_in_process_raises(make_emulator):
    with pytest.raises(ValueError, match='patch_ops must be one of any, replace'):
        Emulator(patch_ops='add')
    with pytest.raises(ValueError, match='invalid emulator arguments'):
        make_emulator(patch_ops='add')


def test_missing_token_reads_jwt_is_required(api):
    response = http('GET', api.url())
    assert response.status_code == 401 and response.json() == {'error': 'JWT is required'}


@pytest.mark.parametrize('rule', [False, True])
def test_patch_body_array_refuses_the_wrapper(make_emulator, rule):
    api, ident = _variant(make_emulator, patch_body='array')
    ops = [{'op': 'add', 'path': '/beforeProvisioningRule', 'value': {'type': 'RULE', 'id': 'r1', 'name': 'R'}}] if rule else ARRAY
    before = api.state()
    text = _assert_error_dto(api.patch(ident, {'operations': ops}, rule=rule), 400)
    assert 'wrapper is not accepted' in text
    assert api.state() == before
    assert api.patch(ident, ops, rule=rule).status_code == 200


@pytest.mark.parametrize('rule', [False, True])
def test_patch_body_operations_refuses_the_array(make_emulator, rule):
    api, ident = _variant(make_emulator, patch_body='operations')
    ops = [{'op': 'add', 'path': '/beforeProvisioningRule', 'value': {'type': 'RULE', 'id': 'r1', 'name': 'R'}}] if rule else ARRAY
    before = api.state()
    text = _assert_error_dto(api.patch(ident, ops, rule=rule), 400)
    assert 'bare JSON Patch array is not accepted' in text
    assert api.state() == before
    assert api.patch(ident, {'operations': ops}, rule=rule).status_code == 200


def test_patch_body_both_is_the_default(api):
    ident = api.create(sample()).json()['id']
    assert api.patch(ident, ARRAY).status_code == 200
    assert api.patch(ident, WRAPPER).status_code == 200


@pytest.mark.parametrize('op', [
    {'op': 'add', 'path': '/attributes/extra', 'value': 'x'},
    {'op': 'remove', 'path': '/statusMap'},
    {'op': 'test', 'path': '/name', 'value': 'ServiceNow SIM'},
    {'op': 'copy', 'from': '/name', 'path': '/description'},
    {'op': 'move', 'from': '/description', 'path': '/request/description'},
])
def test_patch_ops_replace_refuses_other_ops_with_403(make_emulator, op):
    api, ident = _variant(make_emulator, patch_ops='replace')
    before = api.state()
    # A valid replace in the same patch does not get the patch through: nothing is applied.
    text = _assert_error_dto(api.patch(ident, ARRAY + [op]), 403)
    assert "Operation 1: only 'replace' operations are accepted, not '%s'." % op['op'] == text
    assert api.state() == before


def test_patch_ops_replace_accepts_replace_and_sets_absent_members(make_emulator):
    api, ident = _variant(make_emulator, patch_ops='replace')
    response = api.patch(ident, [
        {'op': 'replace', 'path': '/description', 'value': 'changed'},
        # Absent fields and keys: replace acts as "set", as on the live Service Desk API.
        {'op': 'replace', 'path': '/beforeProvisioningRule', 'value': {'type': 'RULE', 'id': 'r1', 'name': 'R'}},
        {'op': 'replace', 'path': '/attributes/newKey', 'value': 'v'},
    ])
    assert response.status_code == 200, response.text
    stored = api.state()[0]
    assert stored['description'] == 'changed'
    assert stored['beforeProvisioningRule'] == {'type': 'RULE', 'id': 'r1', 'name': 'R'}
    assert stored['attributes']['newKey'] == 'v' and stored['attributes']['password'] == 's3cret'
    rule = api.patch(ident, [{'op': 'replace', 'path': '/beforeProvisioningRule', 'value': {'type': 'RULE', 'id': 'r2', 'name': 'S'}}],
                     rule=True)
    assert rule.status_code == 200 and api.state()[0]['beforeProvisioningRule']['id'] == 'r2'
    # A parent that does not exist is still a 400, as is any other bad path.
    missing = api.patch(ident, [{'op': 'replace', 'path': '/nothing/here', 'value': 'v'}])
    _assert_error_dto(missing, 400)
    deep = api.patch(ident, [{'op': 'replace', 'path': '/request/missing/deeper', 'value': 'v'}])
    _assert_error_dto(deep, 400)


def test_patch_ops_any_keeps_replace_of_absent_member_an_error(api):
    ident = api.create(sample()).json()['id']
    response = api.patch(ident, [{'op': 'replace', 'path': '/attributes/newKey', 'value': 'v'}])
    _assert_error_dto(response, 400)


@pytest.mark.parametrize('path', ['/statusMap/requested', '/attributes/url', '/beforeProvisioningRule/name'])
def test_patch_paths_top_refuses_deep_paths(make_emulator, path):
    api, ident = _variant(make_emulator, patch_paths='top')
    before = api.state()
    text = _assert_error_dto(api.patch(ident, [{'op': 'replace', 'path': path, 'value': 'x'}]), 400)
    assert 'deeper than one segment' in text and path in text
    assert api.state() == before


def test_patch_paths_top_refuses_a_deep_from_and_on_the_rule_endpoint(make_emulator):
    api, ident = _variant(make_emulator, patch_paths='top')
    moved = api.patch(ident, [{'op': 'move', 'from': '/request/description', 'path': '/description'}])
    assert "'from'" in _assert_error_dto(moved, 400)
    rule = api.patch(ident, [{'op': 'add', 'path': '/beforeProvisioningRule/name', 'value': 'x'}], rule=True)
    _assert_error_dto(rule, 400)
    ok = api.patch(ident, [{'op': 'replace', 'path': '/statusMap', 'value': {'requested': 'New'}},
                           {'op': 'replace', 'path': '/attributes', 'value': {'url': 'https://x'}}])
    assert ok.status_code == 200 and api.state()[0]['attributes'] == {'url': 'https://x'}


def _secret_body():
    return sample(attributes={'url': 'https://x', 'password': 'p1', 'nested': {'apiKey': 'k1', 'plain': 'v'}, 'list': [{'token': 't'}]})


@pytest.mark.parametrize('mode, expected', [
    ('omit', {'url': 'https://x', 'nested': {'plain': 'v'}, 'list': [{}]}),
    ('mask', {'url': 'https://x', 'password': MASK, 'nested': {'apiKey': MASK, 'plain': 'v'}, 'list': [{'token': MASK}]}),
    ('return', {'url': 'https://x', 'password': 'p1', 'nested': {'apiKey': 'k1', 'plain': 'v'}, 'list': [{'token': 't'}]}),
])
def test_secrets_modes(make_emulator, mode, expected):
    api = Api(make_emulator(rate_limit=0, secrets=mode).url)
    created = api.create(_secret_body())
    assert created.json()['attributes'] == expected
    ident = created.json()['id']
    assert api.get(ident).json()['attributes'] == expected
    assert api.list().json()[0]['attributes'] == expected
    assert api.patch(ident, ARRAY).json()['attributes'] == expected
    assert api.state()[0]['attributes']['password'] == 'p1'


def test_secrets_mask_with_strict_dto(make_emulator):
    api = Api(make_emulator(rate_limit=0, secrets='mask', strict_dto=True).url)
    created = api.create(_secret_body()).json()
    assert '"password":"********"' in created['attributes']


def test_secrets_mask_stores_what_is_sent_back(make_emulator):
    # A client that PUTs the masked value back overwrites the real secret: the tests can see the loss.
    api = Api(make_emulator(rate_limit=0, secrets='mask').url)
    created = api.create(_secret_body()).json()
    body = dict(_secret_body(), attributes=created['attributes'])
    assert api.put(created['id'], body).status_code == 200
    assert api.state()[0]['attributes']['password'] == MASK


def test_return_secrets_alias(make_emulator):
    emulator = make_emulator(return_secrets=True)
    assert emulator.server.secrets == 'return'
    assert Api(emulator.url).create(_secret_body()).json()['attributes']['password'] == 'p1'


def test_status_codes_rest(make_emulator):
    api = Api(make_emulator(rate_limit=0, status_codes='rest').url)
    created = api.create(sample())
    assert created.status_code == 201
    ident = created.json()['id']
    assert created.headers['Location'] == api.url('/' + ident)
    assert http('GET', created.headers['Location'], headers=api.headers()).json()['id'] == ident
    assert api.put(ident, sample()).status_code == 200
    assert api.patch(ident, ARRAY).status_code == 200
    deleted = api.delete(ident)
    assert deleted.status_code == 204 and deleted.content == b''
    assert 'Content-Type' not in deleted.headers
    assert api.delete(ident).status_code == 404


def test_status_codes_rest_on_other_versions_and_strict(make_emulator):
    api = Api(make_emulator(rate_limit=0, status_codes='rest', strict_dto=True).url, version='v1')
    created = api.create(sample())
    assert created.status_code == 201 and created.headers['Location'].endswith('/sim-integrations/v1/' + created.json()['id'])
    assert isinstance(created.json()['attributes'], str)


def test_status_codes_spec_is_the_default(api):
    created = api.create(sample())
    assert created.status_code == 200 and 'Location' not in created.headers
    assert api.delete(created.json()['id']).status_code == 200


@pytest.mark.parametrize('status', [400, 409])
def test_duplicate_status(make_emulator, status):
    api, ident = _variant(make_emulator, duplicate_status=status)
    text = _assert_error_dto(api.create(sample(name='servicenow sim')), status)
    assert "An integration with the name 'servicenow sim' already exists." == text
    other = api.create(sample(name='Other')).json()['id']
    _assert_error_dto(api.put(other, sample()), status)
    _assert_error_dto(api.patch(other, [{'op': 'replace', 'path': '/name', 'value': 'ServiceNow SIM'}]), status)
    assert len(api.state()) == 2 and ident


def test_all_variants_combine(make_emulator):
    api = Api(make_emulator(rate_limit=0, strict_dto=True, status_codes='rest', patch_ops='replace', patch_paths='top',
                            secrets='mask', patch_body='array', duplicate_status=409).url)
    created = api.create(sample())
    assert created.status_code == 201
    ident = created.json()['id']
    assert api.patch(ident, {'operations': ARRAY}).status_code == 400
    assert api.patch(ident, [{'op': 'add', 'path': '/description', 'value': 'x'}]).status_code == 403
    assert api.patch(ident, [{'op': 'replace', 'path': '/attributes/url', 'value': 'x'}]).status_code == 400
    patched = api.patch(ident, [{'op': 'replace', 'path': '/attributes', 'value': {'url': 'u', 'password': 'new'}}])
    assert patched.status_code == 200 and '"password":"********"' in patched.json()['attributes']
    assert api.create(sample()).status_code == 409
    assert api.delete(ident).status_code == 204


def test_cli_flags_reach_the_emulator(spawn):
    process = spawn('--lifetime', '60', '--patch-ops', 'replace', '--status-codes', 'rest', '--duplicate-status', '409',
                    '--secrets', 'mask', '--patch-body', 'array', '--patch-paths', 'top')
    api = Api(process.url)
    created = api.create(sample())
    assert created.status_code == 201 and created.json()['attributes']['password'] == MASK
    ident = created.json()['id']
    assert api.patch(ident, [{'op': 'add', 'path': '/description', 'value': 'x'}]).status_code == 403
    assert api.patch(ident, {'operations': ARRAY}).status_code == 400
    assert api.patch(ident, [{'op': 'replace', 'path': '/statusMap/requested', 'value': 'x'}]).status_code == 400
    assert api.create(sample()).status_code == 409


def test_cli_return_secrets_alias(spawn):
    process = spawn('--lifetime', '60', '--return-secrets')
    assert Api(process.url).create(sample()).json()['attributes']['password'] == 's3cret'
