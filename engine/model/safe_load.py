"""Reading YAML and JSON from untrusted hands: refuse what could not be meant before building anything.

YAML goes through libyaml (PyYAML's C parser) in two passes. The first reads only
the event stream and refuses aliases (a few hundred bytes of them expand into
gigabytes: the "billion laughs"), explicit tags (`!!binary`, `!!python/...`) and
nesting deeper than `bounds.MAX_DEPTH`. The second composes the nodes, checks
every scalar and collection against the bounds (text that is not UTF-8, numbers
longer than any the law uses, lists and mappings too long), and only then
constructs Python values, refusing duplicate keys and impossible dates at their
place. JSON gets the same limits: its nesting is measured on the text before the
(recursive) decoder runs, and its numbers' length is checked before `int()`.

Every refusal is an `InputRefused` with a message naming the limit and, where the
input has one, the line and column.
"""

from __future__ import annotations

import json
import re

import yaml

from dsl import bounds


class InputRefused(Exception):
    """Written out rather than a dataclass (equal by its fields, as one was): a dataclass is made by `exec` at import."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:  # line, column 1-based
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return (self.message, self.line, self.column) == (other.message, other.line, other.column)  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(message={self.message!r}, line={self.line!r}, column={self.column!r})"


def _at(mark: yaml.Mark | None) -> tuple[int | None, int | None]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _refuse(message: str, mark: yaml.Mark | None) -> InputRefused:
    return InputRefused(message, *_at(mark))


class _Constructor(yaml.CSafeLoader):
    """PyYAML's C safe loader, with a date that does not exist, an over-long number and a repeated key refused."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as e:
            raise _refuse(f"{node.value} is not a date of the calendar ({e})", node.start_mark) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:  # type: ignore[override]
        seen: dict[object, yaml.Node] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in seen:
                line = seen[key].start_mark.line + 1
                raise _refuse(f"the key '{key}' is given twice (first on line {line}); give each key once",
                              key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_yaml_map)


def load_yaml(text: str) -> tuple[object, yaml.Node | None]:
    """The document's data and its node tree (for the place of every key); `yaml.YAMLError` for bad syntax."""
    _check_text(text)
    _scan_events(text)
    loader = _Constructor(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_nodes(node)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def _check_text(text: str) -> None:
    """A text handed over as a Python string (the API, a form) may hold what no UTF-8 file can: a lone surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        line = text.count("\n", 0, e.start) + 1
        column = e.start - (text.rfind("\n", 0, e.start) + 1) + 1
        raise InputRefused(f"{text[e.start]!r} is not a character (a lone surrogate): the text is not valid Unicode",
                           line, column) from None


def _scan_events(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(f"an alias (*{event.anchor}) repeats another part of the file; write each value out "
                          "(aliases are not accepted: a few of them can expand into gigabytes)", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None and isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            explicit = not (event.implicit[0] if isinstance(event, yaml.ScalarEvent) else event.implicit)
            if explicit:
                raise _refuse(f"a tag ({tag}) is not accepted in a case; write the value plainly", event.start_mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > bounds.MAX_DEPTH:
                raise _refuse(f"lists and mappings nest deeper than the limit of {bounds.MAX_DEPTH} levels", event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


_NUMBERISH = re.compile(r"[-+]?[0-9.]")


def _check_nodes(root: yaml.Node) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            problem = bounds.text_problem(node.value)
            if problem is None and node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") \
                    and len(node.value) > bounds.NUMBER_CHARS:
                problem = (f"a number of {len(node.value):,} characters is longer than the limit of "
                           f"{bounds.NUMBER_CHARS}")
            if problem:
                raise _refuse(problem, node.start_mark)
        elif isinstance(node, yaml.SequenceNode):
            if len(node.value) > bounds.MAX_LIST_ITEMS:
                raise _refuse(f"a list of {len(node.value):,} entries is longer than the limit of {bounds.MAX_LIST_ITEMS:,}",
                              node.start_mark)
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            if len(node.value) > bounds.MAX_FACTS:
                raise _refuse(f"a mapping of {len(node.value):,} entries is longer than the limit of {bounds.MAX_FACTS:,}",
                              node.start_mark)
            for key, value in node.value:
                stack.append(key)
                stack.append(value)


# ---------------------------------------------------------------- JSON

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth_problem(text: str) -> InputRefused | None:
    """Nesting past the limit, found on the text (strings skipped), so that the recursive decoder never meets it."""
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > bounds.MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                return InputRefused(f"lists and mappings nest deeper than the limit of {bounds.MAX_DEPTH} levels", line, column)
        elif c in "]}":
            depth -= 1
    return None


def _number(kind: type) -> object:
    def parse(s: str) -> object:
        if len(s) > bounds.NUMBER_CHARS:
            raise InputRefused(f"a number of {len(s):,} characters is longer than the limit of {bounds.NUMBER_CHARS}")
        return kind(s)
    return parse


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise InputRefused(f"the key '{key}' is given twice; give each key once")
        out[key] = value
    if len(out) > bounds.MAX_FACTS:
        raise InputRefused(f"a mapping of {len(out):,} entries is longer than the limit of {bounds.MAX_FACTS:,}")
    return out


def load_json(text: str) -> object:
    """The JSON document; `json.JSONDecodeError` for bad syntax, `InputRefused` for a limit passed."""
    problem = json_depth_problem(text)
    if problem is not None:
        raise problem
    data = json.loads(text, parse_int=_number(int), parse_float=_number(float), object_pairs_hook=_pairs)
    _check_values(data)
    return data


def _check_values(root: object) -> None:
    stack = [root]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            problem = bounds.text_problem(value)
            if problem:
                raise InputRefused(problem)
        elif isinstance(value, list):
            if len(value) > bounds.MAX_LIST_ITEMS:
                raise InputRefused(f"a list of {len(value):,} entries is longer than the limit of {bounds.MAX_LIST_ITEMS:,}")
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
