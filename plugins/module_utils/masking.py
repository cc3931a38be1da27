# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Hiding the values of ``no_log`` options (``auth.params``, ``client_secret``, ``access_token``) in a module result.

Ansible's own ``remove_values`` replaces every occurrence of every ``no_log`` value, so a short credential value
garbles unrelated text: with ``auth.params.username: u`` each "u" of every message became ``********``, and a
``dataType: raw`` hid "raw" inside "drawn". ``remove_no_log`` is a drop-in replacement (same arguments, same
result for containers) that masks:

* a string equal to a value: replaced whole by ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER`` (as Ansible does);
* a value of ``LONG`` characters or more: wherever it occurs, as Ansible does (a token, a key);
* a shorter value: wherever it stands as a value, that is not run together with a letter or digit on a side where
  the value itself starts or ends with one (``username: u`` -> ``username: ********``, "user" stays);
* a number equal to a value: replaced whole.

No value is ever shown where it stands on its own; what stays readable is text in which a short value only
occurs inside a longer word or number.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.six.moves.collections_abc import Mapping, Set

PLACEHOLDER = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
MASK = '********'
# Values this long are masked wherever they occur (as Ansible does); the client redacts secrets of this length too.
LONG = 8
# A letter or digit (any script): a short value next to one is part of a longer word, not a value of its own.
_ALNUM = r'[^\W_]'


def _text(value):
    if isinstance(value, bytes):
        return value.decode('utf-8', 'surrogateescape')
    return str(value)


class Masker(object):
    """The masking of one set of ``no_log`` values (strings, as Ansible lists them)."""

    def __init__(self, values):
        values = set(_text(v) for v in values or () if v is not None and _text(v))
        self.values = values
        self.long = sorted((v for v in values if len(v) >= LONG), key=len, reverse=True)
        short = sorted((v for v in values if len(v) < LONG), key=len, reverse=True)
        self.short = re.compile('|'.join(self._pattern(v) for v in short), re.UNICODE) if short else None

    @staticmethod
    def _pattern(value):
        before = '(?<!%s)' % _ALNUM if re.match(_ALNUM, value[0], re.UNICODE) else ''
        after = '(?!%s)' % _ALNUM if re.match(_ALNUM, value[-1], re.UNICODE) else ''
        return before + re.escape(value) + after

    def text(self, value):
        """A string with every value masked (see the module docstring)."""
        if value in self.values:
            return PLACEHOLDER
        for secret in self.long:
            value = value.replace(secret, MASK)
        return self.short.sub(MASK, value) if self.short is not None else value

    def __call__(self, value):
        """``value`` (a result: dicts, lists, strings, numbers) with every value masked; keys too."""
        if isinstance(value, bytes):
            return self.text(_text(value)).encode('utf-8', 'surrogateescape')
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, (int, float)):
            return PLACEHOLDER if str(value) in self.values else value
        if isinstance(value, Mapping):
            return dict((self(k), self(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return type(value)(self(v) for v in value)
        if isinstance(value, Set):
            return set(self(v) for v in value)
        return value


def remove_no_log(value, no_log_values):
    """``value`` with the ``no_log_values`` masked (see the module docstring); the arguments of Ansible's
    ``remove_values``, which the forked and the in-process modules use it in place of."""
    if not no_log_values:
        return value
    return Masker(no_log_values)(value)


def long_values(no_log_values):
    """The values Ansible's own substring masking may keep (``LONG`` characters or more): masking them again after
    ``remove_no_log`` changes nothing, where a short one would garble the text."""
    return set(v for v in no_log_values or () if len(_text(v)) >= LONG)
