"""Data Prep mappings: normalisation of both request forms, validation, and a compiled mapper.

Request forms (either is accepted, the stored/returned form carries both):

- modern: ``{"sourceType": "ATTRIBUTE"|"EXPRESSION"|"STATIC", "source", "destination", "name"?, "description"?}``
- legacy (tutorials): ``{"sourceAttribute", "destinationXdmPath", "identity"?, "version"?}`` (an attribute path)

``compile_mapping_set(doc)`` precompiles every source (attribute paths and expressions) into closures once;
``Mapper.apply(event)`` then builds the XDM record on the ingestion hot path. The expression language is
the subset documented in ``FUNCTIONS`` (see emulator/docs/schemaregistry-dataprep.md)."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable

from aep_emulator.domain import xdm

Getter = Callable[[dict], Any]
SPREAD = ...  # ``[*]`` in a path: every item of the array

ATTRIBUTE, EXPRESSION, STATIC = "ATTRIBUTE", "EXPRESSION", "STATIC"
_SOURCE_TYPES = {"attribute": ATTRIBUTE, "text/x.schema-path": ATTRIBUTE, "expression": EXPRESSION,
                 "text/x.aep-xl": EXPRESSION, "static": STATIC}
STORED_SOURCE_TYPE = {ATTRIBUTE: "text/x.schema-path", EXPRESSION: "text/x.aep-xl", STATIC: STATIC}


class MappingError(Exception):
    """A mapping that cannot be stored or compiled; ``info`` is a Data Prep ``TransformErrorInfo``."""

    def __init__(self, message: str, mapping: dict | None = None):
        super().__init__(message)
        mapping = mapping or {}
        self.info = {"destination": mapping.get("destination"), "exception": message,
                     "source": mapping.get("source"), "columnName": mapping.get("source"),
                     "sourceType": mapping.get("sourceType")}


# --- normalisation ----------------------------------------------------------------------------------

def source_kind(mapping: dict) -> str:
    """ATTRIBUTE, EXPRESSION or STATIC for a request or stored mapping."""
    declared = mapping.get("sourceType")
    if declared is None:
        return ATTRIBUTE
    kind = _SOURCE_TYPES.get(str(declared).lower())
    if kind is None:
        raise MappingError(f"Unsupported sourceType {declared!r}: use ATTRIBUTE, EXPRESSION or STATIC", mapping)
    return kind


def normalise(raw: object, stamp: dict) -> dict:
    """The stored form of one request mapping (both forms); ``stamp`` carries dates/users/version."""
    if not isinstance(raw, dict):
        raise MappingError("Each mapping must be a JSON object")
    source = raw.get("source", raw.get("sourceAttribute"))
    destination = raw.get("destination", raw.get("destinationXdmPath"))
    kind = source_kind(raw)
    if not isinstance(source, str) or (kind != STATIC and not source.strip()):
        raise MappingError("A mapping needs a 'source' (or legacy 'sourceAttribute') string", raw)
    if not isinstance(destination, str) or not destination.strip():
        raise MappingError("A mapping needs a 'destination' (or legacy 'destinationXdmPath') string", raw)
    stored = {"id": raw.get("id") or uuid.uuid4().hex, **stamp,
              "sourceType": STORED_SOURCE_TYPE[kind], "source": source, "destination": destination,
              "sourceAttribute": source, "destinationXdmPath": destination,
              "identity": bool(raw.get("identity", False)), "primaryIdentity": bool(raw.get("primaryIdentity", False)),
              "matchScore": 0.0, "functionVersion": 1}
    for key in ("name", "description"):
        if isinstance(raw.get(key), str):
            stored[key] = raw[key]
    return stored


def validate(mapping: dict, field_types: dict[str, str]) -> list[dict]:
    """TransformErrorInfo entries for one stored mapping (empty when valid)."""
    errors = []
    if xdm.destination_type(field_types, mapping["destination"]) is None:
        errors.append(MappingError(f"Destination '{mapping['destination']}' is not a field of the output schema",
                                   mapping).info)
    try:
        compile_source(mapping)
    except MappingError as exc:
        errors.append(MappingError(str(exc), mapping).info)
    if source_kind(mapping) == ATTRIBUTE and "[*]" in mapping["destination"] \
            and mapping["source"].count("[*]") < mapping["destination"].count("[*]"):
        errors.append(MappingError(f"Destination '{mapping['destination']}' has more '[*]' than source "
                                   f"'{mapping['source']}': each '[*]' of the destination needs one in the source",
                                   mapping).info)
    return errors


# --- meaning: can a source ever fill its destination? ---------------------------------------------------
# The same table as the collection's plugins/module_utils/resources/mapping_types.py (docs: "Mappings checked for
# meaning" in emulator/docs/schemaregistry-dataprep.md). A value kind is what a source yields: string, number,
# boolean, date-time, array, object, or any (an attribute path: the payload decides when the event arrives).

# destination XDM type -> value kinds that can fill it (a constant text must also convert, see CONVERTERS)
COMPATIBLE = {
    "string": {"string", "number", "boolean", "date-time", "any"},
    "integer": {"string", "number", "any"},
    "number": {"string", "number", "any"},
    "boolean": {"string", "boolean", "any"},
    "date-time": {"string", "number", "date-time", "any"},  # a number is epoch milliseconds
    "date": {"string", "date-time", "any"},
    "object": {"object", "any"},
    "map": {"object", "any"},
    "array": {"array", "any"},
}
# Result kind of an expression whose outermost call is one of these functions (the others: "any").
_RESULT_KINDS = {
    **dict.fromkeys(("uuid", "guid", "concat", "lower", "lcase", "upper", "ucase", "trim", "ltrim", "rtrim", "substr",
                     "join", "replacestr", "sha1", "sha256", "sha512", "md5", "crc32", "lpad", "rpad", "left", "right",
                     "to_string", "array_to_string", "date_to_string", "format", "dformat", "get_url_protocol",
                     "get_url_host", "get_url_path", "get_url_query_str", "get_url_encoded", "get_url_decoded",
                     "fpid_to_ecid", "ua_os_name", "ua_os_version_major", "ua_os_version", "ua_agent_version",
                     "ua_agent_version_major", "ua_agent_name", "ua_device_class"), "string"),
    **dict.fromkeys(("now", "date", "make_date_time", "zone_date_to_utc", "zone_date_to_zone", "set_date_part"),
                    "date-time"),
    **dict.fromkeys(("timestamp", "length", "len", "size_of", "to_integer", "to_bigint", "to_float", "to_decimal",
                     "instr", "date_part", "get_url_port"), "number"),
    **dict.fromkeys(("equals", "equalsIgnoreCase", "matches_regex", "is_empty", "is_set", "to_boolean", "map_has_keys",
                     "contains_key", "is_null"), "boolean"),
    **dict.fromkeys(("split", "explode", "extract_regex", "to_array", "get_keys", "get_values", "map_get_values",
                     "arrays_to_objects", "upsert_array_append", "upsert_array_replace", "filterArray"), "array"),
    **dict.fromkeys(("to_object", "str_to_object", "json_to_object", "object_to_map", "add_to_map", "array_to_map"),
                    "object"),
}
_BOOLEAN_OPS = {"||", "&&", "==", "!=", "<=", ">=", "<", ">"}


def _closes_at_end(tokens: list[tuple[str, str]]) -> bool:
    depth = 0
    for index, token in enumerate(tokens):
        if token == ("op", "("):
            depth += 1
        elif token == ("op", ")"):
            depth -= 1
            if depth == 0:
                return index == len(tokens) - 1
    return False


def _expression_kind(text: str) -> tuple[str, Any]:
    """(kind, constant) of an expression's outermost form: a literal, a test, a call or a field path."""
    try:
        tokens = _tokenize(text)
    except MappingError:
        return "any", None
    while len(tokens) >= 2 and tokens[0] == ("op", "(") and _closes_at_end(tokens):
        tokens = tokens[1:-1]
    if not tokens:
        return "any", None
    depth = 0
    for kind, value in tokens:
        depth += {("op", "("): 1, ("op", ")"): -1}.get((kind, value), 0)
        if depth == 0 and kind == "op" and value in _BOOLEAN_OPS:
            return "boolean", None
    if tokens[0] == ("op", "!"):
        return "boolean", None
    if len(tokens) == 1:
        kind, value = tokens[0]
        if kind == "string":
            return "string", _unquote(value)
        if kind == "number":
            return "number", float(value) if "." in value else int(value)
        return ("boolean", value == "true") if value in ("true", "false") else ("any", None)
    if tokens[0][0] == "ident" and tokens[1] == ("op", "(") and _closes_at_end(tokens[1:]):
        return _RESULT_KINDS.get(tokens[0][1], "any"), None
    return "any", None


