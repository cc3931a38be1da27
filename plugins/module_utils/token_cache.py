# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One IMS token for the play's tasks, never written in clear.

Why: Ansible runs each task in its own worker process (forked per task and host, in-process action plugins
included), so a token kept in a client's memory dies with the task. Over 20 sandboxes whose token expired
mid-run, every task used to find out by a 401 and fetch its own token (147 IMS requests, 146 401s).

Design (``TokenStore``):

* The tasks of a play (and of later plays with the same credential) share one record per credential: the
  access token, its lifetime (``expires_in``) and when it was fetched, plus the SHA-256 digests of the tokens it
  replaced. It lives in ``<dir>/<name>.tok``, ``<dir>`` being ``$AEP_TOKEN_CACHE_DIR`` or
  ``<tmp>/aep-platform-<uid>`` (created 0700, refused when another user owns it or others may enter it).
* The record is encrypted and authenticated (Fernet: AES-128-CBC + HMAC-SHA256, from ``cryptography``, which
  ansible-core requires) with a key derived by HKDF-SHA256 from the client secret, the client id, the
  organization, the IMS URL and the scopes. The file name comes from the same derivation. So the file says
  nothing to whoever lacks the client secret, and whoever has the secret can fetch tokens anyway: no file ever
  holds the secret or a token in clear, and a ``kill -9`` at any moment leaves nothing reusable behind. A
  record that cannot be decrypted (another secret, a damaged file) counts as absent.
* A token is used until a fifth of its lifetime (at most 5 minutes) before it expires
  (``client.token_margin_expiry``), then replaced: proactively, so no call is made with a dying token.
* Only one process fetches: the fetch happens under an exclusive ``fcntl`` lock on the empty ``<name>.lock``
  file; the others wait for the lock, then read the new record. Readers need no lock: the record is written
  to a temporary file and renamed over the old one (atomic).
