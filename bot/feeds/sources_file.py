"""The declared sources file (`sources.yaml`): load with file:line errors, add and remove.

`add_source` and `remove_source` edit the text in place, so comments and layout elsewhere
in the file survive; only a file whose list is not in block style is rewritten whole.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.domain.errors import ConfigError, NotFoundError
from bot.domain.models import SourceKind, SourceSpec

DEFAULT_INTERVAL_S = 900
_KEYS = ("name", "kind", "url", "path", "interval", "enabled")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_DURATION_PART = re.compile(r"(\d+)\s*([smhd])", re.I)
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
HEADER = (
    "# Sources Redline polls. kind: feed (RSS, Atom or JSON Feed over http/https, `url`)\n"
    "# or directory (a folder of article files, `path`, relative to this file).\n"
    "# interval: how often to poll, like 30s, 15m, 1h.\n"
)


def parse_interval(value: Any) -> int | None:
    """'30s', '15m', '1h', '1h30m' or a number of seconds -> seconds; None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace(" ", "")
    if text.isdigit():
        return int(text) or None
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    total = sum(int(n) * _UNIT_S[u] for n, u in parts)
    return total or None


def format_interval(seconds: int) -> str:
    """Seconds as the shortest duration the file accepts: 60 -> '1m', 90 -> '90s'."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True, slots=True)
class _Item:
    spec: SourceSpec
    node: yaml.MappingNode


def _fail(file: str, node: yaml.Node, message: str) -> ConfigError:
    return ConfigError(f"{file}:{node.start_mark.line + 1}: {message}")


def _scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return node  # the caller reports a list or mapping where a value belongs
    return loader.construct_object(node, deep=True)  # type: ignore[no-untyped-call]


def _item(node: yaml.Node, *, file: str, base_dir: Path, loader: yaml.SafeLoader) -> SourceSpec:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(file, node, "each source must be a mapping with name, kind and url or path.")
    values: dict[str, tuple[Any, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = _scalar(loader, key_node)
        if key not in _KEYS:
            raise _fail(file, key_node, f"unknown key '{key}'; a source has {', '.join(_KEYS)}.")
        values[key] = (_scalar(loader, value_node), value_node)
    name, name_node = values.get("name", (None, node))
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise _fail(
            file,
            name_node,
            "a source needs a name of letters, digits, '.', '_' or '-' (at most 64).",
        )
    url, url_node = values.get("url", (None, node))
    path, path_node = values.get("path", (None, node))
    kind_text, kind_node = values.get("kind", ("feed" if path is None else "directory", node))
    try:
        kind = SourceKind(str(kind_text).lower())
    except ValueError:
        raise _fail(
            file, kind_node, f"source '{name}' has kind '{kind_text}'; use feed or directory."
        ) from None
    if kind is SourceKind.FEED:
        if path is not None:
            raise _fail(file, path_node, f"feed source '{name}' takes a url, not a path.")
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise _fail(file, url_node, f"feed source '{name}' needs an http or https url.")
        location = url.strip()
    else:
        if url is not None:
            raise _fail(file, url_node, f"directory source '{name}' takes a path, not a url.")
        if not isinstance(path, str) or not path.strip():
            raise _fail(file, path_node, f"directory source '{name}' needs a path.")
        location = str((base_dir / Path(path.strip()).expanduser()).resolve())
    raw_interval, interval_node = values.get("interval", (DEFAULT_INTERVAL_S, node))
    interval = parse_interval(raw_interval)
    if interval is None:
        raise _fail(
            file,
            interval_node,
            f"source '{name}' has interval '{raw_interval}'; use a duration like 30s, 15m or 1h.",
        )
    enabled, enabled_node = values.get("enabled", (True, node))
    if not isinstance(enabled, bool):
        raise _fail(
            file, enabled_node, f"source '{name}' has enabled '{enabled}'; use true or false."
        )
    return SourceSpec(name, kind, location, interval, enabled)


def _items(text: str, *, file: str, base_dir: Path) -> tuple[list[_Item], yaml.Node | None]:
    """The sources and the YAML node of the `sources:` list (None when there is none)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{file}{line}: this is not valid YAML ({e.problem}).") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{file}: this is not valid YAML ({e}).") from e
    if root is None:
        return [], None
    if not isinstance(root, yaml.MappingNode):
        raise _fail(file, root, "the file must be a mapping with a 'sources:' list.")
    loader = yaml.SafeLoader("")
    seq: yaml.Node | None = None
    for key_node, value_node in root.value:
        if _scalar(loader, key_node) != "sources":
            raise _fail(file, key_node, f"unknown key '{key_node.value}'; expected 'sources:'.")
        seq = value_node
    if seq is None or (isinstance(seq, yaml.ScalarNode) and seq.tag.endswith(":null")):
        return [], seq
    if not isinstance(seq, yaml.SequenceNode):
        raise _fail(file, seq, "'sources:' must be a list of sources.")
    items: list[_Item] = []
    seen: set[str] = set()
    for node in seq.value:
        spec = _item(node, file=file, base_dir=base_dir, loader=loader)
        if spec.name in seen:
            raise _fail(file, node, f"there are two sources called '{spec.name}'.")
        seen.add(spec.name)
        assert isinstance(node, yaml.MappingNode)  # _item refused anything else
        items.append(_Item(spec, node))
    return items, seq


