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
      - Base URL of the Adobe Experience Platform APIs.
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
    type: str
    required: true
  client_secret:
    description:
      - Client secret of the OAuth server-to-server credential, used to fetch an access token.
      - If not set, the value of the E(AEP_CLIENT_SECRET) environment variable is used.
      - One of O(client_secret) and O(access_token) is required. When both are set, O(access_token) is used and
        O(client_secret) only replaces it once if the platform rejects it (HTTP 401).
    type: str
  org_id:
    description:
      - IMS organization ID, for example C(0123456789ABCDEF01234567@AdobeOrg). Sent as the C(x-gw-ims-org-id) header.
      - If not set, the value of the E(AEP_ORG_ID) environment variable is used.
    type: str
    required: true
  sandbox:
    description:
      - Name of the sandbox the objects live in. Sent as the C(x-sandbox-name) header.
      - If not set, the value of the E(AEP_SANDBOX) environment variable is used.
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
      - Timeout of each HTTP request, in seconds.
      - If not set, the value of the E(AEP_TIMEOUT) environment variable is used.
    type: int
    default: 30
notes:
  - HTTP(S) proxies are taken from the standard E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
  - Calls are retried on HTTP 429, 502, 503, 504 and connection errors, honouring C(Retry-After), otherwise with capped
    exponential backoff and jitter. Creates (POST) are never retried blindly; the object is looked up by its identity first,
    so a lost response never creates a duplicate.
  - A module run fetches at most one access token. To fetch one token for a whole play, use M(aep.platform.token)
    and pass its result as O(access_token) in C(module_defaults) for C(group/aep.platform.aep).
requirements:
  - python >= 3.9
  - requests
'''