def value_kind(mapping: dict) -> tuple[str, Any]:
    """(kind, constant) a source yields into its destination: STATIC a string constant; EXPRESSION by its outermost
    form; ATTRIBUTE ``any``. A source with more ``[*]`` than its destination yields an array."""
    kind, constant = "any", None
    if source_kind(mapping) == STATIC:
        kind, constant = "string", mapping["source"]
    elif source_kind(mapping) == EXPRESSION:
        kind, constant = _expression_kind(mapping["source"])
    if kind == "any" and mapping["source"].count("[*]") > mapping["destination"].count("[*]"):
        kind = "array"
    return kind, constant


def meaning_errors(mapping: dict, field_types: dict[str, str], tenant: str | None = None) -> list[dict]:
    """Mappings that can never fill their destination (every record would fail), as TransformErrorInfo entries:
    the tenant namespace object itself (``_<tenant>``: map its fields), a value whose kind the destination's type
    never holds (``COMPATIBLE``), a constant that does not convert to the destination type."""
    destination = mapping["destination"]
    kind = xdm.destination_type(field_types, destination)
    if kind is None or kind == "any":
        return []
    if tenant and destination == f"_{tenant}":
        return [MappingError(f"Destination '{destination}' is the tenant namespace object, which can never hold a "
                             "mapped value: map each of its fields instead", mapping).info]
    value, constant = value_kind(mapping)
    if value not in COMPATIBLE.get(kind, {value}):
        what = f"the constant '{constant}'" if constant is not None else f"the {value} value of source '{mapping['source']}'"
        return [MappingError(f"Destination '{destination}' is of type {kind} and cannot hold {what}", mapping).info]
    source = mapping["source"]
    if value not in ("array", "any") and source_kind(mapping) != ATTRIBUTE \
            and destination.count("[*]") > source.count("[*]"):
        return [MappingError(f"Destination '{destination}' is an item path of an array ('[*]') and cannot hold the "
                             f"{value} value of source '{source}': '[*]' needs an array source", mapping).info]
    if source_kind(mapping) == EXPRESSION and constant is None:
        constant = _call_constant(source)
        reason = _call_problem(source, kind)
        if reason:
            return [MappingError(f"Destination '{destination}' is of type {kind}: {reason}", mapping).info]
    if constant is not None and kind in CONVERTERS and not (value == "number" and kind == "date-time"):
        try:
            CONVERTERS[kind](constant)
        except (ValueError, TypeError):
            return [MappingError(f"Destination '{destination}' is of type {kind}: the constant '{constant}' "
                                 "does not convert to it", mapping).info]
    return []


