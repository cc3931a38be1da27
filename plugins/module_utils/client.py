# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP client for the Adobe Experience Platform APIs.

One ``AepClient`` per module run: it fetches at most one IMS token (lazily), sends every AEP header,
retries idempotent calls on 429/502/503/504 and connection errors, follows each service's pagination
style and turns error responses into typed ``AepError`` exceptions whose text never contains a secret.

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

SERVICE_NAMES = {
    FLOW_SERVICE: 'Flow Service',
    CATALOG: 'Catalog',
    SCHEMA_REGISTRY: 'Schema Registry',
    DATA_PREP: 'Data Prep',
    SANDBOX_MANAGEMENT: 'Sandbox Management',
    'ims': 'IMS',
}

DEFAULT_PLATFORM_URL = 'https://platform.adobe.io'
DEFAULT_IMS_URL = 'https://ims-na1.adobelogin.com'
DEFAULT_SCOPES = ['openid', 'session', 'AdobeID', 'read_organizations', 'additional_info.projectedProductContext']

RETRY_STATUSES = (429, 502, 503, 504)
IDEMPOTENT_METHODS = ('GET', 'PUT', 'PATCH', 'DELETE', 'HEAD')
REDACTED = '********'
MAX_PAGES = 1000
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

    @property
    def transient(self):
        """True when repeating the call later may succeed (rate limit, 5xx, connection failure)."""
        return self.status in (429, 500, 502, 503, 504)

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
        return True


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
    match = re.match(r'^/data/foundation/[^/]+(/.*)?$', path)
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


def _page_schema_registry(body, params):
    """Schema Registry: ``results`` + ``_page.next`` (the ``start`` value of the next page)."""
    items = body.get('results') or []
    start = (body.get('_page') or {}).get('next')
    if start in (None, ''):
        start = (_next_params(((body.get('_links') or {}).get('next') or {}).get('href')) or {}).get('start')
    return items, ({'start': start} if start not in (None, '') else None)


def _page_data_prep(body, params):
    """Data Prep: ``data`` + ``start``/``limit`` offsets."""
    if isinstance(body, dict):
        items = body.get('data') or []
    else:
        items = body or []
    limit = int(params['limit'])
    nxt = {'start': int(params.get('start', 0)) + limit} if len(items) >= limit else None
    return items, nxt


def _page_sandbox(body, params):
    """Sandbox management: ``sandboxes`` + ``_links.next.href``."""
    items = body.get('sandboxes') or []
    return items, _next_params(((body.get('_links') or {}).get('next') or {}).get('href'))


PAGERS = {
    FLOW_SERVICE: (_page_flow_service, {}),
    CATALOG: (_page_catalog, {'limit': 100, 'start': 0}),
    # Schema Registry pages only when ``orderby`` is sent (API-FACTS: max 300 per response otherwise).
    SCHEMA_REGISTRY: (_page_schema_registry, {'orderby': 'title'}),
    DATA_PREP: (_page_data_prep, {'limit': 100, 'start': 0}),
    SANDBOX_MANAGEMENT: (_page_sandbox, {}),
}


# ---------------------------------------------------------------------------------------------------
# Client
# ---------------------------------------------------------------------------------------------------

