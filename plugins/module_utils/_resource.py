# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A collection of integrations at a path: lookups and writes, with check mode simulated here so that a
check run and a real run go through the same code and report the same thing.

Integrations is the shared layer (list cache, find by id or name, create with recovery, PATCH/PUT with
the body-form and whole-field adaptation of _plan.py, delete); a resource is a subclass that says where
its collection lives, how a page is listed and how a record is normalised: SimIntegrations below,
ServiceDeskIntegrations in _service_desk.py.

Internal to this collection: no stable API, it may change in any release.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

try:
    import jsonpatch
    HAS_JSONPATCH = True
    JSONPATCH_IMPORT_ERROR = None
except ImportError:
    HAS_JSONPATCH = False
    JSONPATCH_IMPORT_ERROR = traceback.format_exc()

from urllib.parse import quote

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _options as options_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils import _plan as plan_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils._client import JSON_PATCH
from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import (
    AmbiguousWriteError,
    ApiError,
    InvalidResponseError,
    NotFoundError,
    OptionError,
    SailPointError,
)
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import HIDDEN_MAPS, json_copy, mask_operations, normalize

# Fields a service may fill in or reshape on its own: a check-mode prediction leaves them out rather than guess.
_UNPREDICTABLE = ("modified",)


def collection_path(api_version, segment="sim-integrations"):
    """`/<version>/<segment>`, or the per-resource `/<segment>/v1`."""
    if api_version == "v1":
        return "/%s/v1" % segment
    return "/%s/%s" % (api_version, segment)