# Calls judged by their result (the same lists as the collection's mapping_types.py): a string function of literal
# arguments always yields one text; a UUID or digest never converts to a number, boolean or date; a conversion of a
# literal that does not convert fails on every record.
_TEXT_FUNCTIONS = {"concat", "upper", "ucase", "lower", "lcase", "trim", "ltrim", "rtrim"}
_OPAQUE_TEXT = {"uuid", "guid", "sha1", "sha256", "sha512", "md5"}
_CONVERSIONS = {"to_integer": "integer", "to_bigint": "integer", "to_float": "number", "to_decimal": "number"}


def _call(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(function name, argument tokens) of an expression that is one call, else None."""
    try:
        tokens = _tokenize(text)
    except MappingError:
        return None
    if len(tokens) < 3 or tokens[0][0] != "ident" or tokens[1] != ("op", "(") or not _closes_at_end(tokens[1:]):
        return None
    return tokens[0][1], tokens[2:-1]


def _call_constant(text: str) -> Any:
    """The text a string function of literal arguments always yields, else None."""
    call = _call(text)
    if call is None or call[0] not in _TEXT_FUNCTIONS:
        return None
    if any(kind not in ("string", "number") for kind, value in call[1][0::2]) \
            or any(token != ("op", ",") for token in call[1][1::2]):
        return None
    try:
        return compile_expression(text)({})
    except (MappingError, ValueError, TypeError):
        return None


def _call_problem(text: str, kind: str) -> str | None:
    call = _call(text)
    if call is None:
        return None
    name, args = call
    if name in _OPAQUE_TEXT and kind in CONVERTERS and kind not in ("string", "object", "map", "array"):
        return f"{name}() yields a text (a UUID or digest) that never converts to {kind}"
    wanted = _CONVERSIONS.get(name)
    if wanted and len(args) == 1 and args[0][0] == "string":
        try:
            CONVERTERS[wanted](_unquote(args[0][1]))
        except (ValueError, TypeError):
            return f"{text} fails on every record: '{_unquote(args[0][1])}' does not convert to {wanted}"
    return None


# --- expressions ------------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _strfn(fn: Callable[[str], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else fn(str(value))


def _concat(*values: Any) -> str | None:
    parts = [_to_string(v) for v in values if v is not None]
    return "".join(parts) if parts else None


def _substr(value: Any, start: Any, length: Any = None) -> str | None:
    if value is None:
        return None
    text, begin = str(value), int(start)
    return text[begin:] if length is None else text[begin:begin + int(length)]


def _length(value: Any) -> int | None:
    return None if value is None else len(value if isinstance(value, (list, dict)) else str(value))


def _join(separator: Any, *values: Any) -> str:
    items = values[0] if len(values) == 1 and isinstance(values[0], list) else values
    return str(separator).join(_to_string(v) for v in items if v is not None)


def _to_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, float):
        return int(value)
    return int(str(value).strip())


def _to_float(value: Any) -> float | None:
    return None if value is None else float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)


def _hash(algorithm: str) -> Callable[[Any], Any]:
    return _strfn(lambda text: hashlib.new(algorithm, text.encode()).hexdigest())


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


# name -> (function, min args, max args or None for variadic)
FUNCTIONS: dict[str, tuple[Callable, int, int | None]] = {
    "uuid": (lambda: str(uuid.uuid4()), 0, 0),
    "guid": (lambda: str(uuid.uuid4()), 0, 0),
    "now": (_now, 0, 0),
    "timestamp": (lambda: int(datetime.now(timezone.utc).timestamp() * 1000), 0, 0),
    "concat": (_concat, 1, None),
    "lower": (_strfn(str.lower), 1, 1),
    "lcase": (_strfn(str.lower), 1, 1),
    "upper": (_strfn(str.upper), 1, 1),
    "ucase": (_strfn(str.upper), 1, 1),
    "trim": (_strfn(str.strip), 1, 1),
    "ltrim": (_strfn(str.lstrip), 1, 1),
    "rtrim": (_strfn(str.rstrip), 1, 1),
    "substr": (_substr, 2, 3),
    "length": (_length, 1, 1),
    "len": (_length, 1, 1),
    "size_of": (_length, 1, 1),
    "split": (lambda value, sep: None if value is None else str(value).split(str(sep)), 2, 2),
    "explode": (lambda value, regex=",": None if value is None else re.split(str(regex), str(value)), 1, 2),
    "join": (_join, 2, None),
    "replacestr": (lambda value, old, new: None if value is None else str(value).replace(str(old), str(new)), 3, 3),
    "equals": (lambda a, b: _text(a) == _text(b), 2, 2),
    "equalsIgnoreCase": (lambda a, b: (_text(a) or "").lower() == (_text(b) or "").lower()
                         and (a is None) == (b is None), 2, 2),
    "matches_regex": (lambda value, regex: value is not None and re.search(str(regex), str(value)) is not None, 2, 2),
    "to_integer": (_to_int, 1, 1),
    "to_bigint": (_to_int, 1, 1),
    "to_float": (_to_float, 1, 1),
    "to_decimal": (_to_float, 1, 1),
    "is_empty": (_is_empty, 1, 1),
    "is_set": (lambda value: value is not None, 1, 1),
    "first": (lambda value: value[0] if isinstance(value, list) and value else None, 1, 1),
    "last": (lambda value: value[-1] if isinstance(value, list) and value else None, 1, 1),
    "sha1": (_hash("sha1"), 1, 1),
    "sha256": (_hash("sha256"), 1, 1),
    "md5": (_hash("md5"), 1, 1),
    "iif": (None, 3, 3),  # lazy: compiled specially so only the chosen branch runs
}

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<escaped>\$\{[^}]*\})
    | (?P<ident>[A-Za-z_$@][A-Za-z0-9_$@-]*)
    | (?P<op>==|!=|<=|>=|&&|\|\||[<>!(),.\[\]*])
    )""", re.VERBOSE)
