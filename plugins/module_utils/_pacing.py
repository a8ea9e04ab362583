# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pace requests under SailPoint's rate limit (100 requests per 10 s per client id and API version).

Internal to this collection: no stable API, it may change in any release.

Why: every task of a play is its own worker process, and two ansible-playbook runs of the same user may
share a client id, so no single process knows how many requests went out. Each key (tenant, client id,
API version) has a small file under a private directory of the user's temp dir holding the times of the
last `limit` requests; a process takes a place in it under an fcntl lock before it sends, and waits when
the window is full. The file holds times only: the key's SHA-256 names it, never a secret. When the
directory cannot be made private (or fcntl is missing), the window is kept in this process only. A 429
stays handled by the client's retry, as the safety net.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import re
import stat
import tempfile
import threading
import time

try:
    import fcntl
except ImportError:  # not a POSIX system: pace within the process only
    fcntl = None

WINDOW = 10.0
DEFAULT_LIMIT = 100
_VERSION = re.compile(r"^/(beta|v\d+)(/|$)|/(v\d+)(/|\?|$)")
_LOCAL = {}  # key -> [times]: the fallback window, for this process only
_LOCAL_LOCK = threading.Lock()


def version_of(path):
    """The API version a request path counts against: /v2024/..., /beta/..., or a per-resource /x/v1."""
    match = _VERSION.search(path.split("?", 1)[0])
    if not match:
        return ""
    return match.group(1) or match.group(3)


def private_dir(base=None):
    """<temp dir>/sailpoint.identitynow-<uid>, 0700 and the user's own, or None when it cannot be made so."""
    if not hasattr(os, "getuid"):
        return None
    path = os.path.join(base or tempfile.gettempdir(), "sailpoint.identitynow-%d" % os.getuid())
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        info = os.lstat(path)
    except OSError:
        return None
    # Someone else's directory (or a symlink planted there) must not steer our files or our pace.
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return path


class Pacer:
    """A sliding window of request times for one key, shared through a locked file when possible."""

    def __init__(self, key, limit=DEFAULT_LIMIT, window=WINDOW, directory=None, clock=time.time, sleep=time.sleep):
        self.key = key
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self.waited = 0.0
        folder = directory if directory is not None else private_dir()
        self.path = None
        if folder and fcntl is not None:
            self.path = os.path.join(folder, hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + ".times")

    def acquire(self):
        """Wait until one more request fits in the window; returns the time its place was taken."""
        while True:
            with _Window(self) as times:
                # Read the clock under the lock: read before it, a process that waited for the lock would
                # record a place earlier than those taken meanwhile, and the window would hold one too many.
                now = round(self._clock(), 6)  # as the file keeps it, so settle() finds the place again
                # Times from the future (a clock set back) would block for as long: drop them.
                times[:] = sorted(t for t in times if now - self.window < t <= now + 1.0)
                if len(times) < self.limit:
                    times.append(now)
                    return now
                wait = times[len(times) - self.limit] + self.window - now
            wait = min(max(wait, 0.005), self.window)
            self._sleep(wait)
            self.waited += wait

    def settle(self, taken):
        """Move a request's place from when it was sent to when its answer came: it reached the server in
        between, so the window then counts it no earlier than the server did."""
        now = round(self._clock(), 6)
        with _Window(self) as times:
            for index, value in enumerate(times):
                if value == taken:
                    times[index] = max(value, now)
                    break


class _Window:
    """The times of one key, read and written under an exclusive lock (file or process-local)."""

    def __init__(self, pacer):
        self._pacer = pacer
        self._fd = None
        self._times = None

    def __enter__(self):
        if self._pacer.path is not None:
            try:
                self._fd = os.open(self._pacer.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
                self._times = _parse(_read_all(self._fd))
                return self._times
            except OSError:
                self._close()
                self._pacer.path = None  # unusable: keep pacing, in this process only
        _LOCAL_LOCK.acquire()
        self._times = _LOCAL.setdefault(self._pacer.key, [])
        return self._times

    def __exit__(self, *exc):
        if self._fd is None:
            _LOCAL_LOCK.release()
            return False
        try:
            data = "".join("%.6f\n" % t for t in self._times[-self._pacer.limit:]).encode("ascii")
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.ftruncate(self._fd, 0)
            os.write(self._fd, data)
        except OSError:
            pass  # the next reader sees fewer times: at worst a 429, which the client retries
        finally:
            self._close()
        return False

    def _close(self):
        if self._fd is not None:
            try:
                os.close(self._fd)  # closing releases the lock
            finally:
                self._fd = None


def _read_all(fd):
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _parse(data):
    times = []
    for line in data.decode("ascii", "replace").split():
        try:
            times.append(float(line))
        except ValueError:
            continue  # a torn or foreign line: ignored
    return times
