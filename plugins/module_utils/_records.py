# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIM integration records: normalising API responses, comparing them with what the user asked for,
building the JSON Patch between the two, and keeping secrets out of everything we return.

Internal to this collection: no stable API, it may change in any release.

All comparison happens on API-shaped documents (camelCase, as POST/PUT take them); records handed
back to users use the module's option names, so info output can be fed back to sim_integration.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import re

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import InvalidResponseError

# (module option, API field) for every writable field of SimIntegrationDetails.
FIELDS = (
    ("name", "name"),
    ("description", "description"),
    ("type", "type"),
    ("attributes", "attributes"),
    ("sources", "sources"),
    ("cluster", "cluster"),
    ("status_map", "statusMap"),
    ("request", "request"),
    ("before_provisioning_rule", "beforeProvisioningRule"),
)
API_TO_OPTION = dict((api, opt) for opt, api in FIELDS)
OPTION_TO_API = dict(FIELDS)

MASK = "********"
HIDDEN_MAPS = "_maps_hidden"  # marker key in normalised documents; never returned to users
HIDDEN_MASKED = "_masked"  # attribute paths ("password", "oauth.client_secret") the service sent masked
SECRET_KEY = re.compile(r"password|passwd|secret|token|credential|private_?key|api_?key", re.IGNORECASE)
# Values some services send instead of a stored secret; they are no more known than an omitted key.
MASKED_VALUES = ("********", "*****", "******", "***", "<masked>", "<hidden>")


def is_secret_key(key):
    return bool(SECRET_KEY.search(str(key)))


def secret_values(value, under_secret=False):
    """Every value stored under a password-like key, at any depth and whatever its type, for no_log_values.

    Under such a key everything is secret: the items of a list, the values of a dict (whatever their keys
    are called), numbers. Booleans and empty strings are skipped: masking every "True" would garble output.
    """
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(secret_values(item, under_secret or is_secret_key(key)))
    elif isinstance(value, list):
        for item in value:
            found.extend(secret_values(item, under_secret))
    elif under_secret and value is not None and not isinstance(value, bool) and str(value) != "":
        found.append(str(value))
    return found


def json_copy(value):
    """A copy of JSON data (dicts, lists, strings, numbers, booleans, None) at any depth.

    Records, request bodies and validated options are JSON data on both execution paths (the action plugin
    hands the module plain values). copy.deepcopy pays for a memo and the copy protocol on every node, about three
    times the cost of this for the few records copied per loop item; anything that is not JSON falls back to it.
    """
    if isinstance(value, dict):
        return dict((k, json_copy(v)) for k, v in value.items())
    if isinstance(value, list):
        return [json_copy(v) for v in value]
    if value is None or isinstance(value, (str, int, float)):  # immutable; bool is an int
        return value
    return copy.deepcopy(value)