_KEYWORD_OPS = {"and": "&&", "or": "||", "not": "!", "eq": "==", "ne": "!="}
_COMPARE = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
            ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise MappingError(f"Unexpected character {text[pos:].lstrip()[:1]!r} at position {pos} in '{text}'")
        kind = match.lastgroup
        value = match[kind]
        if kind == "ident" and value in _KEYWORD_OPS:
            kind, value = "op", _KEYWORD_OPS[value]
        tokens.append((kind, value))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive descent over: or := and ('||' and)*; and := cmp ('&&' cmp)*; cmp := unary (op unary)?;
    unary := '!' unary | primary; primary := literal | call | path | '(' or ')'."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def parse(self) -> Getter:
        if not self.tokens:
            raise MappingError("Empty expression")
        node = self._or()
        if self.pos != len(self.tokens):
            raise MappingError(f"Unexpected '{self.tokens[self.pos][1]}' in expression '{self.text}'")
        return node

    def _peek(self, value: str) -> bool:
        return self.pos < len(self.tokens) and self.tokens[self.pos] == ("op", value)

    def _expect(self, value: str) -> None:
        if not self._peek(value):
            raise MappingError(f"Expected '{value}' in expression '{self.text}'")
        self.pos += 1

    def _or(self) -> Getter:
        node = self._and()
        while self._peek("||"):
            self.pos += 1
            node = _either(node, self._and())
        return node

    def _and(self) -> Getter:
        node = self._compare()
        while self._peek("&&"):
            self.pos += 1
            node = _both(node, self._compare())
        return node

    def _compare(self) -> Getter:
        left = self._unary()
        for op, fn in _COMPARE.items():
            if self._peek(op):
                self.pos += 1
                right = self._unary()
                return _compared(fn, left, right)
        return left

    def _unary(self) -> Getter:
        if self._peek("!"):
            self.pos += 1
            inner = self._unary()
            return lambda e: not inner(e)
        return self._primary()

    def _primary(self) -> Getter:
        if self.pos >= len(self.tokens):
            raise MappingError(f"Unexpected end of expression '{self.text}'")
        kind, value = self.tokens[self.pos]
        if self._peek("("):
            self.pos += 1
            node = self._or()
            self._expect(")")
            return node
        self.pos += 1
        if kind == "string":
            literal = _unquote(value)
            return lambda e: literal
        if kind == "number":
            number = float(value) if "." in value else int(value)
            return lambda e: number
        if kind == "ident" and value in ("true", "false", "null"):
            constant = {"true": True, "false": False, "null": None}[value]
            return lambda e: constant
        if kind == "ident" and self._peek("("):
            return self._call(value)
        if kind in ("ident", "escaped"):
            return path_getter(self._path([_field_name(value)]))
        raise MappingError(f"Unexpected '{value}' in expression '{self.text}'")

    def _path(self, parts: list) -> list:
        while True:
            if self._peek("."):
                self.pos += 1
                kind, value = self.tokens[self.pos] if self.pos < len(self.tokens) else ("", "")
                if kind not in ("ident", "escaped", "number"):
                    raise MappingError(f"Expected a field name after '.' in expression '{self.text}'")
                parts.append(_field_name(value))
                self.pos += 1
            elif self._peek("["):
                self.pos += 1
                kind, value = self.tokens[self.pos] if self.pos < len(self.tokens) else ("", "")
                if (kind, value) == ("op", "*"):
                    parts.append(SPREAD)
                elif kind != "number":
                    raise MappingError(f"Expected an array index or '*' in expression '{self.text}'")
                else:
                    parts.append(int(value))
                self.pos += 1
                self._expect("]")
            else:
                return parts

    def _call(self, name: str) -> Getter:
        if name not in FUNCTIONS:
            raise MappingError(f"Unsupported function '{name}' in expression '{self.text}'. Supported functions: "
                               + ", ".join(sorted(FUNCTIONS)))
        self._expect("(")
        args: list[Getter] = []
        if not self._peek(")"):
            args.append(self._or())
            while self._peek(","):
                self.pos += 1
                args.append(self._or())
        self._expect(")")
        fn, low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            expected = f"{low}" if low == high else f"{low}..{high if high is not None else 'n'}"
            raise MappingError(f"Function '{name}' takes {expected} argument(s), got {len(args)} in '{self.text}'")
        if name == "iif":
            cond, yes, no = args
            return lambda e: yes(e) if cond(e) else no(e)
        if not args:
            return lambda e: fn()
        if len(args) == 1:
            only = args[0]
            return lambda e: fn(only(e))
        return lambda e: fn(*[arg(e) for arg in args])


