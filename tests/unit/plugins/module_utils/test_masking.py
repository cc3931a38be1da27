"""masking.remove_no_log: no_log values are masked where they stand as values, never leaked, and short ones no
longer garble the text around them (issue 8, gap 4: ``username: u`` used to mask every "u" of a message)."""

import re

import pytest
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.aep.platform.plugins.module_utils.masking import MASK, PLACEHOLDER, long_values, remove_no_log

MESSAGE = "auth.params.dataType must be one of: xdm, raw (the authSpec of connection spec http-connector); user u, 'raw'"


def test_short_values_are_masked_as_values_only():
    masked = remove_no_log(MESSAGE, {"u", "raw"})
    assert masked == ("auth.params.dataType must be one of: xdm, %s (the authSpec of connection spec http-connector); "
                      "user %s, '%s'" % (MASK, MASK, MASK))
    # what Ansible's own masking made of it: every "u" gone, the message unreadable
    assert "a********th" in remove_values(MESSAGE, {"u", "raw"})


@pytest.mark.parametrize("secret, text", [
    ("u", "username: u"), ("u", "u"), ("u", "(u)"), ("u", "u,u"), ("42", "port=42;"), ("ab-1", "key ab-1."),
    ("!!", "a!!b"), ("-x", "a-x"), ("pässwd", "Pässwort pässwd"), ("a b", "is a b c"),
    ("a-very-long-secret", "prefixa-very-long-secretsuffix"), ("Bearer", "Authorization: xBearerx"),
])
def test_no_value_standing_on_its_own_is_ever_shown(secret, text):
    masked = remove_no_log({"msg": text, "list": [text], text: 1}, {secret})
    for value in (masked["msg"], masked["list"][0], list(k for k in masked if k not in ("msg", "list"))[0]):
        rest = value.replace(MASK, " ").replace(PLACEHOLDER, " ")
        for found in re.finditer(re.escape(secret), rest):
            before = rest[found.start() - 1] if found.start() else " "
            after = rest[found.end()] if found.end() < len(rest) else " "
            # what remains is only ever a part of a longer word or number, never the value on its own
            assert (before.isalnum() and secret[0].isalnum()) or (after.isalnum() and secret[-1].isalnum()), (secret, value)


def test_whole_values_numbers_keys_and_containers():
    data = {"u": "u", "n": 5, "f": 1.5, "b": False, "none": None, "nested": [("u", 15), {"x": "user u"}], "s": {"u"}}
    masked = remove_no_log(data, {"u", "5", "1.5"})
    assert masked == {PLACEHOLDER: PLACEHOLDER, "n": PLACEHOLDER, "f": PLACEHOLDER, "b": False, "none": None,
                      "nested": [(PLACEHOLDER, 15), {"x": "user %s" % MASK}], "s": {PLACEHOLDER}}
    assert remove_no_log(b"user u", {"u"}) == ("user %s" % MASK).encode()
    assert remove_no_log(data, set()) is data


def test_long_values_are_masked_everywhere_and_kept_for_ansibles_own_pass():
    assert remove_no_log("tokABCDEFGH1234tail", {"ABCDEFGH1234"}) == "tok%stail" % MASK
    assert long_values({"u", "raw", "ABCDEFGH", 12345678}) == {"ABCDEFGH", 12345678}
