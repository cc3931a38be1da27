"""Lint the Ansible markup of every aep.platform plugin's documentation for what antsibull-docs accepts but renders
wrongly: a C(), O(), V(), E() or RV() whose text has more ``(`` than ``)``, i.e. markup that ended at the first
``)`` of the code it quotes (``C(lookup('x'))`` renders as ``lookup('x'`` followed by a stray ``)``), and markup
that failed to parse.

    ansible-doc --metadata-dump --no-fail-on-errors aep.platform | python tests/docs/lint_markup.py

Prints one line per fault (plugin, where, the broken markup) and exits 1 when there is any.
"""
import json
import sys

from antsibull_docs_parser import dom
from antsibull_docs_parser.parser import Context, parse

CODE_LIKE = (dom.CodePart, dom.OptionValuePart, dom.EnvVariablePart)


def strings(node, where=""):
    """Every (where, text) of a documentation tree, descriptions and notes included."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from strings(item, "%s[%d]" % (where, index))
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("examples", "plainexamples", "filename", "collection", "version_added_collection"):
                yield from strings(value, "%s.%s" % (where, key) if where else key)


def part_text(part):
    if isinstance(part, dom.OptionValuePart):
        return part.value
    if isinstance(part, dom.EnvVariablePart):
        return part.name
    return part.text


def faults(dump):
    found = []
    for kind, plugins in sorted(dump["all"].items()):
        for name, data in sorted(plugins.items()):
            if not name.startswith("aep.platform."):
                continue
            for where, text in strings(data):
                for paragraph in parse(text, Context(current_plugin=None), errors="message"):
                    for part in paragraph:
                        if isinstance(part, dom.ErrorPart):
                            found.append("%s %s %s: %s" % (kind, name, where, part.message))
                        elif isinstance(part, CODE_LIKE) and part_text(part).count("(") > part_text(part).count(")"):
                            found.append("%s %s %s: markup ends at the first ')': %r" % (kind, name, where, part_text(part)))
    return found


def main():
    found = faults(json.load(sys.stdin))
    for line in found:
        print("markup: " + line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
