"""Load a YAML file into plain data while keeping the line of every key and item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.domain.errors import RuleError

MAX_BYTES = 1_000_000
MAX_ALIASES = 100
MAX_NODES = 200_000  # values after expanding aliases; a "billion laughs" file is far above

KeyPath = tuple[str | int, ...]

# libyaml parses rule files several times faster; the pure-Python loader is the fallback.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    """How many values the node stands for once every alias is expanded."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a recursive alias counts once instead of looping
    size = 1
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            size += _expanded_size(key_node, memo) + _expanded_size(value_node, memo)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo)
    memo[id(node)] = size
    return size


class _Walk:
    """Records the line of every key path; counts alias references on the way."""

    def __init__(self) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.seen: set[int] = set()
        self.aliases = 0
        self.alias_line = 0

    def walk(self, node: Node, path: KeyPath) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, ScalarNode):
            return
        if id(node) in self.seen:
            # A node reached twice is an alias; its lines are where it was defined.
            self.aliases += 1
            self.alias_line = self.alias_line or self.lines[path]
            return
        self.seen.add(id(node))
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
                self.walk(value_node, (*path, key))
                # The key's own line is the better pointer than the value's for a mapping key.
                self.lines[(*path, key)] = key_node.start_mark.line + 1
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                self.walk(item, (*path, i))


def load_yaml_text(text: str, name: str) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML text into (data, lines); `lines` maps a key path to its 1-based line.

    Raises:
        RuleError: the text is not valid YAML or uses aliases to blow up its size.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        if _expanded_size(node, {}) > MAX_NODES:
            raise RuleError(
                f"YAML aliases expand to more than {MAX_NODES} values; write the values out",
                file=name,
                line=1,
            )
        walk = _Walk()
        walk.walk(node, ())
        if walk.aliases > MAX_ALIASES:
            raise RuleError(
                f"too many YAML aliases (more than {MAX_ALIASES}); write the values out",
                file=name,
                line=walk.alias_line or 1,
            )
        data = loader.construct_document(node)
    except RuleError:
        raise
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if mark is not None and e.context_mark is not None and mark.index >= len(text.rstrip()):
            mark = e.context_mark  # "unexpected end": point at what was left open
        line = mark.line + 1 if mark is not None else None
        problem = e.problem or e.context or "invalid YAML"
        raise RuleError(f"invalid YAML: {problem}", file=name, line=line) from e
    except yaml.YAMLError as e:
        raise RuleError(f"invalid YAML: {e}", file=name) from e
    finally:
        loader.dispose()
    return data, walk.lines


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[KeyPath, int]]:
    """Read a YAML file (at most 1 MB) into (data, lines) keyed by key path.

    Raises:
        RuleError: the file is missing, too large, not UTF-8 or not valid YAML.
    """
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RuleError(f"file is {size} bytes, over the {MAX_BYTES} byte limit", file=name)
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as e:
        raise RuleError(f"cannot read file: {e.strerror or e}", file=name) from e
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise RuleError(
            f"file is not UTF-8 text (byte 0x{raw[e.start]:02x})", file=name, line=line
        ) from e
    return load_yaml_text(text, name)


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of `path`, or of its nearest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())
