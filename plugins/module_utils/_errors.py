# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error hierarchy of the collection.

Internal to this collection: no stable API, it may change in any release.

The client and the resource layer raise these; only a module's main() turns them into fail_json,
so every failure reaches the user as one message with the same structured fields.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class SailPointError(Exception):
    """Base class: main() catches exactly this."""

    def to_fail_kwargs(self):
        return dict(msg=str(self))


class OptionError(SailPointError):
    """Bad module input, found before any request is sent."""

    def __init__(self, option, message):
        super(OptionError, self).__init__("%s: %s" % (option, message))
        self.option = option

    def to_fail_kwargs(self):
        return dict(msg=str(self), option=self.option)


class TransportError(SailPointError):
    """No HTTP answer: refused, reset, timed out, TLS failure."""

    def __init__(self, method, path, message):
        super(TransportError, self).__init__("%s %s: %s" % (method, path, message))
        self.method = method
        self.path = path

    def to_fail_kwargs(self):
        return dict(msg=str(self), method=self.method, path=self.path)


class AmbiguousWriteError(TransportError):
    """A write was sent but no answer came back, so it may or may not have been applied.

    Resending blindly could create a duplicate; the resource layer reads the server state instead.
    """


class InvalidResponseError(SailPointError):
    """The server answered, but not with the JSON shape the API documents."""

    def __init__(self, method, path, status, message):
        super(InvalidResponseError, self).__init__(
            "%s %s returned %s with an unexpected body: %s" % (method, path, status, message))
        self.method = method
        self.path = path
        self.status = status

    def to_fail_kwargs(self):
        return dict(msg=str(self), method=self.method, path=self.path, status=self.status)


class ApiError(SailPointError):
    """A non-success HTTP status, with SailPoint's error fields pulled out of the body."""

    hint = ""

    def __init__(self, method, path, status, body=None):
        self.method = method
        self.path = path
        self.status = status
        self.detail_code, self.tracking_id, self.messages = parse_error_body(body)
        super(ApiError, self).__init__(self._message())

    def _message(self):
        msg = "SailPoint API error: %s %s returned HTTP %s" % (self.method, self.path, self.status)
        if self.detail_code:
            msg += " (%s)" % self.detail_code
        if self.messages:
            msg += ": " + "; ".join(self.messages)
        if self.tracking_id:
            msg += " [trackingId: %s]" % self.tracking_id
        if self.hint:
            msg += ". " + self.hint
        return msg

    def to_fail_kwargs(self):
        return dict(msg=str(self), status=self.status, method=self.method, path=self.path,
                    detail_code=self.detail_code, tracking_id=self.tracking_id, messages=self.messages)


class AuthenticationError(ApiError):
    hint = ("The credentials were refused: check client_id/client_secret (SAIL_CLIENT_ID/SAIL_CLIENT_SECRET) "
            "or access_token (SAIL_ACCESS_TOKEN), and that base_url is your tenant's API URL")


class ForbiddenError(ApiError):
    hint = ("The identity behind these credentials lacks the rights for this call: SIM integrations need a "
            "personal access token of a user with the ORG_ADMIN level and the idn:service-desk-integration:manage scope")


class NotFoundError(ApiError):
    pass


class RateLimitError(ApiError):
    pass


def parse_error_body(body):
    """Return (detailCode, trackingId, [texts]) from any of the documented error shapes.

    400/403/404/500 carry ErrorResponseDto, 401 carries {"error": ...}, 429 carries {"message": ...};
    anything else is reported as raw text so the user still sees what the server said.
    """
    if body is None or body == "" or body == b"":
        return None, None, []
    if not isinstance(body, dict):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        text = text.strip()
        return None, None, [text[:500]] if text else []
    texts = []
    for key in ("messages", "causes"):
        for item in body.get(key) or []:
            if isinstance(item, dict) and item.get("text"):
                texts.append(str(item["text"]))
            elif isinstance(item, str):
                texts.append(item)
    for key in ("error", "message", "error_description"):
        value = body.get(key)
        if value:
            texts.append(value.strip() if isinstance(value, str) else str(value))
    return body.get("detailCode"), body.get("trackingId"), texts


_BY_STATUS = {401: AuthenticationError, 403: ForbiddenError, 404: NotFoundError, 429: RateLimitError}


def api_error(method, path, status, body):
    return _BY_STATUS.get(status, ApiError)(method, path, status, body)