def mask(value):
    """A copy with every value under a password-like key replaced by MASK, whatever its type."""
    if isinstance(value, dict):
        return dict((k, MASK if is_secret_key(k) and v is not None else mask(v)) for k, v in value.items())
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def has_secret(value):
    """True when a password-like key appears anywhere in value."""
    if isinstance(value, dict):
        return any(is_secret_key(k) or has_secret(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_secret(v) for v in value)
    return False


def visible_part(want, have):
    """What of `want` the service can show back: password-like keys it did not return are left out, at any depth.

    The API hides secrets wherever they are nested, so they are write-only at any depth; comparing
    them with a response that cannot hold them would report a change on every run.
    """
    if isinstance(want, dict):
        shown = have if isinstance(have, dict) else {}
        return dict((k, visible_part(v, shown.get(k))) for k, v in want.items() if not (is_secret_key(k) and k not in shown))
    if isinstance(want, list):
        pairs = zip(want, have) if isinstance(have, list) and len(have) == len(want) else ((w, None) for w in want)
        return [visible_part(w, h) for w, h in pairs]
    return want


def drop_secrets(value):
    """A copy without password-like keys: what an exported record may safely carry."""
    if isinstance(value, dict):
        return dict((k, drop_secrets(v)) for k, v in value.items() if not is_secret_key(k))
    if isinstance(value, list):
        return [drop_secrets(v) for v in value]
    return value


def masked_paths(value, prefix=""):
    """Dotted paths of the values a service sent masked: it holds a secret there, though it does not show it."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = prefix + str(key)
            if is_secret_key(key) and isinstance(item, str) and item in MASKED_VALUES:
                found.append(path)
            else:
                found.extend(masked_paths(item, path + "."))
    return found


def _drop_masked(value):
    """Masked stand-ins under password-like keys, at any depth, are no more known than an omitted key."""
    if isinstance(value, dict):
        return dict((k, _drop_masked(v)) for k, v in value.items() if not (is_secret_key(k) and v in MASKED_VALUES))
    if isinstance(value, list):
        return [_drop_masked(v) for v in value]
    return value


def normalize_common(raw, method="GET", path=""):
    """The fields every ServiceDeskIntegrationDto-like answer shares, normalised the one way.

    id, name, description, type, created, modified; attributes (a JSON string is parsed, masked stand-ins under
    password-like keys are dropped and their paths kept in HIDDEN_MASKED); beforeProvisioningRule as {type, id, name}.
    A field missing from the response stays missing: it is unknown, not empty.
    """
    if not isinstance(raw, dict):
        raise InvalidResponseError(method, path, 200, "expected an integration object, got %s" % type(raw).__name__)
    doc = {}
    for key in ("id", "name", "description", "type", "created", "modified"):
        if raw.get(key) is not None:
            doc[key] = raw[key]
    doc["attributes"], doc[HIDDEN_MASKED] = _attributes(raw.get("attributes"), method, path)
    rule = raw.get("beforeProvisioningRule")
    if isinstance(rule, dict) and rule.get("id"):
        doc["beforeProvisioningRule"] = dict((k, rule[k]) for k in ("type", "id", "name") if rule.get(k) is not None)
    return doc


def _attributes(attributes, method, path):
    if isinstance(attributes, str):
        try:
            attributes = json.loads(attributes) if attributes.strip() else {}
        except ValueError:
            raise InvalidResponseError(method, path, 200, "attributes is a string but not JSON")
    if attributes is None:
        attributes = {}
    if not isinstance(attributes, dict):
        raise InvalidResponseError(method, path, 200, "attributes is %s, not an object" % type(attributes).__name__)
    return _drop_masked(attributes), masked_paths(attributes)


def normalize(raw, method="GET", path=""):
    """A SIM integration from either response shape the service may send.

    The SIM shape has sources/cluster/statusMap/request; the plain ServiceDeskIntegrationDto has
    managedSources, clusterRef and provisioningConfig instead, lacks statusMap/request, and may carry
    attributes as a JSON string.
    """
    doc = normalize_common(raw, method, path)
    sources = _sources(raw)
    if sources is not None:
        doc["sources"] = sources
    cluster = raw.get("cluster")
    if cluster is None and isinstance(raw.get("clusterRef"), dict):
        cluster = raw["clusterRef"].get("id")
    if cluster is not None:
        doc["cluster"] = cluster
    for key in ("statusMap", "request"):
        if isinstance(raw.get(key), dict):
            doc[key] = raw[key]
    # A response with none of the SIM-only fields is the plain DTO shape, which never carries statusMap
    # or request: their absence then means "not shown", not "not set".
    doc[HIDDEN_MAPS] = not any(key in raw for key in ("statusMap", "request", "sources"))
    return doc


def _sources(raw):
    """Source ids from the SIM field, the deprecated managedSources, or provisioningConfig.managedResourceRefs."""
    if isinstance(raw.get("sources"), list):
        return list(raw["sources"])
    if isinstance(raw.get("managedSources"), list):
        return list(raw["managedSources"])
    refs = (raw.get("provisioningConfig") or {}).get("managedResourceRefs") if isinstance(raw.get("provisioningConfig"), dict) else None
    if isinstance(refs, list):
        return [r.get("id") for r in refs if isinstance(r, dict) and r.get("id")]
    return None


def to_record(doc):
    """The user-facing record: option names, secrets left out (they are write-only)."""
    if doc is None:
        return None
    record = {}
    if "id" in doc:
        record["id"] = doc["id"]
    for option, api in FIELDS:
        if api in doc:
            record[option] = json_copy(doc[api])
    if "sources" in record:
        record["sources"] = sorted(record["sources"])
    if "attributes" in record:
        record["attributes"] = drop_secrets(record["attributes"])
    for key in ("created", "modified"):
        if key in doc:
            record[key] = doc[key]
    return record


def desired_from_params(params):
    """API-shaped fields the user set (None means 'not managed')."""
    desired = {}
    for option, api in FIELDS:
        value = params.get(option)
        if value is None:
            continue
        if option == "before_provisioning_rule":
            value = dict((k, v) for k, v in value.items() if v is not None)
            value.setdefault("type", "RULE")
        desired[api] = json_copy(value)
    return desired


def escape_pointer(key):
    return str(key).replace("~", "~0").replace("/", "~1")


def plan_update(current, desired, write_only="on_create"):
    """JSON Patch operations that turn `current` into what `desired` asks for, on managed paths only.

    Rules, in the user's favour:
    - only fields the user set are compared; nothing else is touched;
    - attributes are merged key by key (a key set to null is removed);
    - sources compare as a set: order is not significant;
    - statusMap and request are whole maps (keys not given are removed), patched key by key;
    - a field or secret the API does not return cannot be compared, so it is written only when
      write_only='always' (otherwise every run would report a change it cannot verify).
    """
    ops = []
    for api, want in desired.items():
        if api == "attributes":
            ops.extend(_plan_attributes(current.get("attributes", {}), want, write_only))
            continue
        if api not in current:
            if want is None:
                continue
            if api in ("statusMap", "request") and current.get(HIDDEN_MAPS) and write_only != "always":
                continue  # the plain ServiceDeskIntegrationDto never returns these: write-only
            ops.append({"op": "add", "path": "/" + api, "value": want})
            continue
        have = current[api]
        if api in ("statusMap", "request") and isinstance(have, dict):
            ops.extend(_plan_map(api, have, want))
            continue
        if api == "sources" and sorted(have) == sorted(want):
            continue
        if api == "beforeProvisioningRule" and all(have.get(k) == v for k, v in want.items()):
            continue
        if have != want:
            ops.append({"op": "replace", "path": "/" + api, "value": want})
    return ops


def _plan_map(api, have, want):
    """Per-key operations for a whole-managed map, so changing one status touches one path."""
    ops = []
    for key in want:
        path = "/%s/%s" % (api, escape_pointer(key))
        if key not in have:
            ops.append({"op": "add", "path": path, "value": want[key]})
        elif have[key] != want[key]:
            ops.append({"op": "replace", "path": path, "value": want[key]})
    for key in have:
        if key not in want:
            ops.append({"op": "remove", "path": "/%s/%s" % (api, escape_pointer(key))})
    return ops


def plan_attributes(have, want, write_only):
    """Key-level operations under /attributes (merged: keys not named are left alone), never erasing a hidden secret."""
    return _plan_object("/attributes", have, want, write_only, merge=True)


_plan_attributes = plan_attributes


def _plan_object(prefix, have, want, write_only, merge):
    """Operations for an object, key by key and recursively, so that a secret the API hides is never erased.

    `merge` (the attributes themselves): keys not named are left alone. Nested objects are managed whole:
    keys not named are removed, except those the API does not show, which cannot be seen and are kept.
    """
    ops = []
    for key, value in want.items():
        path = prefix + "/" + escape_pointer(key)
        secret = is_secret_key(key)
        if value is None:
            if key in have:
                ops.append({"op": "remove", "path": path})
            elif secret:
                # A hidden secret may or may not be held: add-then-remove is valid either way, in one atomic patch.
                ops.extend([{"op": "add", "path": path, "value": ""}, {"op": "remove", "path": path}])
            continue
        if key not in have:
            if secret and write_only != "always":
                continue  # write-only secret the API never returns: sending it each run would never settle
            ops.append({"op": "add", "path": path, "value": value})
            continue
        old = have[key]
        if secret and write_only == "always":
            ops.append({"op": "replace", "path": path, "value": value})
        elif isinstance(old, dict) and isinstance(value, dict) and not secret:
            ops.extend(_plan_object(path, old, value, write_only, merge=False))
        elif old != visible_part(value, old) or (write_only == "always" and has_secret(value)):
            ops.append({"op": "replace", "path": path, "value": value})
    if not merge:
        for key in have:
            if key not in want:
                ops.append({"op": "remove", "path": prefix + "/" + escape_pointer(key)})
    return ops


def write_only_removals(ops, current):
    """Attribute keys removed although the service does not show them (a null for a hidden secret)."""
    shown = current.get("attributes") or {}
    found = []
    for op in ops:
        tokens = op.get("path", "").split("/")
        if op.get("op") == "remove" and len(tokens) == 3 and tokens[1] == "attributes":
            key = _unescape(tokens[2])
            if key not in shown and key not in found:
                found.append(key)
    return found


def create_body(desired):
    body = json_copy(desired)
    if "attributes" in body:
        body["attributes"] = dict((k, v) for k, v in body["attributes"].items() if v is not None)
    return body


def put_body(current, desired):
    """The full writable document for PUT: current values with the user's on top.

    PUT replaces the whole integration, so a secret the API never returned is lost unless the user
    passes it again; the module documents this.
    """
    body = dict((api, json_copy(current[api])) for _opt, api in FIELDS if api in current)
    for api, want in desired.items():
        if api == "attributes":
            merged = dict(body.get("attributes", {}))
            for key, value in want.items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            body["attributes"] = merged
        else:
            body[api] = json_copy(want)
    return body


def diff_of(before, after, removed=()):
    """Minimal before/after: only the managed top-level fields (and attribute keys) that differ, masked.

    `removed`: hidden attribute keys being removed, shown as a masked value before and absent after.
    """
    before = before or {}
    after = after or {}
    b, a = {}, {}
    if removed:
        b["attributes"] = dict((key, MASK) for key in removed)
        a["attributes"] = {}
    for key in sorted(set(before) | set(after)):
        if key in ("created", "modified") or key.startswith("_"):
            continue
        old, new = before.get(key), after.get(key)
        if key in ("attributes", "statusMap", "request") and isinstance(old, dict) and isinstance(new, dict):
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            if changed:
                b.setdefault(key, {}).update((k, old[k]) for k in changed if k in old)
                a.setdefault(key, {}).update((k, new[k]) for k in changed if k in new)
            continue
        if key == "sources" and isinstance(old, list) and isinstance(new, list) and sorted(old) == sorted(new):
            continue
        if old != new:
            if key in before:
                b[key] = old
            if key in after:
                a[key] = new
    return dict(before=mask(b), after=mask(a))


def _unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def mask_operations(ops):
    """The operations with every value at or under a password-like path segment masked, whatever its type."""
    masked = []
    for op in ops:
        op = dict(op)
        tokens = [_unescape(t) for t in op.get("path", "").split("/")[1:]]
        if "value" in op:
            op["value"] = MASK if any(is_secret_key(t) for t in tokens[1:]) and op["value"] is not None else mask(op["value"])
        masked.append(op)
    return masked
