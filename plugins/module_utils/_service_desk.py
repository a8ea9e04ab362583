# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Service Desk Integrations (SDIM): the resource over the shared Integrations layer, and its records.

Internal to this collection: no stable API, it may change in any release.

The API answers with the same ServiceDeskIntegrationDto as the plain SIM shape, so normalisation, the
write-only and masking policy and the writes are those of _records.py, _plan.py and _resource.py; this file
says where the collection lives (paging, filters), which fields the module manages and how they map to
the option shape. The live PATCH takes only top-level `replace` (403 otherwise) as a bare array, so every
update is planned as whole-field replaces from the start (_plan.top_level refuses to erase hidden secrets).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import quote, urlencode

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import InvalidResponseError, NotFoundError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import DEFAULT_SERVICE_DESK_API_VERSION, SERVICE_DESK_API_VERSIONS
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import MASK, drop_secrets, is_secret_key, json_copy, normalize_common
from ansible_collections.sailpoint.identitynow.plugins.module_utils._resource import Integrations

PAGE_LIMIT = 250  # the API's maximum page size
DEFAULT_TYPE = "ServiceNowSDIM"

# provisioningConfig keys the module manages: (option, key). universalManager is read-only and never sent.
PROVISIONING = (
    ("plan_initializer_script", "planInitializerScript"),
    ("no_provisioning_requests", "noProvisioningRequests"),
    ("provisioning_request_expiration", "provisioningRequestExpiration"),
)
# Top-level DTO fields a PUT body carries (what PATCH replaces): all writable fields.
WRITABLE = ("name", "description", "type", "attributes", "ownerRef", "clusterRef", "provisioningConfig", "beforeProvisioningRule")


def filter_string(name=None, type_=None, cluster=None):
    """The API's filter syntax: `name eq "x"`, combined with `and`; quotes and backslashes escaped."""
    parts = []
    for field, value in (("name", name), ("type", type_), ("cluster", cluster)):
        if value is not None:
            parts.append('%s eq "%s"' % (field, str(value).replace("\\", "\\\\").replace('"', '\\"')))
    return " and ".join(parts) or None


def _ref(raw, ref_type):
    """A reference as {type, id, name}; the type the DTO documents when the service leaves it out."""
    if isinstance(raw, dict) and raw.get("id"):
        ref = dict((k, raw[k]) for k in ("type", "id", "name") if raw.get(k) is not None)
        ref.setdefault("type", ref_type)
        return ref
    return None


