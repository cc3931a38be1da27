# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  platform_url:
    description:
      - Base URL of the Adobe Experience Platform APIs, http(s), without query, fragment or user.
      - If not set, the value of the E(AEP_PLATFORM_URL) environment variable is used.
    type: str
    default: https://platform.adobe.io
  ims_url:
    description:
      - Base URL of Adobe IMS, which issues access tokens (C(POST /ims/token/v3)).
      - If not set, the value of the E(AEP_IMS_URL) environment variable is used.
    type: str
    default: https://ims-na1.adobelogin.com
  client_id:
    description:
      - Client ID (API key) of the Adobe Developer Console project. Also sent as the C(x-api-key) header.
      - If not set, the value of the E(AEP_CLIENT_ID) environment variable is used.
      - Required, from the option or the environment; when neither sets it the task fails before any request, naming
        both.
    type: str
  client_secret:
    description:
      - Client secret of the OAuth server-to-server credential, used to fetch an access token.
      - If not set, the value of the E(AEP_CLIENT_SECRET) environment variable is used.
      - One of O(client_secret) and O(access_token) is required (from the options or the environment). When both are set, O(access_token) is used and
        O(client_secret) only replaces it once if the platform rejects it (HTTP 401).
    type: str
  org_id:
    description:
      - IMS organization ID, for example C(0123456789ABCDEF01234567@AdobeOrg). Sent as the C(x-gw-ims-org-id) header.
      - If not set, the value of the E(AEP_ORG_ID) environment variable is used.
      - Required, from the option or the environment. A value that does not end in C(@AdobeOrg) fails the task before
        any request.
    type: str
  sandbox:
    description:
      - Name of the sandbox the objects live in. Sent as the C(x-sandbox-name) header.
      - Lowercase letters, digits, hyphens (and underscores), at most 256 characters. A sandbox that does not exist
        fails every task, info modules and V(absent) included, naming the sandboxes of the organization.
      - If not set, the value of the E(AEP_SANDBOX) environment variable is used.
      - An empty or whitespace-only value (for example an empty templated variable) fails the task before any
        request, as it does for every connection option; it never means V(prod).
    type: str
    default: prod
  access_token:
    description:
      - An access token to use instead of fetching one, for example the result of M(aep.platform.token) set once
        in C(module_defaults). No token is fetched when it is set.
      - If not set, the value of the E(AEP_ACCESS_TOKEN) environment variable is used.
    type: str
  scopes:
    description:
      - OAuth scopes requested with the token.
      - If not set, the value of the E(AEP_SCOPES) environment variable (comma-separated) is used.
    type: list
    elements: str
    default: [openid, session, AdobeID, read_organizations, additional_info.projectedProductContext]
  validate_certs:
    description:
      - Whether to verify the TLS certificates of IMS and the platform. Prefer O(ca_path) to turning this off.
      - If not set, the value of the E(AEP_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a CA bundle (PEM) used to verify TLS certificates, for example behind a TLS-inspecting proxy.
      - If not set, the value of the E(AEP_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Timeout of each HTTP request, in seconds, from 1 to 3600.
      - If not set, the value of the E(AEP_TIMEOUT) environment variable is used.
    type: int
    default: 30
  retries:
    description:
      - How many times a failed call is repeated, after the first attempt, under the retry policy (see the notes).
      - C(0) turns retries off; at most 100.
      - If not set, the value of the E(AEP_RETRIES) environment variable is used.
    type: int
    default: 5
  retry_deadline:
    description:
      - Overall time, in seconds, within which a call and its retries must end. A wait (C(Retry-After) or backoff)
        that would end after it is not started and the last error is reported. At most 86400.
      - If not set, the value of the E(AEP_RETRY_DEADLINE) environment variable is used.
    type: float
    default: 120.0
  retry_backoff:
    description:
      - First backoff delay, in seconds, when the answer has no C(Retry-After). The n-th retry waits a random time
        between half and all of O(retry_backoff) * 2^n, capped at 30 seconds. At most 3600.
      - If not set, the value of the E(AEP_RETRY_BACKOFF) environment variable is used.
    type: float
    default: 1.0
notes:
  - "Text options are checked before any request, in check mode too - a dict or a list given where text is expected
    (Ansible would turn C({a: 1}) into the text C({'a': 1})) is refused, as is a name or title over 256 characters,
    a description over 4096, or other text over 2048 (AEP documents no limits; these are the collection's)."
  - HTTP(S) proxies are taken from the standard E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
  - "Retry policy, the same for reads, creates, updates and deletes: HTTP 429, 500, 502, 503, 504, connection errors and
    timeouts are retried up to O(retries) times within O(retry_deadline) seconds, waiting as C(Retry-After) says (however
    long, within the deadline), otherwise with jittered exponential backoff from O(retry_backoff)."
  - "A create (POST) is sent again only when AEP certainly did not act on it: after a 429, or when the connection failed
    before the request was sent. After a 5xx the object is looked up by its identity before it is created again. When a
    create got no answer (O(timeout) passed, or the connection dropped), AEP may still be making the object: it is
    looked up, never sent again, and the task fails saying so if it has not appeared; a rerun converges. No duplicate."
  - "Access tokens are shared by the play's tasks: one task fetches a token (under a lock), the others use it; it is
    replaced shortly before it expires, or once after a 401. The shared record is encrypted with a key derived from
    O(client_secret), so no file holds the secret or a token in clear. C(AEP_TOKEN_CACHE=0) in the environment
    turns sharing off."
  - "When a module runs as a separate process (C(AEP_IN_PROCESS=0) in the environment, or the variable
    C(aep_in_process=false)), the controller fetches the token and the module receives neither O(client_secret)
    nor the token among its arguments."
  - "On the controller (the default), the module's logic runs in one process per C(ansible-playbook) run, the module
    server, which the task workers reach over a private Unix socket; nothing is written to disk, and a task that
    cannot reach it runs its logic in its own worker. C(AEP_MODULE_SERVER=0) in the environment runs every task's
    logic in its worker; C(-vvvv) shows where each ran."
  - To fetch one token for a whole play explicitly, use M(aep.platform.token) and pass its result as O(access_token)
    in C(module_defaults) for C(group/aep.platform.aep).
requirements:
  - python >= 3.9
  - requests
'''
