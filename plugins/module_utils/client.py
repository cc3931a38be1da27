# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP client for the Adobe Experience Platform APIs.

One ``AepClient`` per module run: it gets its IMS token lazily (shared with the play's other tasks through
``token_cache``), sends every AEP header, applies the one ``RetryPolicy`` to every call, follows each
service's pagination style to the last page and turns error responses into typed ``AepError`` exceptions
whose text never contains a secret.

Proxies come from the standard ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` environment variables
(requests reads them).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import random
import re
import time

try:
    from urllib.parse import parse_qsl, urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the compile sanity test
    from urlparse import parse_qsl, urlsplit  # type: ignore

try:
    import requests

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as import_error:  # pragma: no cover - exercised by the import sanity test only
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = import_error


# Service keys: the path segment below /data/foundation/ (client.get(FLOW_SERVICE, '/flows')).
FLOW_SERVICE = 'flowservice'
CATALOG = 'catalog'
SCHEMA_REGISTRY = 'schemaregistry'
DATA_PREP = 'conversion'
SANDBOX_MANAGEMENT = 'sandbox-management'
# Services below /data/core/ instead (client.get(IDENTITY_NAMESPACES, '/identities')).
IDENTITY_NAMESPACES = 'idnamespace'
CORE_SERVICES = (IDENTITY_NAMESPACES,)

SERVICE_NAMES = {
    FLOW_SERVICE: 'Flow Service',
    CATALOG: 'Catalog',
    SCHEMA_REGISTRY: 'Schema Registry',
    DATA_PREP: 'Data Prep',
    SANDBOX_MANAGEMENT: 'Sandbox Management',
    IDENTITY_NAMESPACES: 'Identity Service',
    'ims': 'IMS',
}

DEFAULT_PLATFORM_URL = 'https://platform.adobe.io'
DEFAULT_IMS_URL = 'https://ims-na1.adobelogin.com'
DEFAULT_SCOPES = ['openid', 'session', 'AdobeID', 'read_organizations', 'additional_info.projectedProductContext']

RETRY_STATUSES = (429, 500, 502, 503, 504)
DEFAULT_RETRIES = 5
DEFAULT_RETRY_DEADLINE = 120.0
DEFAULT_RETRY_BACKOFF = 1.0
DEFAULT_BACKOFF_MAX = 30.0
REDACTED = '********'
MAX_PAGES = 1000
# Schema Registry answers at most 300 results per list response (API-FACTS section 5; ``limit`` is only a hint).
SCHEMA_REGISTRY_MAX_PAGE = 300
# The key the objects sharing one title are paged by when they fill a page: unique per object (``start`` takes the
# primary key's value, and the next page holds only strictly greater values). Whether AEP sorts by it is
# [UNVERIFIED]; a refusal is reported as such (``AepClient._schema_registry_ties_by_unique_key``).
SCHEMA_REGISTRY_UNIQUE_ORDER = 'meta:altId'
MIN_SECRET_LENGTH = 8


# ---------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------

class AepError(Exception):
    """An AEP call failed. ``to_fail_kwargs()`` gives the module's ``fail_json`` arguments."""

    def __init__(self, message, status=None, code=None, title=None, request_id=None, method=None,
                 url=None, service=None, body=None, retry_after=None):
        super(AepError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.title = title
        self.request_id = request_id
        self.method = method
        self.url = url
        self.service = service
        self.body = body
        self.retry_after = retry_after
        self.attempts = 1
        self.retries_exhausted = False

    @property
    def transient(self):
        """True when the caller may try again after looking the object up (see ``RetryPolicy``).

        A rate limit, a 5xx or a connection failure is transient, unless the client already spent the retry
        policy on this call (``retries_exhausted``): then trying again now goes beyond the stated policy.
        """
        return self.status in RETRY_STATUSES and not self.retries_exhausted

    def __str__(self):
        return self.summary()

    def summary(self):
        """One readable line: which call failed, the status, the AEP code, the message, the request id."""
        where = 'AEP %s %s %s' % (SERVICE_NAMES.get(self.service, 'API'), self.method or '', _path_of(self.url))
        parts = [str(p) for p in (self.status, self.code, self.message) if p not in (None, '')]
        text = '%s failed: %s' % (re.sub(r'\s+', ' ', where).strip(), ' '.join(parts))
        if self.request_id:
            text += ' (request id %s)' % self.request_id
        return text

    def to_fail_kwargs(self):
        """The keyword arguments for ``AnsibleModule.fail_json``: ``msg`` plus structured fields."""
        result = dict(msg=self.summary(), error_type=type(self).__name__)
        for key in ('status', 'code', 'title', 'request_id', 'method', 'url', 'body'):
            value = getattr(self, key)
            if value not in (None, ''):
                result[key] = value
        return result


class AuthenticationError(AepError):
    """401/403 from the platform, or the IMS token request failed."""


class NotFoundError(AepError):
    """404: the object does not exist (in this sandbox)."""


# A 404 that says the sandbox of x-sandbox-name does not exist, not the object asked for: Flow Service codes
# 2100/2101-404 (API-FACTS 2.8), or a detail "Sandbox <name> not found." (the emulator's gateway, every service).
_SANDBOX_NOT_FOUND_CODES = ('2100', '2101')
_SANDBOX_NOT_FOUND_TEXT = re.compile(r'\bsandbox\b.*\bnot found\b', re.IGNORECASE)


def is_sandbox_not_found(err):
    """True when ``err`` (a ``NotFoundError``) says the sandbox does not exist. Such a 404 never means "no such
    object": the readers that turn a 404 into "absent" (``get_or_none``, a Catalog list) raise it instead, so
    that the runner reports the unknown sandbox (``runner._unknown_sandbox``) as for every other service."""
    if not isinstance(err, NotFoundError) or err.service == SANDBOX_MANAGEMENT:
        return False
    code = str(err.code or '')
    if code.startswith(_SANDBOX_NOT_FOUND_CODES):
        return True
    return bool(_SANDBOX_NOT_FOUND_TEXT.search(' '.join(str(part) for part in (err.message, err.title) if part)))


class PreconditionFailedError(AepError):
    """412: the ``If-Match`` etag is stale."""


class RateLimitedError(AepError):
    """429 and the retries are exhausted (or the call is a POST, which is never retried blindly)."""


class ValidationError(AepError):
    """400/422: AEP rejected the request content."""


class ConnectionFailure(AepError):
    """The service could not be reached: DNS, refused connection, timeout, TLS.

    ``maybe_delivered`` is True when the request may have reached the service and be processed (or still be
    in progress) although no answer came: a read timeout or a connection dropped after sending. A POST that
    fails this way must not be sent again blindly (see engine.Resource.create_once).
    """

    def __init__(self, message, maybe_delivered=False, **kwargs):
        super(ConnectionFailure, self).__init__(message, **kwargs)
        self.maybe_delivered = maybe_delivered

    @property
    def transient(self):
        return not self.retries_exhausted


class UnexpectedResponseError(AepError):
    """Any other non-success status, or a success body that cannot be understood."""


class ServerError(UnexpectedResponseError):
    """5xx from the platform."""


def error_class_for(status):
    """The ``AepError`` subclass for an HTTP status."""
    if status in (401, 403):
        return AuthenticationError
    if status == 404:
        return NotFoundError
    if status == 412:
        return PreconditionFailedError
    if status == 429:
        return RateLimitedError
    if status in (400, 409, 422):
        return ValidationError
    if status is not None and status >= 500:
        return ServerError
    return UnexpectedResponseError


_CODE_IN_TYPE = re.compile(r'([A-Z][A-Z0-9]*-\d+-\d+)\s*$')


def parse_error_body(body):
    """Extract ``(code, title, message, request_id)`` from any AEP service's error body.

    Shapes handled: gateway ``{error_code, message}``, problem+json ``{type: .../FLOW-1404-412, title,
    detail, report: {detailed-message, request-id}}`` (Flow Service, Schema Registry, Catalog, DCS),
    IMS ``{error, error_description}``, and lists of such objects.
    """
    if isinstance(body, list) and body and isinstance(body[0], dict):
        body = body[0]
    if not isinstance(body, dict):
        text = body.strip() if isinstance(body, str) else None
        return None, None, (text[:500] if text else None), None
    report = body.get('report') if isinstance(body.get('report'), dict) else {}
    code = _first(body.get('error_code'), _code_from_type(body.get('type')), body.get('errorCode'),
                  body.get('code'), body.get('error'), body.get('title'))
    title = body.get('title')
    message = _first(report.get('detailed-message'), report.get('message'), body.get('errorMessage'),
                     body.get('detail'), body.get('error_description'), body.get('message'), title)
    request_id = _first(report.get('request-id'), body.get('request-id'), body.get('requestId'))
    return _text(code), _text(title), _text(message), _text(request_id)


def _code_from_type(value):
    if not isinstance(value, str):
        return None
    match = _CODE_IN_TYPE.search(value)
    return match.group(1) if match else None


def _first(*values):
    for value in values:
        if value not in (None, '', [], {}):
            return value
    return None


def _text(value):
    return None if value is None else str(value)


def _path_of(url):
    if not url:
        return ''
    path = urlsplit(url).path
    match = re.match(r'^/data/(?:foundation|core)/[^/]+(/.*)?$', path)
    if match:
        return match.group(1) or '/'
    return path or '/'


# ---------------------------------------------------------------------------------------------------
# Responses and pagination
# ---------------------------------------------------------------------------------------------------

class AepResponse:
    """A successful response: ``status``, ``headers`` (case-insensitive) and parsed ``body``."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def __repr__(self):
        return 'AepResponse(status=%r)' % self.status


def _next_params(href):
    """The query parameters of a ``next`` link (absolute, host-relative or service-relative)."""
    if not href:
        return None
    return dict(parse_qsl(urlsplit(href).query))


def _page_flow_service(body, params):
    """Flow Service: ``items`` + ``_links.next.href`` (``?continuationToken=``) or ``continuationToken``."""
    items = body.get('items') or []
    nxt = _next_params(((body.get('_links') or {}).get('next') or {}).get('href'))
    if not nxt and body.get('continuationToken'):
        nxt = {'continuationToken': body['continuationToken']}
    return items, nxt


def _page_catalog(body, params):
    """Catalog: an object keyed by id (the id is copied into each item); ``start``/``limit`` offsets."""
    body = body or {}
    items = [dict(value, id=key) if isinstance(value, dict) else {'id': key, 'value': value} for key, value in body.items()]
    limit = int(params['limit'])
    nxt = {'start': int(params.get('start', 0)) + limit} if len(items) >= limit else None
    return items, nxt


# A value is put into a service's server-side filter only when it has this shape: ASCII letters and digits,
# single inner spaces and ``_ . -``. Every service's filter grammar (Flow Service ``property=name==``, Schema
# Registry ``property=title==``, Catalog ``name=``, Data Prep ``name=``) reads such a value literally; at worst
# it compares it case-insensitively, which only widens the candidates. Any other value (operators, ``,``,
# wildcards, ``!``, ``~``, quotes, leading/trailing or repeated spaces, non-ASCII) is found by listing every
# object of the kind. Either way the match is made exactly on the client.
_FILTER_SAFE = re.compile(r'^[A-Za-z0-9]+(?:(?: |[_.-]+)[A-Za-z0-9]+)*$')


def filter_safe(value):
    """True when ``value`` may be sent in a server-side filter (see ``_FILTER_SAFE``)."""
    return isinstance(value, str) and bool(_FILTER_SAFE.match(value))


def _page_schema_registry(body, params):
    """Schema Registry: ``results`` + ``_page.next`` (the ``start`` value of the next page)."""
    items = body.get('results') or []
    start = (body.get('_page') or {}).get('next')
    if start in (None, ''):
        start = (_next_params(((body.get('_links') or {}).get('next') or {}).get('href')) or {}).get('start')
    return items, ({'start': start} if start not in (None, '') else None)


def _with_clause(params, clause):
    """``params``' Schema Registry ``property`` filter with ``clause`` added (clauses are comma-separated)."""
    clauses = [c for c in str(params.get('property') or '').split(',') if c]
    return ','.join(clauses + ([] if clause in clauses else [clause]))


def _page_data_prep(body, params):
    """Data Prep: ``data`` + ``start``/``limit`` offsets (``_page.limit`` echoes the page size served).

    Another page follows a full page (the ``limit`` sent, or a smaller ``_page.limit`` the service served) or a
    ``_links.next``; it starts after the items received, so a service that serves fewer than asked skips none."""
    page, link = {}, None
    if isinstance(body, dict):
        items = body.get('data') or []
        page = body.get('_page') or {}
        link = ((body.get('_links') or {}).get('next') or {}).get('href')
    else:
        items = body or []
    limit = int(params['limit'])
    served = page.get('limit') if isinstance(page, dict) else None
    if isinstance(served, int) and 0 < served < limit:
        limit = served
    more = bool(items) and (len(items) >= limit or bool(link))
    return items, ({'start': int(params.get('start', 0)) + len(items)} if more else None)


def _page_sandbox(body, params):
    """Sandbox management: ``sandboxes`` + ``_links.next.href``."""
    items = body.get('sandboxes') or []
    return items, _next_params(((body.get('_links') or {}).get('next') or {}).get('href'))


# Per service: the page reader and the parameters sent on the first page. Data Prep lists the most recently
# updated first unless told otherwise, so its offset pages are sorted by creation date (an object updated
# meanwhile does not move between pages); Catalog lists in creation order already. Schema Registry pages only
# when ``orderby`` is sent (at most 300 results otherwise, with no next page).
PAGERS = {
    FLOW_SERVICE: (_page_flow_service, {}),
    CATALOG: (_page_catalog, {'limit': 100, 'start': 0}),
    # Schema Registry pages only when ``orderby`` is sent (API-FACTS: max 300 per response otherwise).
    SCHEMA_REGISTRY: (_page_schema_registry, {'orderby': 'title'}),
    DATA_PREP: (_page_data_prep, {'limit': 100, 'start': 0, 'orderBy': '+createdDate'}),
    SANDBOX_MANAGEMENT: (_page_sandbox, {}),
}


# ---------------------------------------------------------------------------------------------------
# Retry policy
# ---------------------------------------------------------------------------------------------------

class RetryPolicy:
    """The one retry policy of every IMS and AEP call, declared once and applied by ``AepClient``.

    Written as a declaration in the manner of amazon.aws ``AWSRetry.jittered_backoff(retries, delay,
    max_delay)``: ``policy.call(func, retry_if)`` (or the ``policy.retrying(retry_if)`` decorator) runs ``func``
    and repeats it while ``retry_if(error)`` holds and the policy allows another attempt.

    What is retried (``retryable``):
      * HTTP 429, 500, 502, 503 and 504 (``RETRY_STATUSES``), and connection failures: refused or reset
        connections, DNS failures, connect and read timeouts (``ConnectionFailure``).
      * Reads, updates and deletes (GET, HEAD, PUT, PATCH, DELETE) and IMS token requests: all of these.
      * Creates (POST): only what AEP certainly did not act on: 429 (refused before processing) and a
        connection that failed before the request was sent (refused, DNS, TLS, connect timeout). A POST
        that may have reached AEP (read timeout, connection dropped after sending, 5xx) is never sent
        again by the client; it raises at once so that the caller looks the object up first.

    How many times and for how long:
      * at most ``retries`` repeats after the first attempt (option ``retries``, ``AEP_RETRIES``, default 5);
      * within ``deadline`` seconds from the first attempt (option ``retry_deadline``, ``AEP_RETRY_DEADLINE``,
        default 120): a wait that would end after the deadline is not started, the last error is raised;
      * the wait is the answer's ``Retry-After`` (seconds or HTTP date), however long, as long as it ends
        within the deadline; otherwise jittered capped exponential backoff, a random value in
        ``[c/2, c]`` with ``c = min(backoff_max, backoff * 2**n)`` for the n-th repeat (option
        ``retry_backoff``, ``AEP_RETRY_BACKOFF``, default 1 s; ``backoff_max`` 30 s).

    Contract of the raised ``AepError`` (read by ``engine.Resource.create_once``):
      * ``transient``: True when the caller may look the object up and then try again; False once the
        client spent the policy on the call (``retries_exhausted``) or for a non-transient status.
      * ``maybe_delivered`` (``ConnectionFailure`` only): True when the request may have reached AEP without
        an answer (read timeout, connection dropped after sending); AEP may still be acting on it, so a
        POST must not be sent again: look the object up, and fail when it has not appeared.
      * ``retry_after``: the server's ``Retry-After`` in seconds, or None; ``attempts``: attempts made.
    """

    def __init__(self, retries=DEFAULT_RETRIES, deadline=DEFAULT_RETRY_DEADLINE, backoff=DEFAULT_RETRY_BACKOFF,
                 backoff_max=DEFAULT_BACKOFF_MAX, statuses=RETRY_STATUSES, sleep=None, clock=None):
        self.retries = max(0, int(retries))
        self.deadline = float(deadline)
        self.backoff = float(backoff)
        self.backoff_max = float(backoff_max)
        self.statuses = tuple(statuses)
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic

    def __repr__(self):
        return 'RetryPolicy(retries=%r, deadline=%r, backoff=%r, backoff_max=%r, statuses=%r)' % (
            self.retries, self.deadline, self.backoff, self.backoff_max, self.statuses)

    @property
    def attempts(self):
        """The most attempts of one call: the first plus ``retries``."""
        return self.retries + 1

    def retryable(self, err, method):
        """True when ``err`` from a ``method`` call may be repeated as it is (see the class docstring)."""
        if isinstance(err, ConnectionFailure):
            return method != 'POST' or not err.maybe_delivered or err.service == 'ims'
        if err.status not in self.statuses:
            return False
        return method != 'POST' or err.status == 429 or err.service == 'ims'

    def backoff_delay(self, attempt):
        """Jittered capped exponential backoff for the ``attempt``-th repeat (0-based), in seconds."""
        cap = min(self.backoff_max, self.backoff * (2 ** attempt))
        return cap / 2.0 + random.uniform(0, cap / 2.0)

    def delay(self, err, attempt):
        """Seconds to wait before repeating after ``err``: its ``Retry-After``, else the backoff."""
        after = getattr(err, 'retry_after', None)
        return after if after is not None else self.backoff_delay(attempt)

    def call(self, func, retry_if):
        """``func()``, repeated while ``retry_if(error)`` holds for the ``AepError`` it raises and the policy
        allows; the last error is raised with ``attempts`` and ``retries_exhausted`` set."""
        started = self.clock()
        attempt = 0
        while True:
            try:
                return func()
            except AepError as err:
                err.attempts = attempt + 1
                if not retry_if(err):
                    raise
                wait = self.delay(err, attempt)
                if attempt >= self.retries or self.clock() + wait - started > self.deadline:
                    err.retries_exhausted = True
                    raise
                self.sleep(wait)
                attempt += 1

    def retrying(self, retry_if):
        """Decorator form of ``call``: ``@policy.retrying(lambda err: err.status == 503)``."""
        def decorate(func):
            def wrapper(*args, **kwargs):
                return self.call(lambda: func(*args, **kwargs), retry_if)
            wrapper.__name__ = getattr(func, '__name__', 'retrying')
            wrapper.__doc__ = getattr(func, '__doc__', None)
            return wrapper
        return decorate


# ---------------------------------------------------------------------------------------------------
# Client
# ---------------------------------------------------------------------------------------------------

# Where a client without an injected session gets its ``requests.Session``: a new one, unless a long-lived process that
# runs many tasks (plugins/plugin_utils/module_server.py) installs a function lending kept-alive sessions, so the
# tasks reuse their connections (and TLS sessions) to AEP instead of opening new ones.
SESSION_SOURCE = []


def new_session():
    """A ``requests.Session`` for a new client: from the installed source (``SESSION_SOURCE``), or a new one."""
    return SESSION_SOURCE[0]() if SESSION_SOURCE else requests.Session()


class AepClient:
    """Talks to IMS and the platform on behalf of one module run.

    Give either ``access_token`` or ``client_secret`` (or both: the token is used first and the secret
    only to replace it after a 401, or when the shared token store knows it has expired or been replaced).
    ``retry_policy`` (or ``retries``/``retry_deadline``/``backoff_base``/``backoff_max``) sets the
    ``RetryPolicy``; ``token_store`` shares tokens between the play's tasks (``token_cache.TokenStore``).
    ``sleep``, ``clock`` and ``session`` are injectable for tests.
    """

    def __init__(self, client_id, org_id, sandbox='prod', client_secret=None, access_token=None,
                 scopes=None, platform_url=DEFAULT_PLATFORM_URL, ims_url=DEFAULT_IMS_URL,
                 validate_certs=True, ca_path=None, timeout=30, max_retries=DEFAULT_RETRIES,
                 retry_deadline=DEFAULT_RETRY_DEADLINE, backoff_base=DEFAULT_RETRY_BACKOFF, backoff_max=DEFAULT_BACKOFF_MAX,
                 retry_policy=None, token_store=None, sleep=None, clock=None, session=None):
        self.client_id = client_id
        self.org_id = org_id
        self.sandbox = sandbox
        self._client_secret = client_secret
        self._access_token = access_token
        self._token_expires_at = None  # time.time() after which the token is no longer used (known for fetched tokens)
        self._given_token_checked = access_token is None
        self.scopes = list(scopes or DEFAULT_SCOPES)
        self.platform_url = (platform_url or DEFAULT_PLATFORM_URL).rstrip('/')
        self.ims_url = (ims_url or DEFAULT_IMS_URL).rstrip('/')
        self.verify = ca_path if ca_path else bool(validate_certs)
        self.timeout = timeout
        self.sleep = sleep or time.sleep
        self.retry_policy = retry_policy or RetryPolicy(retries=max_retries, deadline=retry_deadline,
                                                        backoff=backoff_base, backoff_max=backoff_max,
                                                        sleep=self._sleep, clock=clock)
        self.token_store = token_store
        self.session = session if session is not None else new_session()
        self.token_fetches = 0
        self.token_info = None
        self._secrets = set()
        self._remember(client_secret, access_token)

    def _sleep(self, seconds):
        self.sleep(seconds)

    @classmethod
    def from_params(cls, params, **kwargs):
        """Build a client from a module's validated parameters (the connection options).

        With a ``client_secret``, tokens come from the play's shared token store (``token_cache``) unless
        ``token_store=None`` is passed or ``AEP_TOKEN_CACHE=0``. An option set to an empty or whitespace-only
        value raises ``errors.InputError`` naming it (``args.blank_connection_options``): an empty ``sandbox``
        never falls back to prod.
        """
        from ansible_collections.aep.platform.plugins.module_utils.args import blank_connection_options, blank_options_message
        blank = blank_connection_options(params)
        if blank:
            from ansible_collections.aep.platform.plugins.module_utils.errors import InputError
            raise InputError(blank_options_message(blank), field=blank[0])
        check_retry_options(params)
        policy = dict(max_retries=params.get('retries'), retry_deadline=params.get('retry_deadline'),
                      backoff_base=params.get('retry_backoff'))
        options = dict((k, v) for k, v in policy.items() if v is not None)
        options.update(kwargs)
        if 'token_store' not in options and params.get('client_secret') and params.get('client_id'):
            from ansible_collections.aep.platform.plugins.module_utils.token_cache import shared_token_store
            options['token_store'] = shared_token_store(
                ims_url=params.get('ims_url') or DEFAULT_IMS_URL, client_id=params['client_id'],
                client_secret=params['client_secret'], org_id=params.get('org_id'), scopes=params.get('scopes'))
        return cls(
            client_id=params.get('client_id'), org_id=params.get('org_id'), sandbox=params.get('sandbox') or 'prod',
            client_secret=params.get('client_secret'), access_token=params.get('access_token'),
            scopes=params.get('scopes'), platform_url=params.get('platform_url'), ims_url=params.get('ims_url'),
            validate_certs=params.get('validate_certs', True), ca_path=params.get('ca_path'),
            timeout=params.get('timeout') or 30, **options)

    def __repr__(self):
        return 'AepClient(platform_url=%r, org_id=%r, sandbox=%r, client_id=%r)' % (
            self.platform_url, self.org_id, self.sandbox, self.client_id)

    @property
    def max_retries(self):
        """``retry_policy.retries`` (kept for callers of 0.1)."""
        return self.retry_policy.retries

    @max_retries.setter
    def max_retries(self, value):
        self.retry_policy.retries = max(0, int(value))

    def backoff(self, attempt):
        """The policy's jittered backoff for the ``attempt``-th repeat, in seconds (see ``RetryPolicy``)."""
        return self.retry_policy.backoff_delay(attempt)

    def with_sandbox(self, sandbox):
        """A client for another sandbox that shares this one's token and HTTP session."""
        if self.has_credentials:
            self.access_token  # pylint: disable=pointless-statement  # fetch once here, not once per clone
        clone = AepClient.__new__(AepClient)
        clone.__dict__.update(self.__dict__)
        clone.sandbox = sandbox
        return clone

    # --- secrets --------------------------------------------------------------------------------

    def _remember(self, *secrets):
        # Values shorter than 8 characters are not credentials AEP issues; redacting them would garble text.
        self._secrets.update(str(s) for s in secrets if s and len(str(s)) >= MIN_SECRET_LENGTH)

    def secrets(self):
        """Every secret this client has seen (longest first, so a secret containing another is hidden whole)."""
        return sorted(self._secrets, key=len, reverse=True)

    def redact(self, value):
        """Replace every secret this client knows by ``********`` in strings, dicts and lists."""
        if isinstance(value, str):
            for secret in self.secrets():
                value = value.replace(secret, REDACTED)
            return value
        if isinstance(value, dict):
            return dict((k, self.redact(v)) for k, v in value.items())
        if isinstance(value, list):
            return [self.redact(v) for v in value]
        return value

    # --- IMS ------------------------------------------------------------------------------------

    @property
    def has_credentials(self):
        return bool(self.client_id and self._client_secret)

    def fetch_token(self):
        """Request a new access token from IMS (OAuth server-to-server) and return the IMS response dict
        (``access_token``, ``token_type``, ``expires_in`` seconds). The token is also offered to the shared
        token store, so the play's other tasks use it until it is close to expiry."""
        info = self._fetch_from_ims()
        if self.token_store is not None:
            self.token_store.offer(info)
        self._use_token(info)
        return dict(self.token_info)

    def _fetch_from_ims(self):
        if not self.has_credentials:
            raise AuthenticationError('client_id and client_secret are required to fetch an access token',
                                      method='POST', url=self.ims_url + '/ims/token/v3')
        form = {
            'grant_type': 'client_credentials',
            'client_id': self.client_id,
            'client_secret': self._client_secret,
            'scope': ','.join(self.scopes),
        }
        response = self._send('POST', self.ims_url + '/ims/token/v3', service='ims', data=form,
                              headers={'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json'},
                              retry=True, auth_error=True)
        body = response.body if isinstance(response.body, dict) else {}
        if not body.get('access_token'):
            raise AuthenticationError('IMS returned no access_token', status=response.status, method='POST',
                                      url=self.ims_url + '/ims/token/v3', service='ims')
        self.token_fetches += 1
        self._remember(body['access_token'])
        return {'access_token': body['access_token'], 'token_type': body.get('token_type', 'bearer'),
                'expires_in': body.get('expires_in'), 'fetched_at': time.time()}

    def _use_token(self, info):
        self._access_token = info['access_token']
        self._remember(self._access_token)
        expires_in = info.get('expires_in')
        fetched_at = info.get('fetched_at') or time.time()
        self._token_expires_at = (fetched_at + token_margin_expiry(expires_in)) if expires_in else None
        self.token_info = {'access_token': info['access_token'], 'token_type': info.get('token_type', 'bearer'),
                           'expires_in': expires_in}

    def _obtain_token(self, dead=None):
        """A token for the next call: from the shared store (which fetches one for the whole play when it has
        none that is valid, or only ``dead``), else straight from IMS."""
        if self.token_store is not None and self.has_credentials:
            info = self.token_store.get(self._fetch_from_ims, dead=dead)
        else:
            info = self._fetch_from_ims()
        self._use_token(info)

    def token_for_handover(self):
        """A token for a process that cannot replace it (a forked module never receives the client secret), as
        the token info dict (``access_token``, ``token_type``, ``expires_in`` seconds, ``fetched_at``
        ``time.time()``). From the shared store: its token when it has at least ``token_cache.handover_margin``
        of its lifetime left, else a new one, fetched once for the play (the other tasks take it from the
        store). Without a store: a new token, whose whole lifetime is left. The given ``access_token`` plays no
        part: its lifetime is unknown. Raises ``AuthenticationError`` without a client secret, or when IMS refuses."""
        if self.token_store is not None and self.has_credentials:
            from ansible_collections.aep.platform.plugins.module_utils.token_cache import handover_margin
            info = self.token_store.get(self._fetch_from_ims, margin=handover_margin)
        else:
            info = self._fetch_from_ims()
        self._use_token(info)
        return dict(info)

    @property
    def access_token(self):
        """The bearer token: the given one, or one from the shared store or IMS, replaced before it expires."""
        if not self._given_token_checked:
            self._given_token_checked = True
            if self.token_store is not None and self.has_credentials:
                state, record = self.token_store.status(self._access_token)
                if state == 'current':  # the shared token: its expiry is known, it is replaced in time
                    self._use_token(record)
                elif state == 'retired':  # already replaced by another task: no 401 needed to learn it
                    self._obtain_token(dead=self._access_token)
        if self._access_token and self._token_expires_at is not None and time.time() >= self._token_expires_at \
                and self.has_credentials:
            self._obtain_token(dead=self._access_token)
        if not self._access_token:
            self._obtain_token()
        return self._access_token

    # --- platform calls --------------------------------------------------------------------------

    def url(self, service, path):
        """The absolute URL of ``path`` in ``service`` (``path`` may already be absolute)."""
        if path.startswith('http://') or path.startswith('https://'):
            return path
        return '%s/data/%s/%s%s' % (self.platform_url, 'core' if service in CORE_SERVICES else 'foundation', service, path)

    def headers(self, accept=None, has_body=False, extra=None):
        headers = {
            'Authorization': 'Bearer %s' % self.access_token,
            'x-api-key': self.client_id,
            'x-gw-ims-org-id': self.org_id,
            'x-sandbox-name': self.sandbox,
            'Accept': accept or 'application/json',
        }
        if has_body:
            headers['Content-Type'] = 'application/json'
        headers.update(extra or {})
        return headers

    def request(self, method, service, path, params=None, json=None, accept=None, headers=None, retry=None):
        """Call the platform and return an ``AepResponse``; raise an ``AepError`` on failure.

        Failures are retried as ``RetryPolicy`` states (a POST only when AEP certainly did not act on it);
        ``retry=False`` turns retries off for this call. A 401 with credentials available replaces the token
        once (through the shared token store) and repeats the call.
        """
        method = method.upper()
        url = self.url(service, path)
        retry = True if retry is None else retry
        refreshed = False
        while True:
            request_headers = self.headers(accept, json is not None, headers)  # may fetch the token
            try:
                return self._send(method, url, service=service, params=params, json=json, retry=retry,
                                  headers=request_headers)
            except AuthenticationError as err:
                if err.status != 401 or refreshed or not self.has_credentials:
                    raise
                refreshed = True
                self._obtain_token(dead=self._access_token)

    def get(self, service, path, params=None, accept=None, headers=None):
        return self.request('GET', service, path, params=params, accept=accept, headers=headers).body

    def get_or_none(self, service, path, params=None, accept=None, headers=None):
        """GET, returning None on 404 (not when the 404 says the sandbox does not exist: ``is_sandbox_not_found``)."""
        try:
            return self.get(service, path, params=params, accept=accept, headers=headers)
        except NotFoundError as err:
            if is_sandbox_not_found(err):
                raise
            return None

    def post(self, service, path, json=None, params=None, accept=None, headers=None, retry=None):
        return self.request('POST', service, path, params=params, json=json, accept=accept, headers=headers,
                            retry=retry).body

    def put(self, service, path, json=None, params=None, accept=None, headers=None):
        return self.request('PUT', service, path, params=params, json=json, accept=accept, headers=headers).body

    def patch(self, service, path, json=None, params=None, accept=None, headers=None):
        return self.request('PATCH', service, path, params=params, json=json, accept=accept, headers=headers).body

    def delete(self, service, path, params=None, accept=None, headers=None):
        return self.request('DELETE', service, path, params=params, accept=accept, headers=headers).body

    def paginate(self, service, path, params=None, accept=None, style=None):
        """Yield every item of a list endpoint, following the service's pagination style to the last page.

        ``style`` defaults to ``service`` (see ``PAGERS``, which also adds the parameters a service needs to
        page at all: Schema Registry pages only when ``orderby`` is sent). A Catalog 404 on a filtered list
        means "no match" and yields nothing. A listing is never cut short silently: a service that repeats
        a page link, or more than ``MAX_PAGES`` pages, raises ``UnexpectedResponseError``.

        Schema Registry's ``start`` is the primary sort key's value of the last item (strictly greater
        values come next), so objects that share the title of a page's last item could fall between two
        pages: at each page boundary the items with that title are listed too (one more call per page,
        only for lists longer than a page), and every item is yielded once (by ``$id``). When they fill a page
        themselves (over 300 objects sharing one title), they are paged by ``SCHEMA_REGISTRY_UNIQUE_ORDER``;
        if the service cannot do that, ``UnexpectedResponseError`` names the 300-per-page limit.
        """
        kind = style or service
        pager, defaults = PAGERS[kind]
        page_params = dict(defaults)
        page_params.update(params or {})
        seen_pages = set()
        seen_ids = set()
        for dummy in range(MAX_PAGES):
            try:
                body = self.get(service, path, params=page_params, accept=accept)
            except NotFoundError as err:
                if kind == CATALOG and not is_sandbox_not_found(err):
                    return
                raise
            items, nxt = pager(body if body is not None else {}, page_params)
            if kind == SCHEMA_REGISTRY and nxt:
                items = items + self._schema_registry_ties(service, path, page_params, nxt['start'], accept)
            for item in items:
                if kind == SCHEMA_REGISTRY and isinstance(item, dict) and item.get('$id'):
                    if item['$id'] in seen_ids:
                        continue
                    seen_ids.add(item['$id'])
                yield item
            if not nxt:
                return
            key = tuple(sorted(nxt.items()))
            if key in seen_pages:
                raise UnexpectedResponseError('the list repeats the page %r; refusing to return a partial list' % (nxt,),
                                              method='GET', url=self.url(service, path), service=service)
            seen_pages.add(key)
            page_params.update(nxt)
        raise UnexpectedResponseError('the list has more than %d pages; refusing to return a partial list' % MAX_PAGES,
                                      method='GET', url=self.url(service, path), service=service)

    def _schema_registry_ties(self, service, path, page_params, boundary, accept):
        """Schema Registry items whose primary sort key equals ``boundary`` (see ``paginate``).

        When they fill a page (a ``_page.next``, or ``SCHEMA_REGISTRY_MAX_PAGE`` results), the rest cannot be
        reached by that key (``start`` skips every item equal to it): they are listed again ordered by a unique key
        (``_schema_registry_ties_by_unique_key``)."""
        primary = str(page_params.get('orderby') or 'title').split(',', maxsplit=1)[0].strip().lstrip('+-')
        text = str(boundary)
        if not filter_safe(text):
            return self._schema_registry_ties_by_walk(service, path, page_params, primary, text, accept)
        params = dict((k, v) for k, v in page_params.items() if k not in ('start', 'property'))
        params['property'] = _with_clause(page_params, '%s==%s' % (primary, text))
        body = self.get(service, path, params=params, accept=accept) or {}
        items, nxt = _page_schema_registry(body, params)
        if nxt or len(items) >= SCHEMA_REGISTRY_MAX_PAGE:
            return self._schema_registry_ties_by_unique_key(service, path, page_params, primary, text, accept)
        return [item for item in items if str(item.get(primary, '')) == text]

    def _schema_registry_ties_by_walk(self, service, path, page_params, primary, text, accept):
        """The items whose ``primary`` equals ``text`` when ``text`` cannot go into a filter (``filter_safe``):
        the pages are walked again from ``start`` = ``text`` less its last character, which sorts before ``text``
        whatever the collation (a proper prefix), so the same-valued items, adjacent in the sort, all come; the
        walk stops at the first other value after them (or at the end). ``start`` is a paging cursor, not filter
        syntax, so no character of ``text`` is interpreted. A page that ends on such an item while another page
        follows means more of them than a page holds (the next page starts strictly after ``text``): they are listed
        by a unique key instead (``_schema_registry_ties_by_unique_key``)."""
        params = dict(page_params, start=text[:-1])
        if not params['start']:
            params.pop('start')
        ties = []
        for dummy in range(MAX_PAGES):
            body = self.get(service, path, params=params, accept=accept) or {}
            items, nxt = _page_schema_registry(body, params)
            for item in items:
                if str(item.get(primary, '')) == text:
                    ties.append(item)
                elif ties:
                    return ties
            if not nxt:
                return ties
            if ties:  # the page ended on the value: the next one would start strictly after it
                return self._schema_registry_ties_by_unique_key(service, path, page_params, primary, text, accept)
            if nxt.get('start') == params.get('start'):
                raise self._partial_list(service, path, 'the list repeats the page %r' % (nxt,))
            params.update(nxt)
        raise self._partial_list(service, path, 'the list has more than %d pages' % MAX_PAGES)

    def _schema_registry_ties_by_unique_key(self, service, path, page_params, primary, text, accept):
        """Every item whose ``primary`` equals ``text``, for more of them than one Schema Registry page holds.

        ``start`` skips every item whose primary key equals it, so items sharing one value of the primary key
        (a title shared by over 300 field groups) cannot be paged by it. They are listed ordered by
        ``SCHEMA_REGISTRY_UNIQUE_ORDER`` (unique per object, so each ``start`` moves on), narrowed by the filter
        ``primary==text`` when ``text`` may go into one (``filter_safe``), else every item of the list is read and
        matched on the client. Raises ``UnexpectedResponseError`` naming the 300-per-page limit when the service
        refuses that order or does not page by it: the list is never cut short silently."""
        params = dict((k, v) for k, v in page_params.items() if k not in ('start', 'property', 'limit'))
        params['orderby'] = SCHEMA_REGISTRY_UNIQUE_ORDER
        if filter_safe(text):
            params['property'] = _with_clause(page_params, '%s==%s' % (primary, text))
        elif page_params.get('property'):
            params['property'] = page_params['property']
        ties = []
        for dummy in range(MAX_PAGES):
            try:
                body = self.get(service, path, params=params, accept=accept) or {}
            except ValidationError as err:
                raise self._too_many_ties(service, path, primary, text, 'it refused orderby=%s: %s'
                                          % (SCHEMA_REGISTRY_UNIQUE_ORDER, err.message))
            items, nxt = _page_schema_registry(body, params)
            ties.extend(item for item in items if str(item.get(primary, '')) == text)
            if not nxt:
                return ties
            if nxt.get('start') == params.get('start'):
                raise self._too_many_ties(service, path, primary, text, 'it repeated the page %r' % (nxt,))
            params.update(nxt)
        raise self._too_many_ties(service, path, primary, text, 'it answered more than %d pages' % MAX_PAGES)

    def _too_many_ties(self, service, path, primary, text, why):
        return UnexpectedResponseError(
            'the objects with %s %r fill a whole Schema Registry page (at most %d results per response, and the next '
            'page starts after the last %s), and listing them by %s failed (%s); refusing to return a partial list: '
            'rename or delete objects that share this %s' % (primary, text, SCHEMA_REGISTRY_MAX_PAGE, primary,
                                                             SCHEMA_REGISTRY_UNIQUE_ORDER, why, primary),
            method='GET', url=self.url(service, path), service=service)

    def _partial_list(self, service, path, why):
        return UnexpectedResponseError('%s; refusing to return a partial list' % why, method='GET', url=self.url(service, path),
                                       service=service)

    def list(self, service, path, params=None, accept=None, style=None):
        """All items of a list endpoint as a list (see ``paginate``)."""
        return list(self.paginate(service, path, params=params, accept=accept, style=style))

    # --- transport ------------------------------------------------------------------------------

    def _send(self, method, url, service, retry, headers, params=None, json=None, data=None, auth_error=False):
        """One call under the retry policy (``retry=False``: a single attempt)."""
        state = {'ambiguous': False}

        def attempt():
            try:
                return self._send_once(method, url, service, headers, params, json, data, auth_error)
            except NotFoundError:
                # a DELETE repeated after an attempt that may have been applied: the object is gone, as wanted
                if method == 'DELETE' and state['ambiguous']:
                    return AepResponse(204, {}, None)
                raise
            except AepError as err:
                state['ambiguous'] = state['ambiguous'] or err.status is None or err.status >= 500
                raise

        def retry_if(err):
            return retry and self.retry_policy.retryable(err, method)

        return self.retry_policy.call(attempt, retry_if)

    def _send_once(self, method, url, service, headers, params, json, data, auth_error):
        try:
            response = self.session.request(method, url, params=params, json=json, data=data, headers=headers,
                                            timeout=self.timeout, verify=self.verify)
        except requests.exceptions.RequestException as exc:
            raise ConnectionFailure(self._describe_exception(exc, url), method=method, url=url, service=service,
                                    maybe_delivered=_maybe_delivered(exc))
        if 200 <= response.status_code < 300:
            return AepResponse(response.status_code, response.headers, _parse_body(response))
        raise self._error(method, url, service, response, auth_error)

    def _describe_exception(self, exc, url):
        """A short reason: what failed, where, and the OS-level cause when there is one."""
        origin = '%s://%s' % urlsplit(url)[:2]
        if isinstance(exc, requests.exceptions.SSLError):
            reason = 'TLS verification of %s failed (set ca_path to your CA bundle)' % origin
        elif isinstance(exc, requests.exceptions.Timeout):
            reason = 'no answer from %s within %s seconds' % (origin, self.timeout)
        elif isinstance(exc, requests.exceptions.ConnectionError):
            reason = 'cannot connect to %s' % origin
        else:
            reason = 'request to %s failed' % origin
        cause = _ERRNO.search(str(exc))
        detail = cause.group(1) if cause else _short(str(exc), 200)
        return self.redact('%s (%s)' % (reason, detail))

    def _error(self, method, url, service, response, auth_error):
        body = _parse_body(response)
        code, title, message, request_id = parse_error_body(body)
        request_id = response.headers.get('x-request-id') or request_id
        cls = AuthenticationError if auth_error else error_class_for(response.status_code)
        return cls(self.redact(message or response.reason or 'HTTP %s' % response.status_code),
                   status=response.status_code, code=self.redact(code), title=self.redact(title),
                   request_id=request_id, method=method, url=url, service=service, body=self.redact(body),
                   retry_after=parse_retry_after(response.headers.get('Retry-After')))


_RETRY_OPTIONS = (
    ('retries', 'AEP_RETRIES', lambda v: v >= 0, 'a whole number of retries, 0 or more (0 turns retries off)'),
    ('retry_deadline', 'AEP_RETRY_DEADLINE', lambda v: v > 0, 'a number of seconds greater than 0'),
    ('retry_backoff', 'AEP_RETRY_BACKOFF', lambda v: v >= 0, 'a number of seconds, 0 or more'),
)


def check_retry_options(params):
    """Raise ``engine.InputError`` for a retry option that cannot work, before any request."""
    for name, env, valid, expected in _RETRY_OPTIONS:
        value = params.get(name)
        if value is not None and not valid(value):
            from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
            raise InputError('%s: must be %s, got %s (option %s or environment variable %s)'
                             % (name, expected, value, name, env), field=name)


def token_margin_expiry(expires_in):
    """Seconds after its issue at which a token of ``expires_in`` seconds is replaced: a fifth of its lifetime
    (at most 5 minutes) before it expires, so no call is made with a token about to expire."""
    expires_in = float(expires_in)
    return expires_in - min(300.0, expires_in / 5.0)


def _parse_body(response):
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


_NOT_SENT = re.compile(r'NewConnectionError|NameResolutionError|Failed to establish a new connection|'
                       r'Name or service not known|nodename nor servname|Connection refused|ProxyError')


def _maybe_delivered(exc):
    """False only when the request certainly never reached the service (refused, DNS, TLS, connect timeout)."""
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError,
                        requests.exceptions.ProxyError, requests.exceptions.InvalidURL)):
        return False
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return True
    return not _NOT_SENT.search(str(exc))


_ERRNO = re.compile(r'\[Errno -?\d+\] ([^\'"\)\]]+)')


def _short(text, limit=300):
    return text if len(text) <= limit else text[:limit] + '...'


def parse_retry_after(value):
    """``Retry-After`` as seconds (int or HTTP date); None when absent or unparsable."""
    if value in (None, ''):
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - time.time())