class AepClient:
    """Talks to IMS and the platform on behalf of one module run.

    Give either ``access_token`` or ``client_secret`` (or both: the token is used first and the secret
    only to replace it after a 401). ``sleep`` and ``session`` are injectable for tests.
    """

    def __init__(self, client_id, org_id, sandbox='prod', client_secret=None, access_token=None,
                 scopes=None, platform_url=DEFAULT_PLATFORM_URL, ims_url=DEFAULT_IMS_URL,
                 validate_certs=True, ca_path=None, timeout=30, max_retries=5, connection_retries=2,
                 backoff_base=1.0, backoff_max=30.0, sleep=None, session=None):
        self.client_id = client_id
        self.org_id = org_id
        self.sandbox = sandbox
        self._client_secret = client_secret
        self._access_token = access_token
        self.scopes = list(scopes or DEFAULT_SCOPES)
        self.platform_url = (platform_url or DEFAULT_PLATFORM_URL).rstrip('/')
        self.ims_url = (ims_url or DEFAULT_IMS_URL).rstrip('/')
        self.verify = ca_path if ca_path else bool(validate_certs)
        self.timeout = timeout
        self.max_retries = max_retries
        self.connection_retries = min(connection_retries, max_retries)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.sleep = sleep or time.sleep
        self.session = session if session is not None else requests.Session()
        self.token_fetches = 0
        self.token_info = None
        self._secrets = set()
        self._remember(client_secret, access_token)

    @classmethod
    def from_params(cls, params, **kwargs):
        """Build a client from a module's validated parameters (the connection options)."""
        return cls(
            client_id=params.get('client_id'), org_id=params.get('org_id'), sandbox=params.get('sandbox') or 'prod',
            client_secret=params.get('client_secret'), access_token=params.get('access_token'),
            scopes=params.get('scopes'), platform_url=params.get('platform_url'), ims_url=params.get('ims_url'),
            validate_certs=params.get('validate_certs', True), ca_path=params.get('ca_path'),
            timeout=params.get('timeout') or 30, **kwargs)

    def __repr__(self):
        return 'AepClient(platform_url=%r, org_id=%r, sandbox=%r, client_id=%r)' % (
            self.platform_url, self.org_id, self.sandbox, self.client_id)

    def with_sandbox(self, sandbox):
        """A client for another sandbox that shares this one's token and HTTP session."""
        if not self._access_token and self.has_credentials:
            self.fetch_token()  # fetch once here, not once per clone
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
        """Request a new access token (OAuth server-to-server). Returns the IMS response dict."""
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
        self._access_token = body['access_token']
        self._remember(self._access_token)
        self.token_info = {
            'access_token': body['access_token'],
            'token_type': body.get('token_type', 'bearer'),
            'expires_in': body.get('expires_in'),
        }
        return dict(self.token_info)

    @property
    def access_token(self):
        """The bearer token, fetched on first use."""
        if not self._access_token:
            self.fetch_token()
        return self._access_token

    # --- platform calls --------------------------------------------------------------------------

    def url(self, service, path):
        """The absolute URL of ``path`` in ``service`` (``path`` may already be absolute)."""
        if path.startswith('http://') or path.startswith('https://'):
            return path
        return '%s/data/foundation/%s%s' % (self.platform_url, service, path)

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

        ``retry`` defaults to True for GET/PUT/PATCH/DELETE and False for POST (a lost POST response
        must be resolved by looking the object up, see engine.Resource.create_once).
        A 401 with credentials available refreshes the token once and repeats the call.
        """
        method = method.upper()
        url = self.url(service, path)
        if retry is None:
            retry = method in IDEMPOTENT_METHODS
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
                self._access_token = None

    def get(self, service, path, params=None, accept=None, headers=None):
        return self.request('GET', service, path, params=params, accept=accept, headers=headers).body

    def get_or_none(self, service, path, params=None, accept=None, headers=None):
        """GET, returning None on 404."""
        try:
            return self.get(service, path, params=params, accept=accept, headers=headers)
        except NotFoundError:
            return None

    def post(self, service, path, json=None, params=None, accept=None, headers=None, retry=False):
        return self.request('POST', service, path, params=params, json=json, accept=accept, headers=headers,
                            retry=retry).body

    def put(self, service, path, json=None, params=None, accept=None, headers=None):
        return self.request('PUT', service, path, params=params, json=json, accept=accept, headers=headers).body

    def patch(self, service, path, json=None, params=None, accept=None, headers=None):
        return self.request('PATCH', service, path, params=params, json=json, accept=accept, headers=headers).body

    def delete(self, service, path, params=None, accept=None, headers=None):
        return self.request('DELETE', service, path, params=params, accept=accept, headers=headers).body

    def paginate(self, service, path, params=None, accept=None, style=None):
        """Yield every item of a list endpoint, following the service's pagination style.

        ``style`` defaults to ``service`` (see ``PAGERS``). A Catalog 404 on a filtered list means
        "no match" and yields nothing.
        """
        pager, defaults = PAGERS[style or service]
        page_params = dict(defaults)
        page_params.update(params or {})
        seen = set()
        for dummy in range(MAX_PAGES):
            try:
                body = self.get(service, path, params=page_params, accept=accept)
            except NotFoundError:
                if (style or service) == CATALOG:
                    return
                raise
            items, nxt = pager(body if body is not None else {}, page_params)
            yield from items
            key = tuple(sorted((nxt or {}).items()))
            if not nxt or key in seen:
                return
            seen.add(key)
            page_params.update(nxt)

    def list(self, service, path, params=None, accept=None, style=None):
        """All items of a list endpoint as a list (see ``paginate``)."""
        return list(self.paginate(service, path, params=params, accept=accept, style=style))

    # --- transport ------------------------------------------------------------------------------

    def _send(self, method, url, service, retry, headers, params=None, json=None, data=None, auth_error=False):
        attempt = 0
        while True:
            try:
                response = self.session.request(method, url, params=params, json=json, data=data, headers=headers,
                                                timeout=self.timeout, verify=self.verify)
            except requests.exceptions.RequestException as exc:
                error = ConnectionFailure(self._describe_exception(exc, url), method=method, url=url, service=service,
                                          maybe_delivered=_maybe_delivered(exc))
                if retry and attempt < self.connection_retries:
                    self.sleep(self.backoff(attempt))
                    attempt += 1
                    continue
                raise error
            if 200 <= response.status_code < 300:
                return AepResponse(response.status_code, response.headers, _parse_body(response))
            if retry and response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                self.sleep(self.retry_delay(response, attempt))
                attempt += 1
                continue
            raise self._error(method, url, service, response, auth_error)

    def retry_delay(self, response, attempt):
        """Seconds to wait: ``Retry-After`` (seconds or HTTP date, capped) or exponential backoff."""
        after = parse_retry_after(response.headers.get('Retry-After'))
        if after is not None:
            return min(after, max(self.backoff_max, 60.0))
        return self.backoff(attempt)

    def backoff(self, attempt):
        """Capped exponential backoff with jitter: a random value in [cap/2, cap]."""
        cap = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return cap / 2.0 + random.uniform(0, cap / 2.0)

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