* A task given an ``access_token`` (for example the play's ``aep.platform.token`` result) that the record
  lists as replaced, or that the record shows close to expiry, switches to the shared token without a 401.
* A 401 with a token means it is dead: the store fetches a new one unless another task already did.
* A token handed to a process that cannot replace it (a forked module, which never receives the client secret:
  ``plugin_utils/credentials.py``) must outlive that process's run. The controller asks the store for a token
  with at least ``handover_margin(expires_in)`` seconds left: ``max(HANDOVER_FLOOR, HANDOVER_FRACTION *
  expires_in)`` capped at ``HANDOVER_CAP * expires_in``, that is 10 minutes floor, a quarter of the lifetime,
  at most half of it. A 24 h IMS token is handed over while it has 6 h left; a 15 s test token while it has
  7.5 s left. When the shared token has less, the store replaces it, under the lock, once for the play: the
  new token has its whole lifetime left, so the tasks waiting for the lock take it without another request,
  and a play whose tasks all run forked makes at most one IMS request per half token lifetime.

Without ``cryptography`` or ``fcntl`` (Windows), or with ``AEP_TOKEN_CACHE=0``, no store is used and each
task fetches its own token as before.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import contextlib
import hashlib
import json
import os
import stat
import tempfile
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

ENV_DISABLE = 'AEP_TOKEN_CACHE'
ENV_DIR = 'AEP_TOKEN_CACHE_DIR'
MAX_RETIRED = 50
HANDOVER_FLOOR = 600.0  # seconds: covers a forked module's run, its retries (retry_deadline, 120 s by default) and timeouts
HANDOVER_FRACTION = 0.25
HANDOVER_CAP = 0.5  # never more than half the lifetime: a new token always qualifies, for half its life at least
_SALT = b'aep.platform token cache v1'


def _digest(token):
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def usable_until(record):
    """``time.time()`` after which ``record``'s token is replaced (None: unknown lifetime, used until a 401)."""
    from ansible_collections.aep.platform.plugins.module_utils.client import token_margin_expiry
    if not record.get('expires_in'):
        return None
    return float(record.get('fetched_at') or 0) + token_margin_expiry(record['expires_in'])


def handover_margin(expires_in):
    """Seconds of lifetime a token of ``expires_in`` seconds must have left when the controller hands it to a
    forked module (which cannot replace it): ``min(max(HANDOVER_FLOOR, HANDOVER_FRACTION * expires_in),
    HANDOVER_CAP * expires_in)``; 21600 for a 24 h token, 600 for a 20 min one, 7.5 for a 15 s one."""
    expires_in = float(expires_in)
    return min(max(HANDOVER_FLOOR, HANDOVER_FRACTION * expires_in), HANDOVER_CAP * expires_in)


def seconds_left(record, now):
    """Seconds until ``record``'s token expires at ``now`` (a ``time.time()`` value; negative once expired),
    or None when its lifetime is unknown."""
    if not record.get('expires_in'):
        return None
    return float(record.get('fetched_at') or 0) + float(record['expires_in']) - now


def cache_dir():
    """The per-user directory of the token records, created 0700; None when it is not private."""
    path = os.environ.get(ENV_DIR) or os.path.join(tempfile.gettempdir(), 'aep-platform-%d' % os.getuid())
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return None
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        return None
    return path


def shared_token_store(ims_url, client_id, client_secret, org_id=None, scopes=None):
    """The ``TokenStore`` of this credential, or None when tokens cannot be shared safely here."""
    if os.environ.get(ENV_DISABLE, '1').strip().lower() in ('0', 'false', 'no', 'off'):
        return None
    if fcntl is None or not client_secret:
        return None
    try:
        from cryptography.fernet import Fernet
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    except ImportError:
        return None
    directory = cache_dir()
    if directory is None:
        return None
    context = '\0'.join([str(ims_url or '').rstrip('/'), str(client_id), str(org_id or ''),
                         ','.join(scopes or [])]).encode('utf-8')
    material = HKDF(algorithm=hashes.SHA256(), length=48, salt=_SALT, info=context).derive(client_secret.encode('utf-8'))
    return TokenStore(directory, material[32:].hex(), Fernet(base64.urlsafe_b64encode(material[:32])))


class TokenStore:
    """The shared, encrypted token record of one credential (see the module docstring).

    Records are dicts ``{access_token, token_type, expires_in, fetched_at, retired}``: ``expires_in`` in
    seconds, ``fetched_at`` a ``time.time()`` value, ``retired`` the SHA-256 digests of replaced tokens.
    """

    def __init__(self, directory, name, fernet, clock=None):
        self.path = os.path.join(directory, name + '.tok')
        self.lock_path = os.path.join(directory, name + '.lock')
        self.fernet = fernet
        self.clock = clock or time.time
        self.fetches = 0

    def __repr__(self):
        return 'TokenStore(%r)' % self.path

    # --- reading -----------------------------------------------------------------------------

    def read(self):
        """The current record, or None (absent, or not readable with this credential's key)."""
        try:
            with open(self.path, 'rb') as handle:
                data = handle.read()
            record = json.loads(self.fernet.decrypt(data).decode('utf-8'))
        except Exception:  # pylint: disable=broad-except  # absent, damaged or another key: no record
            return None
        return record if isinstance(record, dict) and record.get('access_token') else None

    def valid(self, record, dead=None, margin=None):
        """True when ``record`` holds a token other than ``dead`` that is not yet due for replacement and, given
        ``margin`` (a function of ``expires_in`` such as ``handover_margin``), has at least ``margin(expires_in)``
        seconds left. A token of unknown lifetime counts as valid (it is used until a 401)."""
        if not record or record.get('access_token') == dead:
            return False
        now = self.clock()
        until = usable_until(record)
        if until is not None and now >= until:
            return False
        left = seconds_left(record, now)
        return margin is None or left is None or left >= margin(record['expires_in'])

    def status(self, token):
        """``('current', record)`` when ``token`` is the shared one, ``('retired', record)`` when the shared
        record replaced it, ``(None, record)`` otherwise."""
        record = self.read()
        if record is None or not token:
            return None, record
        if record['access_token'] == token:
            return 'current', record
        if _digest(token) in (record.get('retired') or []):
            return 'retired', record
        return None, record

    # --- writing -----------------------------------------------------------------------------

    def get(self, fetch, dead=None, margin=None):
        """A valid shared token record (see ``valid``: other than ``dead``, with ``margin(expires_in)`` seconds
        left when ``margin`` is given); ``fetch()`` (an IMS request returning the token info) is called, under
        the lock, only when no such token is shared yet, so concurrent callers cost one request."""
        record = self.read()
        if self.valid(record, dead, margin):
            return record
        with self._locked():
            record = self.read()
            if self.valid(record, dead, margin):
                return record
            info = fetch()
            self.fetches += 1
            return self._write(info, record, dead)

    def offer(self, info):
        """Share a token just fetched outside ``get`` (``aep.platform.token``); the newest token wins."""
        with self._locked():
            self._write(info, self.read(), None)

    def _write(self, info, previous, dead):
        retired = list((previous or {}).get('retired') or [])
        for token in (dead, (previous or {}).get('access_token')):
            if token and token != info['access_token'] and _digest(token) not in retired:
                retired.append(_digest(token))
        record = {'access_token': info['access_token'], 'token_type': info.get('token_type', 'bearer'),
                  'expires_in': info.get('expires_in'), 'fetched_at': info.get('fetched_at') or self.clock(),
                  'retired': retired[-MAX_RETIRED:]}
        data = self.fernet.encrypt(json.dumps(record).encode('utf-8'))
        handle, temp = tempfile.mkstemp(dir=os.path.dirname(self.path), prefix='.tok-')
        try:
            with os.fdopen(handle, 'wb') as out:
                out.write(data)
            os.replace(temp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return record

    @contextlib.contextmanager
    def _locked(self):
        handle = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # closing releases the lock