class Integrations:
    """The shared layer over one collection of integrations; subclasses set SEGMENT and normalize()."""

    SEGMENT = None  # the collection's path segment, e.g. "sim-integrations"
    API_NAME = None  # what messages call the API, e.g. "SIM integrations"
    API_VERSIONS = ()  # the api_version values it serves, and its default
    DEFAULT_API_VERSION = None
    KIND = "integration"  # what messages call one record
    PATCH_FORMAT = None  # the one JSON Patch body form the API takes, where it is known; else the task's patch_format

    @classmethod
    def task_api_version(cls, params, warn):
        """The version the task calls (set in params; a no-op once set): see _options.task_api_version()."""
        return options_mod.task_api_version(params, cls.API_VERSIONS, cls.DEFAULT_API_VERSION, cls.API_NAME, warn or (lambda msg: None))

    @classmethod
    def for_task(cls, client, params, check_mode, warn, cache=None):
        """The resource a module's task uses; both code paths build it here."""
        return cls(client, cls.task_api_version(params, warn), check_mode=check_mode,
                   patch_format=cls.PATCH_FORMAT or params.get("patch_format") or "auto", warn=warn, cache=cache)

    def __init__(self, client, api_version, check_mode=False, patch_format="rfc6902", warn=None, cache=None):
        self.client = client
        self.api_version = api_version
        self.base = collection_path(api_version, self.SEGMENT)
        self.check_mode = check_mode
        self.patch_format = patch_format
        self.operations = []  # the JSON Patch operations sent, or that would be sent in check mode
        self._warn = warn or (lambda msg: None)
        # Optional dict shared by the items of one loop on the controller: the list is fetched once and kept
        # in step with every write (or, in check mode, every predicted write) instead of fetched per item.
        self._cache = cache

    # ---- what a subclass says -----------------------------------------------------------------------

    def normalize(self, data, method, path):
        """One API-shaped document from a server answer (see _records.normalize)."""
        raise NotImplementedError

    def fetch_all(self):
        """Every record of the collection, as the server sends them (a subclass with paging overrides this)."""
        data = self.client.request("GET", self.base).json()
        if isinstance(data, dict) and "id" in data:
            data = [data]  # the beta spec documents one object; tolerate it if a server ever does that
        if not isinstance(data, list):
            raise InvalidResponseError("GET", self.base, 200, "expected a JSON array of %ss" % self.KIND)
        return data

    def predict_create(self, body):
        """What a create would return, as the service would show it."""
        return self.normalize(dict(body, id=None), "POST", self.base)

    def predict_update(self, current, ops):
        """The record after `ops`, as the service would show it (check mode and the diff use this)."""
        doc = apply_operations(current, ops)
        for key in _UNPREDICTABLE:
            doc.pop(key, None)
        return doc

    def predicted(self, current, ops, updated):
        """The record after `ops`, for the diff: in check mode, `updated` is that prediction already (when the
        update applied exactly these ops), so it is not made a second time."""
        if self.check_mode and updated is not None and self.operations == ops:
            return updated
        return self.predict_update(current, ops)

    # ---- shared -------------------------------------------------------------------------------------

    def _integration(self, data, method, path, status=200, need_id=True):
        """A normalised record from a server answer, which must be an object (with an id, unless need_id is False)."""
        if not isinstance(data, dict) or (need_id and not data.get("id")):
            what = "an empty body" if data is None else ("an object without an id" if isinstance(data, dict) else type(data).__name__)
            raise InvalidResponseError(method, path, status, "not the documented shape (an %s with an id): got %s" % (self.KIND, what))
        return self.normalize(data, method, path)

    def item_path(self, integration_id):
        if not integration_id:
            raise SailPointError("api_version %s: the service returned this %s without an id, so it cannot be changed through "
                                 "this API version; use api_version v3 (or a year version)" % (self.api_version, self.KIND))
        return "%s/%s" % (self.base, quote(str(integration_id), safe=""))

    def _addressable(self, current):
        """Refuse, in check mode too, to write a record this API version serves without an id.

        A check-mode create predicts a record without an id that later loop items may update: that is fine,
        except on a version whose records never carry one, where the real run would fail.
        """
        if not current.get("id") and (not self.check_mode or self.api_version in self.IDLESS_VERSIONS):
            self.item_path(None)

    # ---- reads --------------------------------------------------------------------------------------

    def list(self, fresh=False):
        """Every record, the caller's to change: copies when they come from the shared list."""
        docs = self._docs(fresh)
        return json_copy(docs) if self._cache is not None else docs

    def _docs(self, fresh=False):
        """The records as held in the shared list (when there is one): read them, copy the one you hand out.

        Copying the whole list for every lookup made a loop of N items cost O(N^2); a lookup copies only
        the record it returns, so a caller may still change what it gets without touching the list.
        """
        if not fresh and self._cache is not None and "list" in self._cache:
            return self._cache["list"]
        docs = self._listed([self._integration(item, "GET", self.base, need_id=self.LIST_NEEDS_ID) for item in self.fetch_all()])
        if self._cache is not None:
            self._cache["list"] = docs
            self._cache.pop("names", None)
        return docs

    def _names(self):
        """name -> the shared list's records of that name, so a lookup or a write need not scan the list."""
        names = self._cache.get("names")
        if names is None:
            names = self._cache["names"] = {}
            for doc in self._cache["list"]:
                names.setdefault(doc.get("name"), []).append(doc)
        return names

    LIST_NEEDS_ID = True
    IDLESS_VERSIONS = ()  # API versions whose records have no id (the Service Desk beta DTO)

    def _listed(self, docs):
        """A hook over a freshly listed page set (SIM settles whether maps are shown)."""
        return docs

    def _remember(self, old, new):
        """Keep the shared list in step with a write: old replaced by new (either may be None)."""
        if self._cache is None or "list" not in self._cache:
            return
        docs, names = self._cache["list"], self._names()
        if old is not None:
            same = names.get(old.get("name"), [])
            gone_ones = [d for d in same if d.get("id") == old.get("id")]
            same[:] = [d for d in same if d.get("id") != old.get("id")]
            for gone in gone_ones:
                for index, doc in enumerate(docs):
                    if doc is gone:
                        del docs[index]
                        break
        if new is not None:
            kept = json_copy(new)
            docs.append(kept)
            names.setdefault(kept.get("name"), []).append(kept)

    def get(self, integration_id, fresh=False):
        if not fresh and self._cache is not None and "list" in self._cache:
            for doc in self._cache["list"]:
                if doc.get("id") == integration_id:
                    return json_copy(doc)
        path = self.item_path(integration_id)
        try:
            return self._integration(self.client.request("GET", path).json(), "GET", path)
        except NotFoundError:
            return None

    def find_by_name(self, name, fresh=False):
        docs = self._docs(fresh)
        if self._cache is not None:
            matches = list(self._names().get(name, ()))
        else:
            matches = [doc for doc in docs if doc.get("name") == name]
        if len(matches) > 1:
            raise SailPointError("name: %d integrations are named '%s' (ids %s); pass id to choose one"
                                 % (len(matches), name, ", ".join(sorted(str(m.get("id")) for m in matches))))
        return json_copy(matches[0]) if matches else None

    def find(self, integration_id=None, name=None):
        """The integration the user means, or None. id wins; a name that belongs to another integration is an error."""
        if not integration_id:
            return self.find_by_name(name)
        doc = self.get(integration_id)
        if doc is not None and name is not None and doc.get("name") != name:
            other = self.find_by_name(name)
            if other is not None:
                raise OptionError("id", "id '%s' is the integration named '%s', but name '%s' belongs to another "
                                        "integration (id '%s'); pass only one of them, or names that agree"
                                  % (integration_id, doc.get("name"), name, other.get("id")))
        return doc

    # ---- writes -------------------------------------------------------------------------------------

    def create(self, body):
        """POST a new integration. Returns (doc, adopted): adopted is True when another client created it first."""
        doc, adopted = self._create(body)
        if not adopted:
            self._remember(None, doc)
        return doc, adopted

    def _create(self, body):
        if self.check_mode:
            return self.predict_create(body), False
        attempt = 0
        while True:
            try:
                return self._created(self.client.request("POST", self.base, body), body), False
            except AmbiguousWriteError as e:
                # The POST may have been applied: look before resending, or a retry would create a duplicate.
                self._warn("sailpoint.identitynow: %s; looking the integration up by name before trying again" % e)
                found = self.find_by_name(body.get("name"), fresh=True)
                if found is not None:
                    return found, False
                self.client.retry_wait("POST", self.base, "not created yet", attempt, e)
                attempt += 1
            except ApiError as e:
                if e.status not in (400, 409):
                    raise
                # Another run may have created the same name a moment ago (400, or 409 Conflict): adopt it rather than fail.
                found = self.find_by_name(body.get("name"), fresh=True)
                if found is None:
                    raise
                self._warn("sailpoint.identitynow: integration '%s' was created concurrently (id %s); updating it instead"
                           % (body.get("name"), found.get("id")))
                return found, True

    def _created(self, resp, body):
        """The created integration; an empty 2xx body is read back by the Location header's id, or else by name."""
        data = resp.json()
        if data is not None:
            return self._integration(data, "POST", self.base, resp.status)
        location = resp.headers.get("Location") if resp.headers is not None else None
        found = None
        if location:
            found = self.get(location.rstrip("/").rsplit("/", 1)[-1].split("?")[0], fresh=True)
        if found is None:
            found = self.find_by_name(body.get("name"), fresh=True)
        if found is None:
            raise InvalidResponseError("POST", self.base, resp.status, "not the documented shape: an empty body, and no integration "
                                                                       "named '%s' could be read back" % body.get("name"))
        return found

    def _written(self, resp, method, path, integration_id):
        """The integration after an update; an empty 2xx body means reading it back."""
        data = resp.json()
        if data is not None:
            return self._integration(data, method, path, resp.status)
        found = self.get(integration_id, fresh=True)
        if found is None:
            raise InvalidResponseError(method, path, resp.status, "not the documented shape: an empty body, and the integration is gone")
        return found

    def update(self, current, ops, replan, method="patch", body=None, whole=None):
        """Apply `ops` (PATCH) or `body` (PUT).

        `replan(doc)` recomputes ops from fresh state after a lost answer; `whole(doc, ops)` re-plans them as
        top-level replace of whole fields, for a service that refuses key-level operations (see _plan.py).
        """
        doc = self._update(current, ops, replan, method, body, whole)
        if ops:
            self._remember(current, doc)
        return doc

    def _update(self, current, ops, replan, method, body, whole):
        if method == "patch" and ops and whole is not None and self.client.adapt["top_level"]:
            ops = whole(current, ops)  # learned earlier in this run: the minimal plan would be refused again
        self.operations = list(ops)
        if not ops:
            return current
        self._addressable(current)
        if self.check_mode:
            return self.predict_update(current, ops)
        path = self.item_path(current["id"])
        attempt = 0
        while True:
            try:
                if method == "put":
                    return self._written(self.client.request("PUT", path, body), "PUT", path, current["id"])
                at = current
                return self._written(self._patch(path, ops, (lambda o: whole(at, o)) if whole else None), "PATCH", path, current["id"])
            except AmbiguousWriteError as e:
                self._warn("sailpoint.identitynow: %s; reading the integration again before deciding" % e)
                fresh = self.get(current["id"], fresh=True)
                if fresh is None:
                    raise
                current = fresh
                ops = replan(fresh)
                if method == "patch" and ops and whole is not None and self.client.adapt["top_level"]:
                    ops = whole(fresh, ops)
                if not ops:
                    return fresh
                self.client.retry_wait(method.upper(), path, "not applied yet", attempt, e)
                attempt += 1

    def _patch(self, path, ops, whole):
        """PATCH `ops`, adapting once per run: the other body form after a 400, whole-field replace after a 400/403."""
        state = self.client.adapt
        plans = [ops]
        if whole is not None and not state["top_level"] and plan_mod.is_key_level(ops):
            plans.append(None)  # computed only if needed: it may refuse to erase a hidden secret
        refusals = []
        last = None
        for index, plan in enumerate(plans):
            if plan is None:
                try:
                    plan = whole(ops)
                except OptionError as e:
                    # Say why a whole-field replace was needed: a 403 may also mean missing rights, not a replace-only service.
                    raise OptionError(e.option, "%s (PATCH %s was refused %s; the last answer: %s)"
                                      % (str(e).split(": ", 1)[-1], path, "; ".join(refusals), last))
            for form in plan_mod.forms_to_try(self.patch_format, state):
                try:
                    resp = self.client.request("PATCH", path, plan_mod.body(plan, form), content_type=JSON_PATCH)
                except ApiError as e:
                    if e.status not in (400, 403):
                        raise
                    texts = (" " + "; ".join(e.messages)) if e.messages else ""
                    refusals.append("as %s%s: HTTP %s%s" % (plan_mod.FORM_NAMES[form], " of whole fields" if index else "", e.status, texts))
                    last = e
                    if e.status == 403:
                        break  # the operations are refused, not the body form
                    continue
                if self.patch_format not in plan_mod.FORMS:
                    state["form"] = form
                if index:
                    state["top_level"] = True
                    self.operations = list(plan)
                    if not state["warned"]:
                        state["warned"] = True
                        self._warn("sailpoint.identitynow: this service refused key-level JSON Patch operations (%s); updates are "
                                   "sent as top-level replace of whole fields for the rest of the run" % refusals[-1])
                return resp
        if len(refusals) > 1:
            last.args = ("%s (every form was refused: %s)" % (last.args[0], "; ".join(refusals)),)
        raise last

    def delete(self, current):
        self._delete(current)
        self._remember(current, None)

    def _delete(self, current):
        self._addressable(current)
        if self.check_mode:
            return
        path = self.item_path(current["id"])
        try:
            self.client.request("DELETE", path)
        except NotFoundError:
            pass  # gone already (another run, or a retry of a lost answer): the goal is met
        except AmbiguousWriteError:
            if self.get(current["id"], fresh=True) is not None:
                try:
                    self.client.request("DELETE", path)
                except NotFoundError:
                    pass