def _either(left: Getter, right: Getter) -> Getter:
    return lambda event: bool(left(event)) or bool(right(event))


def _both(left: Getter, right: Getter) -> Getter:
    return lambda event: bool(left(event)) and bool(right(event))


def _compared(fn: Callable, left: Getter, right: Getter) -> Getter:
    return lambda event: _safe_compare(fn, left(event), right(event))


def _safe_compare(fn: Callable, left: Any, right: Any) -> bool:
    try:
        return fn(left, right)
    except TypeError:
        return fn(_text(left), _text(right)) if left is not None and right is not None else False


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def _field_name(token: str) -> str:
    """``${First Name}`` -> ``First Name``; ``${First\\.Name}`` -> ``First.Name``."""
    return token[2:-1].replace("\\.", ".") if token.startswith("${") else token


def compile_expression(text: str) -> Getter:
    """Compile an expression once into ``fn(event) -> value``; raises :class:`MappingError`."""
    return _Parser(text).parse()


def parse_path(path: str) -> list:
    """``visitor.UUID`` -> ``["visitor", "UUID"]``; ``items[0].sku`` -> ``["items", 0, "sku"]``."""
    parser = _Parser(path)
    kind, value = parser.tokens[0] if parser.tokens else ("", "")
    if kind not in ("ident", "escaped") or parser.tokens[1:2] == [("op", "(")]:
        raise MappingError(f"Invalid attribute path '{path}'")
    parser.pos = 1
    parts = parser._path([_field_name(value)])
    if parser.pos != len(parser.tokens):
        raise MappingError(f"Invalid attribute path '{path}'")
    return parts