def _mask_filled(value):
    """Every non-empty value under a password-like key masked; an empty placeholder stays empty (nothing to hide)."""
    if isinstance(value, dict):
        return dict((k, MASK if is_secret_key(k) and v not in (None, "") else _mask_filled(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_mask_filled(v) for v in value]
    return value


def normalize(raw, method="GET", path=""):
    """A service desk integration: the common fields plus ownerRef, clusterRef and provisioningConfig.

    The deprecated `cluster` and `managedSources` stand in for clusterRef and managedResourceRefs when only
    they are sent. A field missing from the response stays missing: it is unknown, not empty.
    """
    doc = normalize_common(raw, method, path)
    owner = _ref(raw.get("ownerRef"), "IDENTITY")
    if owner:
        doc["ownerRef"] = owner
    cluster = _ref(raw.get("clusterRef"), "CLUSTER")
    if cluster is None and raw.get("cluster"):
        cluster = {"type": "CLUSTER", "id": raw["cluster"]}
    if cluster:
        doc["clusterRef"] = cluster
    config = raw.get("provisioningConfig")
    if isinstance(config, dict) or isinstance(raw.get("managedSources"), list):
        config = json_copy(config) if isinstance(config, dict) else {}
        refs = config.get("managedResourceRefs")
        if not isinstance(refs, list) and isinstance(raw.get("managedSources"), list):
            refs = [{"type": "SOURCE", "id": s} for s in raw["managedSources"]]
        if isinstance(refs, list):
            config["managedResourceRefs"] = [_ref(r, "SOURCE") for r in refs if _ref(r, "SOURCE")]
        if config.get("planInitializerScript") is None:
            config.pop("planInitializerScript", None)
        doc["provisioningConfig"] = dict((k, v) for k, v in config.items() if v is not None)
    return doc


def source_ids(doc):
    refs = (doc.get("provisioningConfig") or {}).get("managedResourceRefs")
    return None if refs is None else [r["id"] for r in refs]


def apply_top_level(current, ops):
    """A copy of `current` with each top-level replace of `ops` applied."""
    doc = json_copy(current)
    for op in ops:
        doc[op["path"].lstrip("/")] = json_copy(op["value"])
    return doc


def to_record(doc):
    """The option-shaped record (sailpoint.identitynow.service_desk_integration takes it back as it is); no secrets."""
    if doc is None:
        return None
    record = {}
    for key in ("id", "name", "description", "type"):
        if key in doc:
            record[key] = doc[key]
    if "attributes" in doc:
        record["attributes"] = drop_secrets(json_copy(doc["attributes"]))
    if "ownerRef" in doc:
        record["owner"] = doc["ownerRef"]["id"]
    if "clusterRef" in doc:
        record["cluster"] = doc["clusterRef"]["id"]
    config = doc.get("provisioningConfig") or {}
    if source_ids(doc) is not None:
        record["managed_sources"] = sorted(source_ids(doc))
    script = config.get("planInitializerScript")
    if isinstance(script, dict) and script.get("source") is not None:
        record["plan_initializer_script"] = script["source"]
    for option, key in PROVISIONING[1:]:
        if key in config:
            record[option] = config[key]
    rule = doc.get("beforeProvisioningRule")
    if rule:
        record["before_provisioning_rule"] = dict((k, rule[k]) for k in ("id", "name") if k in rule)
    for key in ("created", "modified"):
        if key in doc:
            record[key] = doc[key]
    return record


class ServiceDeskIntegrations(Integrations):
    """/<version>/service-desk-integrations (v3, beta, v2024-v2026) or /service-desk-integrations/v1."""

    SEGMENT = "service-desk-integrations"
    API_NAME = "Service Desk Integrations"
    API_VERSIONS = SERVICE_DESK_API_VERSIONS
    DEFAULT_API_VERSION = DEFAULT_SERVICE_DESK_API_VERSION
    KIND = "service desk integration"
    LIST_NEEDS_ID = False  # the beta DTO has no id: such records can be read and found by name, not written
    IDLESS_VERSIONS = ("beta",)
    PATCH_FORMAT = "rfc6902"  # the live service takes only the bare RFC 6902 array

    def normalize(self, data, method, path):
        return normalize(data, method, path)

    def _integration(self, data, method, path, status=200, need_id=True):
        return super(ServiceDeskIntegrations, self)._integration(data, method, path, status, need_id and self.api_version != "beta")

    def get(self, integration_id, fresh=False):
        doc = super(ServiceDeskIntegrations, self).get(integration_id, fresh)
        if doc is not None and not doc.get("id"):
            doc["id"] = integration_id  # the beta DTO omits it; the path we asked for says it
        return doc

    def predict_update(self, current, ops):
        """Top-level replaces applied locally; RFC 6902 would refuse replacing an unset field, the service sets it."""
        doc = apply_top_level(current, ops)
        universal = (current.get("provisioningConfig") or {}).get("universalManager")
        if universal is not None and isinstance(doc.get("provisioningConfig"), dict):
            doc["provisioningConfig"]["universalManager"] = universal  # read-only: never sent, still shown
        doc.pop("modified", None)
        return doc

    def fetch_all(self, filters=None):
        """Every page (limit 250, offset), so no record is missed: until the total that the first page's count=true
        announces (X-Total-Count), or, where no total comes, until a short page (a full last page then costs one
        empty GET more)."""
        found, offset, seen, total = [], 0, set(), None
        while True:
            query = [("limit", PAGE_LIMIT), ("offset", offset)]
            if not offset:
                query.append(("count", "true"))
            if filters:
                query.append(("filters", filters))
            path = "%s?%s" % (self.base, urlencode(query, quote_via=quote))
            answer = self.client.request("GET", path)
            data = answer.json()
            if not offset:
                total = _total_count(answer.headers)
            if not isinstance(data, list):
                raise InvalidResponseError("GET", path, 200, "expected a JSON array of %ss" % self.KIND)
            ids = set(item.get("id") for item in data if isinstance(item, dict) and item.get("id"))
            if offset and ids and ids <= seen:
                # A server that ignores offset would send the same full page for ever.
                raise InvalidResponseError("GET", path, 200, "the page at offset %d repeats records of earlier pages; "
                                                             "paging does not advance" % offset)
            seen.update(ids)
            found.extend(data)
            if len(data) < PAGE_LIMIT or (total is not None and len(found) >= total):
                return found
            offset += len(data)

    def search(self, filters):
        """The records the server's filter selects (not cached: the filter is the task's own)."""
        return [self._integration(item, "GET", self.base, need_id=False) for item in self.fetch_all(filters)]

    # ---- the collection's other resources ----------------------------------------------------------

    def types(self):
        path = self.base + "/types"
        data = self.client.request("GET", path).json()
        if not isinstance(data, list):
            raise InvalidResponseError("GET", path, 200, "expected a JSON array of integration types")
        return data

    def template(self, script_name):
        path = "%s/templates/%s" % (self.base, quote(str(script_name), safe=""))
        try:
            data = self.client.request("GET", path).json()
        except NotFoundError:
            return None
        if not isinstance(data, dict):
            raise InvalidResponseError("GET", path, 200, "expected a template object")
        return _mask_filled(data)  # a template's password-like keys are for the user to fill in: named, never valued

    def status_check_path(self):
        return self.base + "/status-check-configuration"

    def status_check(self):
        path = self.status_check_path()
        data = self.client.request("GET", path).json()
        if not isinstance(data, dict):
            raise InvalidResponseError("GET", path, 200, "expected the status-check configuration object")
        return data

    def put_status_check(self, body):
        """PUT the configuration; in check mode, what it would be. An empty 2xx body is read back."""
        if self.check_mode:
            return dict(body)
        path = self.status_check_path()
        data = self.client.request("PUT", path, body).json()
        return data if isinstance(data, dict) else self.status_check()


def _total_count(headers):
    """The X-Total-Count a list answered with, or None when it is missing or not a count."""
    try:
        value = int((headers or {}).get("X-Total-Count"))
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None
