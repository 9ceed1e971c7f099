"""JSON round-trips for the neutral message model, so alerts can be stored and re-rendered."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from enum import Enum
from typing import Any

from bot.domain.message import Message


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, datetimes and tuples -> JSON-compatible values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def _build(tp: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(args[0], raw) if args else raw
    if origin is tuple:
        targs = typing.get_args(tp)
        inner = targs[0] if targs else Any
        return tuple(_build(inner, v) for v in raw)
    if origin is dict or tp is Any:
        return raw
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = typing.get_type_hints(tp)
            names = {f.name for f in dataclasses.fields(tp)}
            kwargs = {k: _build(hints[k], v) for k, v in raw.items() if k in names}
            return tp(**kwargs)
        if issubclass(tp, Enum):
            return tp(raw)
        if tp is datetime:
            return datetime.fromisoformat(raw)
    return raw


def message_from_jsonable(raw: dict[str, Any]) -> Message:
    """The inverse of `to_jsonable` for a Message (unknown keys are ignored)."""
    result: Message = _build(Message, raw)
    return result