def path_getter(parts: list) -> Getter:
    if SPREAD in parts:
        return lambda e: _walk_spread(e, parts)
    if len(parts) == 1:
        key = parts[0]
        return lambda e: e.get(key) if isinstance(e, dict) else None
    if len(parts) == 2 and all(isinstance(p, str) for p in parts):
        first, second = parts

        def get2(e):
            inner = e.get(first)
            return inner.get(second) if isinstance(inner, dict) else None
        return get2
    return lambda e: _walk(e, parts)


def _walk(value: Any, parts: Iterable) -> Any:
    for part in parts:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and -len(value) <= part < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return None
    return value


def _walk_spread(value: Any, parts: list) -> Any:
    """Like :func:`_walk`; at ``[*]`` a list with one result per item (nested lists for nested ``[*]``)."""
    for index, part in enumerate(parts):
        if part is SPREAD:
            if not isinstance(value, list):
                return None
            return [_walk_spread(item, parts[index + 1:]) for item in value]
        value = _walk(value, [part])
        if value is None:
            return None
    return value


def compile_source(mapping: dict) -> Getter:
    """The getter for one mapping's source according to its kind."""
    kind = source_kind(mapping)
    source = mapping["source"] if "source" in mapping else mapping.get("sourceAttribute")
    if kind == STATIC:
        return lambda e: source
    if kind == ATTRIBUTE:
        return path_getter(parse_path(source))
    return compile_expression(source)


