"""How values read to a person: compact reprs, and text made safe to show.

``repr()`` of a message, an address, a status or a part is one line of valid-looking Python that
names the class and only what is set, so a log line or a REPL shows what matters:
``DeliverReq(transaction_id='t1', version='6.8.0', sender=Number('15553199144'), ...)``.
Everything in a decoded message came from a peer, so a repr is bounded whatever it holds: each
text shows at most ``MAX_REPR_TEXT`` characters (the cut marked by ``...`` inside the quotes, as
``reprlib`` does), each list at most ``MAX_REPR_ITEMS`` items (then a literal ``...``), a part
only its media type, size, id and number of children; control characters are escaped as Python's
own repr escapes them. The cost of a repr therefore does not grow with the message either.

``terminal_safe`` is the stricter escaping the command line and ``str()`` use for peer text.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable
from typing import Any

from ._versions import namespace_for_version

__all__ = [
    "MAX_REPR_ITEMS",
    "MAX_REPR_TEXT",
    "call_repr",
    "fields_repr",
    "message_repr",
    "shown_as_is",
    "terminal_safe",
    "text_repr",
    "value_repr",
]

#: Characters of one text value a repr shows.
MAX_REPR_TEXT = 100
#: Items of one list or tuple a repr shows.
MAX_REPR_ITEMS = 5
#: Fields every message repr names, set or not: they identify the message.
_IDENTIFYING = ("transaction_id", "version")


def text_repr(text: str) -> str:
    """``repr(text)``, or for a long text the repr of its start with ``...`` before the
    closing quote. A ``str`` subclass that names itself in its repr (``MM7Version('6.8.0')``)
    keeps its name around the cut text."""
    plain = str.__str__(text)
    if len(plain) <= MAX_REPR_TEXT:
        shown = repr(plain)
    else:
        shown = repr(plain[:MAX_REPR_TEXT])
        shown = f"{shown[:-1]}...{shown[-1]}"
    if type(text).__repr__ is str.__repr__:
        return shown
    return f"{type(text).__name__}({shown})"


def _items_repr(items: Iterable[Any], opening: str, closing: str) -> str:
    shown: list[str] = []
    for item in items:
        if len(shown) == MAX_REPR_ITEMS:
            shown.append("...")
            break
        shown.append(value_repr(item))
    if opening == "(" and len(shown) == 1:
        return f"({shown[0]},)"
    return f"{opening}{', '.join(shown)}{closing}"


def value_repr(value: Any) -> str:
    """The bounded repr of one field value: texts cut, lists and tuples cut, everything else
    by its own repr (the library's value types keep theirs bounded)."""
    if isinstance(value, str):
        return text_repr(value)
    if isinstance(value, tuple):
        return _items_repr(value, "(", ")")
    if isinstance(value, list):
        return _items_repr(value, "[", "]")
    return repr(value)


def call_repr(name: str, *arguments: Any, **keywords: Any) -> str:
    """``name(argument, ..., keyword=value, ...)`` with each value's bounded repr."""
    shown = [value_repr(argument) for argument in arguments]
    shown.extend(f"{key}={value_repr(value)}" for key, value in keywords.items())
    return f"{name}({', '.join(shown)})"


def _is_set(field: dataclasses.Field[Any], value: Any) -> bool:
    """Whether a repr names the field: not None, and not the plain default it was declared
    with (a default built by a factory, such as a response's Status, is always named)."""
    if value is None or not field.repr:
        return False
    default = field.default
    return default is dataclasses.MISSING or default is None or value != default


def fields_repr(instance: Any) -> str:
    """The compact repr of a dataclass: its class name and the fields that are set, by
    keyword (``Duration(days=1)``, ``ReplyCharging(size=1000)``)."""
    keywords = {
        field.name: value
        for field in dataclasses.fields(instance)
        if _is_set(field, value := getattr(instance, field.name))
    }
    return call_repr(type(instance).__name__, **keywords)


def message_repr(message: Any) -> str:
    """The compact repr of a message: its TransactionID and MM7Version always, its namespace
    only when it is not the version's own, then every other field that is set, in field
    order. ``deviations``, ``extras`` and ``peer_pairing`` are not shown."""
    keywords: dict[str, Any] = {}
    for field in dataclasses.fields(message):
        value = getattr(message, field.name)
        if field.name in _IDENTIFYING:
            keywords[field.name] = value
        elif field.name == "namespace":
            if value and value != namespace_for_version(message.version):
                keywords[field.name] = value
        elif _is_set(field, value):
            keywords[field.name] = value
    return call_repr(type(message).__name__, **keywords)


def shown_as_is(character: str) -> bool:
    """Whether a terminal shows the character as itself. ``str.isprintable`` is False for the
    control (Cc: C0, DEL, C1), format (Cf: bidi overrides, zero-width), surrogate, private-use
    and unassigned characters, the line and paragraph separators, and the spaces other than
    U+0020; those spaces are harmless and stay."""
    return character.isprintable() or unicodedata.category(character) == "Zs"


def _escaped(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control, format and separator character written as an escape
    (``\\x1b``, ``\\u202e``), so peer data shown on a terminal cannot act on it."""
    if text.isprintable():
        return text
    return "".join(c if shown_as_is(c) else _escaped(c) for c in text)
