# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Identity Service namespaces (``/data/core/idnamespace/identities``), as the schema's identities use them.

``GET /data/core/idnamespace/identities`` answers a JSON array of every namespace the sandbox sees, standard and
custom: ``[{"id": 6, "code": "Email", "name": "Email", "idType": "EMAIL", "status": "ACTIVE", "custom": false,
...}]`` (AEP guide "List available identity namespaces"; the emulator's ``routes/identity.py``).

Codes are matched **exactly, case included**. AEP's documentation does not state whether ``xdm:namespace`` is
matched case-insensitively; identity values are keyed by the code everywhere downstream (``identityMap`` keys,
the identity graph), and the descriptor AEP stores carries the canonical code, so a code that differs only in
case would either fail or never converge (the module would see ``Email`` where the user wrote ``email``). The
exact rule fails early instead, and the error names the code with the right case.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib

from ansible_collections.aep.platform.plugins.module_utils.client import IDENTITY_NAMESPACES
from ansible_collections.aep.platform.plugins.module_utils.errors import InputError

LIST_PATH = '/identities'
NEAREST = 3


def list_namespaces(client):
    """Every namespace of the client's sandbox, as AEP lists them (one GET; an array of namespace objects)."""
    body = client.get(IDENTITY_NAMESPACES, LIST_PATH)
    if isinstance(body, dict):  # tolerate a wrapped list
        body = body.get('identities') or body.get('children') or []
    return [ns for ns in body or [] if isinstance(ns, dict) and isinstance(ns.get('code'), str)]


def nearest_codes(code, codes, count=NEAREST):
    """Up to ``count`` known codes closest to ``code``: the ones equal but for case first, then by similarity."""
    same_case = [c for c in codes if c.lower() == code.lower()]
    by_lower = dict((c.lower(), c) for c in codes)
    similar = [by_lower[c] for c in difflib.get_close_matches(code.lower(), list(by_lower), n=count, cutoff=0.4)]
    found = []
    for candidate in same_case + similar:
        if candidate not in found:
            found.append(candidate)
    return found[:count]


def to_check(identities, current=None):
    """The indexes of the identities whose namespace the run would send: a new field, or a namespace other than
    the one of the field's current descriptor (``current``: ``[{'field', 'namespace', 'primary'}]``)."""
    have = dict((view.get('field'), view.get('namespace')) for view in current or [])
    return [index for index, identity in enumerate(identities or [])
            if have.get(identity.get('field')) != identity.get('namespace')]


def check_namespaces(client, identities, current=None, option='identities[%d].namespace'):
    """InputError, before any write (check mode too), when an identity names a namespace code the sandbox does not
    know. The namespace list is read once, and only when some identity is to be created or changed (``to_check``).

    The error names the option (``option % N``: ``identities[N].namespace``), the unknown code, the nearest known
    codes and the fix."""
    indexes = to_check(identities, current)
    if not indexes:
        return
    namespaces = list_namespaces(client)
    codes = [ns['code'] for ns in namespaces]
    known = set(codes)
    for index in indexes:
        code = identities[index].get('namespace')
        if code in known:
            continue
        nearest = nearest_codes(code, codes)
        if nearest:
            hint = 'nearest known codes: %s' % ', '.join(repr(c) for c in nearest)
        else:
            hint = 'no similar code; known codes include %s' % ', '.join(repr(c) for c in codes[:2 * NEAREST])
        raise InputError(
            '%s: %r is not an identity namespace of sandbox %r (%s; codes match exactly, case '
            'included). Use one of the listed codes, or create the custom namespace first (Identity Service: POST '
            '/data/core/idnamespace/identities with name, code and idType, or the AEP UI under Identities), then '
            'run again' % (option % index, code, getattr(client, 'sandbox', None), hint),
            field=option.split('[', 1)[0])
