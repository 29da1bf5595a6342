"""What the command line prints: a readable text summary of a message, and JSON text.

Everything in a message came from a peer, so nothing of it reaches a terminal raw: the text
summary and the JSON text show every control character escaped (C0, DEL, C1, and the format
and separator characters such as U+202E, which reorders what follows it on screen).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from ._messages import Message
from ._parts import Part, shown_size
from ._repr import shown_as_is, terminal_safe
from ._status import Status
from ._values import Address, Duration, Recipients

__all__ = ["render_json", "render_text"]

# Shown in the heading or below, or bookkeeping (the pairing a reply echoes): not as fields.
_HIDDEN = {"transaction_id", "version", "namespace", "deviations", "content", "peer_pairing"}


def _json_escaped(character: str) -> str:
    code = ord(character)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _json_safe(line: str) -> str:
    if line.isprintable():
        return line
    return "".join(c if shown_as_is(c) else _json_escaped(c) for c in line)


def render_json(data: Any) -> str:
    """``data`` as indented JSON, non-ASCII text kept readable, and every character that
    ``terminal_safe`` escapes written as a JSON escape (``json.dumps`` leaves DEL, C1 and the
    format characters raw), so the values read back exactly. Raw line breaks only ever
    separate JSON tokens: inside strings ``json.dumps`` has escaped them already."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return "\n".join(_json_safe(line) for line in text.split("\n"))


def _short(value: Any) -> str:
    if isinstance(value, Address):
        return f"{value.kind} {value.value}"
    if isinstance(value, Recipients):
        lists = (
            f"{name}=[{', '.join(_short(a) for a in getattr(value, name))}]"
            for name in ("to", "cc", "bcc")
            if getattr(value, name)
        )
        return " ".join(lists)
    if isinstance(value, Status):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Message):
        return f"{type(value).__name__} {_short(getattr(value, 'status', ''))}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, tuple):
        return f"[{', '.join(_short(item) for item in value)}]"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # ReplyCharging, ...
        shown = (
            f"{field.name}={_short(getattr(value, field.name))}"
            for field in dataclasses.fields(value)
            if getattr(value, field.name) is not None
        )
        return f"{type(value).__name__}({', '.join(shown)})"
    return str(value)


def _tree(part: Part, depth: int, lines: list[str]) -> None:
    label = f"{'  ' * depth}- {part.content_type}"
    if part.content_id:
        label += f" <{part.content_id}>"
    if part.content_location:
        label += f" {part.content_location!r}"
    if part.is_multipart:
        label += f" ({len(part.parts)} parts)"
    elif (size := shown_size(part)) is not None:
        label += f" {size} bytes"
    lines.append(label)
    for child in part.parts:
        _tree(child, depth + 1, lines)


def render_text(message: Message) -> str:
    """A readable multi-line summary: type, version, fields, part tree, deviations. Each line
    is made terminal-safe as a whole, so no value in it, whatever its type, is shown raw."""
    namespace_tail = message.namespace.rsplit("/", 1)[-1] or "(none)"
    version = message.version or "-"
    lines = [
        f"{type(message).__name__}  MM7Version {version}  namespace {namespace_tail}",
        f"  TransactionID: {message.transaction_id}",
    ]
    for field in dataclasses.fields(message):
        value = getattr(message, field.name)
        if field.name in _HIDDEN or value is None or value == ():
            continue
        lines.append(f"  {field.name}: {_short(value)}")
    content = getattr(message, "content", None)
    if content is not None:
        lines.append("  content:")
        _tree(content, 2, lines)
    if message.deviations:
        lines.append(f"  deviations tolerated ({len(message.deviations)}):")
        lines.extend(f"    - {deviation}" for deviation in message.deviations)
    return "\n".join(terminal_safe(line) for line in lines)