# --- conversion to the destination type --------------------------------------------------------------

def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        raise ValueError("cannot convert an object or array to a string")
    return str(value)


INT64 = (-2 ** 63, 2 ** 63 - 1)


def _to_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("cannot convert a boolean to an integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{value} is not an integer")
        value = int(value)
    number = value if isinstance(value, int) else int(str(value).strip())
    if not INT64[0] <= number <= INT64[1]:  # XDM integer is a long; AEP refuses a larger value
        raise ValueError(f"{value} is beyond the 64-bit integer range")
    return number


def _to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError("cannot convert a boolean to a number")
    return value if isinstance(value, (int, float)) else float(str(value).strip())


def _to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ValueError(f"'{value}' is not a boolean")
    return text == "true"


def _to_datetime(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    datetime.fromisoformat(str(value))  # raises ValueError when not ISO-8601
    return str(value)


def _to_date(value: Any) -> str:
    text = str(value)
    return date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else date.fromisoformat(text).isoformat()


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), "a number")


def _expect(kind: type, label: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, kind):
            raise ValueError(f"expected {label}, got {_type_name(value)}")
        return value
    return check


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "string": _to_string, "integer": _to_integer, "number": _to_number, "boolean": _to_boolean,
    "date-time": _to_datetime, "date": _to_date, "object": _expect(dict, "an object"),
    "map": _expect(dict, "an object"), "array": _expect(list, "an array"),
}


def converter(field_types: dict[str, str], destination: str) -> Callable[[Any], Any] | None:
    """The converter of a destination: scalars converted to the field's type; arrays item by item; objects field
    by field (a key that is not a field of the object fails); maps value by value. None when the type is unknown."""
    path = xdm.schema_path(field_types, destination) if field_types else None
    return _typed(field_types, path) if path else None


def _typed(types: dict[str, str], path: str) -> Callable[[Any], Any]:
    kind = types[path]
    if kind == "array" and f"{path}[]" in types:
        return _list_of(_typed(types, f"{path}[]"))
    if kind == "map" and f"{path}.*" in types:
        return _map_of(_typed(types, f"{path}.*"))
    if kind == "object":
        prefix = f"{path}."
        children = {p[len(prefix):]: p for p in types
                    if p.startswith(prefix) and "." not in p[len(prefix):] and not p.endswith("[]")}
        if children:
            return _object_of(path, {name: _typed(types, child) for name, child in children.items()})
    return CONVERTERS.get(kind) or (lambda value: value)


