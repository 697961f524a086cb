"""YAML reading that remembers line numbers, so every error can name file and line.

PyYAML drops positions once it builds Python objects; these subclasses keep the line of
each mapping, each key and each list item (1-based, as editors show them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode


class LineDict(dict[str, Any]):
    """A mapping that knows the line it starts on and the line of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A list that knows the line it starts on and the line of each item."""

    line: int
    item_lines: list[int]


# libyaml's C parser reads a 10,000-fact base about ten times faster than PyYAML's
# pure-Python one; construction (where lines are kept) stays in Python either way.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader whose mappings and sequences carry their source lines."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            result[str(key)] = self.construct_object(value_node, deep=True)
            result.key_lines[str(key)] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


def _construct_map(loader: _LineLoader, node: Node) -> LineDict:
    assert isinstance(node, MappingNode)
    return loader.construct_mapping(node, deep=True)


def _construct_seq(loader: _LineLoader, node: Node) -> LineList:
    assert isinstance(node, SequenceNode)
    return loader.construct_sequence(node, deep=True)


# Dates stay text here: PyYAML would raise a bare ValueError for "2023-02-30" and lose the
# line, whereas FieldReader.day parses them and reports file, line and field.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


class YamlSyntaxError(Exception):
    """A file that is not valid YAML, with the line where the parser gave up."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(f"{path}:{line}: {problem}")


def read_yaml(path: Path) -> Any:
    """Parse one YAML file into LineDict/LineList values, or raise YamlSyntaxError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlSyntaxError(path, None, f"cannot read file: {exc}") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(path, line, f"invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(path, None, f"invalid YAML: {exc}") from exc