class SimIntegrations(Integrations):
    """The SIM integrations (experimental API, SimIntegrationDetails; also the plain DTO shape, see _records)."""

    SEGMENT = "sim-integrations"
    API_NAME = "SIM integrations"
    API_VERSIONS = options_mod.API_VERSIONS
    DEFAULT_API_VERSION = options_mod.DEFAULT_API_VERSION

    def __init__(self, *args, **kwargs):
        super(SimIntegrations, self).__init__(*args, **kwargs)
        # Whether this service returns statusMap/request at all: True once a response carried a SIM-only
        # field, False once one had the plain ServiceDeskIntegrationDto's own fields only, None before.
        self.shows_maps = None

    def normalize(self, data, method, path):
        doc = normalize(data, method, path)
        if not doc[HIDDEN_MAPS]:
            self.shows_maps = True
        elif self.shows_maps is None and ("provisioningConfig" in data or "managedSources" in data):
            self.shows_maps = False
        if self.shows_maps:
            doc[HIDDEN_MAPS] = False  # the service shows maps, so this one's are unset, not hidden
        return doc

    def _listed(self, docs):
        if self.shows_maps:
            for doc in docs:
                doc[HIDDEN_MAPS] = False
        return docs

    def predict_create(self, body):
        """What a create would return, without what the service may not show: maps a plain DTO hides."""
        doc = normalize(dict(body, id=None))
        if not self.shows_maps:
            for key in ("statusMap", "request"):
                doc.pop(key, None)
        return doc

    def predict_update(self, current, ops):
        doc = super(SimIntegrations, self).predict_update(current, ops)
        if current.get(HIDDEN_MAPS):
            for key in ("statusMap", "request"):
                if key not in current:
                    doc.pop(key, None)
        return doc

    def patch_rule(self, current, ops):
        doc = self._patch_rule(current, ops)
        if ops:
            self._remember(current, doc)
        return doc

    def _patch_rule(self, current, ops):
        self.operations = list(ops)
        if not ops:
            return current
        if self.client.adapt["top_level"]:
            ops = _as_replace(ops)
            self.operations = list(ops)
        if self.check_mode:
            return self.predict_update(current, ops)
        path = self.item_path(current["id"]) + "/beforeProvisioningRule"
        wanted = apply_operations(current, ops).get("beforeProvisioningRule")
        attempt = 0
        while True:
            try:
                resp = self._patch(path, ops, _as_replace)
            except AmbiguousWriteError as e:
                self._warn("sailpoint.identitynow: %s; reading the integration again before deciding" % e)
                fresh = self.get(current["id"], fresh=True)
                if fresh is None:
                    raise
                if _same_rule(fresh.get("beforeProvisioningRule"), wanted):
                    return fresh
                self.client.retry_wait("PATCH", path, "not applied yet", attempt, e)
                attempt += 1
                continue
            return self._written(resp, "PATCH", path, current["id"])


def _as_replace(ops):
    """A rule set with `add` as the `replace` a replace-only service takes (it sets an unset field); removal cannot adapt."""
    return [dict(op, op="replace") if op.get("op") == "add" else op for op in ops]


def _same_rule(have, want):
    if not want:
        return not have
    return bool(have) and all(have.get(k) == v for k, v in want.items() if k != "type" or "type" in have)


def apply_operations(doc, ops):
    try:
        return jsonpatch.apply_patch(json_copy(doc), ops, in_place=True)  # on our own copy: apply_patch would copy it again
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as e:
        raise SailPointError("cannot apply the JSON Patch %s to the integration: %s" % (mask_operations(ops), e))
