# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every error an aep.platform module can raise, in one place.

* ``InputError``: the user's input cannot work; raised before the write it would break (most of them before
  any request). The message names the option and the fix; ``field`` is the option.
* ``AepError`` and its subclasses: an AEP call failed (defined next to the HTTP client that raises them,
  ``client.py``, and importable from here): ``AuthenticationError`` (401/403, IMS), ``NotFoundError`` (404),
  ``PreconditionFailedError`` (412), ``RateLimitedError`` (429 after the retries), ``ValidationError``
  (400/409/422), ``ConnectionFailure`` (no answer; ``maybe_delivered``), ``ServerError`` (5xx),
  ``UnexpectedResponseError`` (anything else).

Every one of them has ``to_fail_kwargs()``: the ``fail_json`` arguments (``msg``, ``error_type`` and details).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.client import (
    AepError,
    AuthenticationError,
    ConnectionFailure,
    NotFoundError,
    PreconditionFailedError,
    RateLimitedError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)

__all__ = ['AepError', 'AuthenticationError', 'ConnectionFailure', 'InputError', 'NotFoundError', 'PreconditionFailedError',
           'RateLimitedError', 'ServerError', 'UnexpectedResponseError', 'ValidationError']


class InputError(Exception):
    """The user's input cannot work; the message names the field and the fix."""

    def __init__(self, msg, field=None):
        super(InputError, self).__init__(msg)
        self.msg = msg
        self.field = field

    def to_fail_kwargs(self):
        result = dict(msg=self.msg, error_type='InputError')
        if self.field:
            result['field'] = self.field
        return result
