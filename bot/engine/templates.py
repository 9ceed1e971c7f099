"""Message and key templates: plain `{name}` fields, rendered safely from extracted facts."""

from __future__ import annotations

import re
import string
from typing import Any

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TemplateError(ValueError):
    """A template is malformed; the message says how."""


def template_fields(template: str) -> list[str]:
    """The field names a template uses.

    Raises:
        TemplateError: unbalanced braces, or a field that is not a plain name (attribute or
            index access, conversions and format specs are refused).
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as e:
        raise TemplateError(f"malformed template: {e}") from e
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _NAME.match(name) or spec or conversion:
            raise TemplateError(f"template field '{{{name}}}' must be a plain {{name}}")
        names.append(name)
    return names


def format_value(value: Any) -> str:
    """A fact as text: lists joined with commas, whole floats without '.0', None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def render(template: str, values: dict[str, Any]) -> str:
    """Fill `template` from `values`; a missing or empty fact renders as ''. Never raises."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return template
    out: list[str] = []
    for literal, name, _spec, _conversion in parsed:
        out.append(literal)
        if name is not None:
            out.append(format_value(values.get(name)))
    return " ".join("".join(out).split())