def _list_of(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    check = CONVERTERS["array"]

    def convert(value: Any) -> list:
        return [None if v is None else item(v) for v in check(value)]
    return convert


def _map_of(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    check = CONVERTERS["map"]

    def convert(value: Any) -> dict:
        return {k: item(v) for k, v in check(value).items() if v is not None}
    return convert


def _object_of(path: str, fields: dict[str, Callable[[Any], Any]]) -> Callable[[Any], Any]:
    check = CONVERTERS["object"]

    def convert(value: Any) -> dict:
        out = {}
        for key, item in check(value).items():
            if key not in fields:
                raise ValueError(f"'{key}' is not a field of '{path}'")
            if item is not None:
                out[key] = fields[key](item)
        return out
    return convert


# --- the compiled mapper ------------------------------------------------------------------------------

class Mapper:
    """Applies a compiled mapping set to raw events."""

    def __init__(self, operations: list[tuple], required: list[tuple[str, list]]):
        self._operations = operations  # (destination, parts, getter, converter or None)
        self._required = required      # (path, parts)

    def apply(self, event: dict) -> tuple[dict | None, list[str]]:
        """(record, []) on success, (None, errors) when a mapping or a required field fails."""
        record: dict = {}
        errors: list[str] = []
        for destination, parts, getter, convert in self._operations:
            try:
                value = getter(event)
                if value is None:
                    continue
                if SPREAD in parts:
                    _assign_spread(record, parts, value, convert)
                    continue
                if convert is not None:
                    value = convert(value)
            except (ValueError, TypeError, ArithmeticError, re.error) as exc:
                errors.append(f"Mapping to '{destination}' failed: {exc}")
                continue
            _assign(record, parts, value)
        for path, parts in self._required:
            if _walk(record, parts) is None:
                errors.append(f"Required field '{path}' is missing from the mapped record")
        return (None, errors) if errors else (record, errors)


def _assign_spread(record: dict, parts: list, value: Any, convert: Callable[[Any], Any] | None) -> None:
    """Assign item by item: the first ``[*]`` of ``parts`` takes the index of each item of ``value``."""
    at = parts.index(SPREAD)
    if not isinstance(value, list):
        raise ValueError(f"expected an array for '[*]', got {_type_name(value)}")
    for index, item in enumerate(value):
        if item is None:
            continue
        concrete = [*parts[:at], index, *parts[at + 1:]]
        if SPREAD in concrete:
            _assign_spread(record, concrete, item, convert)
        else:
            _assign(record, concrete, convert(item) if convert is not None else item)


def _assign(record: dict, parts: list, value: Any) -> None:
    node: Any = record
    for part, following in zip(parts, parts[1:]):
        empty = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append(None)
            if node[part] is None:
                node[part] = empty
            node = node[part]
        else:
            node = node.setdefault(part, empty)
    last = parts[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def _destination_parts(destination: str) -> list:
    parts: list = []
    for segment in destination.split("."):
        name, *indexes = re.split(r"\[(\d+|\*)\]", segment)
        parts.append(name)
        parts.extend(SPREAD if i == "*" else int(i) for i in indexes if i != "")
    return parts


def compile_mapping_set(mapping_set: dict, field_types: dict[str, str] | None = None,
                        required: list[str] | None = None) -> Mapper:
    """Compile a mapping set (stored or request form) once. Destination types and required paths default to
    the snapshot Data Prep stores in ``mapping_set["_emulator"]`` (``fieldTypes``, ``requiredPaths``)."""
    snapshot = mapping_set.get("_emulator", {})
    field_types = snapshot.get("fieldTypes", {}) if field_types is None else field_types
    required = snapshot.get("requiredPaths", []) if required is None else required
    operations = []
    for mapping in mapping_set.get("mappings", []):
        destination = mapping.get("destination", mapping.get("destinationXdmPath"))
        operations.append((destination, _destination_parts(destination), compile_source(mapping),
                           converter(field_types, destination)))
    return Mapper(operations, [(path, _destination_parts(path)) for path in required])
