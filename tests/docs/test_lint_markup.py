"""tests/docs/lint_markup.py finds markup that antsibull-docs accepts but renders wrongly."""
from lint_markup import faults


def dump(description):
    return {"all": {"module": {"aep.platform.demo": {"doc": {"description": [description], "options": {}}}},
                    "keyword": {"accelerate": {"description": "C(x(y)"}}}}


def test_code_that_ends_at_the_first_parenthesis_is_reported():
    assert faults(dump("Use C(\"{{ lookup('ansible.builtin.env', 'X') }}\") here.")) == [
        "module aep.platform.demo doc.description[0]: markup ends at the first ')': "
        "'\"{{ lookup(\\'ansible.builtin.env\\', \\'X\\''"]
    assert faults(dump("Values such as V(uuid()) and E(A(B)).")) == [
        "module aep.platform.demo doc.description[0]: markup ends at the first ')': 'uuid('",
        "module aep.platform.demo doc.description[0]: markup ends at the first ')': 'A(B'"]


def test_balanced_markup_and_other_collections_pass():
    assert faults(dump("Use C(ansible_connection=local), O(state=present), V(present), E(AEP_SANDBOX).")) == []
    # V() takes backslash escapes (C() does not), so code with parentheses fits in it
    assert faults(dump(r"Escaped: V(lookup('x'\)) renders whole.")) == []


def test_markup_that_does_not_parse_is_reported():
    found = faults(dump("Broken O(state=present"))
    assert len(found) == 1 and found[0].startswith("module aep.platform.demo doc.description[0]: ")