def parse_sources(text: str, *, file: str = "sources.yaml", base_dir: Path) -> list[SourceSpec]:
    """Sources declared in YAML `text`; relative directory paths resolve against `base_dir`.

    Raises:
        ConfigError: one sentence naming file:line, the source and the expected value.
    """
    items, _ = _items(text, file=file, base_dir=base_dir)
    return [i.spec for i in items]


def load_sources(path: Path) -> list[SourceSpec]:
    """The sources declared in the file at `path`; none when the file does not exist.

    Raises:
        ConfigError: the file is unreadable or invalid (the message names file:line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path} could not be read: {e}.") from e
    return parse_sources(text, file=path.name, base_dir=path.resolve().parent)


def _quote(value: str) -> str:
    try:
        plain_ok = yaml.safe_load(value) == value and "#" not in value and ": " not in value
    except yaml.YAMLError:
        plain_ok = False
    return value if plain_ok and value.strip() == value and value else _json_quote(value)


def _json_quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _render(spec: SourceSpec, base_dir: Path, indent: str) -> list[str]:
    if spec.kind is SourceKind.DIRECTORY:
        where = Path(spec.location)
        with contextlib.suppress(ValueError):  # outside the file's folder: stay absolute
            where = where.resolve().relative_to(base_dir.resolve())
        place = f"path: {_quote(where.as_posix())}"
    else:
        place = f"url: {_quote(spec.location)}"
    lines = [
        f"{indent}- name: {_quote(spec.name)}",
        f"{indent}  kind: {spec.kind.value}",
        f"{indent}  {place}",
        f"{indent}  interval: {format_interval(spec.interval_s)}",
    ]
    if not spec.enabled:
        lines.append(f"{indent}  enabled: false")
    return lines


def render_sources(specs: Sequence[SourceSpec], *, base_dir: Path) -> str:
    """A whole sources file (the standard header comment, then the list)."""
    body = [line for spec in specs for line in _render(spec, base_dir, "  ")]
    return HEADER + "sources:\n" + "".join(line + "\n" for line in body)


def _write(path: Path, text: str) -> None:
    """Replace the file atomically, so a crash never leaves half a sources file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".sources-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_filler(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _span(lines: list[str], node: yaml.Node) -> tuple[int, int]:
    """Line range [start, end) of one list item, without trailing blank or comment lines."""
    start, end = node.start_mark.line, node.end_mark.line
    if end < len(lines) and lines[end][: node.end_mark.column].strip():
        end += 1  # the item ends inside this line (a file without a final newline)
    end = min(end, len(lines))
    while end > start + 1 and _is_filler(lines[end - 1]):
        end -= 1
    return start, end


def add_source(path: Path, spec: SourceSpec) -> None:
    """Append `spec` to the sources file (created if missing), keeping its comments.

    Raises:
        ConfigError: the file is invalid, or a source with that name already exists.
    """
    base_dir = path.resolve().parent
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    items, seq = _items(text, file=path.name, base_dir=base_dir)
    if any(i.spec.name == spec.name for i in items):
        raise ConfigError(f"A source called '{spec.name}' already exists in {path.name}.")
    block_list = isinstance(seq, yaml.SequenceNode) and not seq.flow_style and items
    if not block_list:
        # No block list to extend (new file, empty or flow-style list): write it out whole.
        new_text = render_sources([*(i.spec for i in items), spec], base_dir=base_dir)
    else:
        lines = text.splitlines()
        first = items[0].node
        dash = lines[first.start_mark.line].find("-")
        indent = " " * max(dash, 0)
        _, end = _span(lines, items[-1].node)
        lines[end:end] = _render(spec, base_dir, indent)
        new_text = "\n".join(lines) + "\n"
    parse_sources(new_text, file=path.name, base_dir=base_dir)  # never write a broken file
    _write(path, new_text)


def remove_source(path: Path, name: str) -> None:
    """Delete the source called `name` from the file, keeping everything else as written.

    Raises:
        NotFoundError: no source has that name.
        ConfigError: the file is invalid.
    """
    base_dir = path.resolve().parent
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    items, _ = _items(text, file=path.name, base_dir=base_dir)
    match = [i for i in items if i.spec.name == name]
    if not match:
        raise NotFoundError(f"There is no source called '{name}' in {path.name}.")
    lines = text.splitlines()
    start, end = _span(lines, match[0].node)
    del lines[start:end]
    new_text = "\n".join(lines) + "\n"
    parse_sources(new_text, file=path.name, base_dir=base_dir)
    _write(path, new_text)
