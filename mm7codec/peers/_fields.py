"""Reading a message through the spec tables: field values by element path, which version and
namespace a peer expects, and what a message would lose in another schema.

Lint and prepare share these, so both judge a message by the same tables the encoder uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from .._messages import Message
from .._spec import SPEC, ElementSpec
from .._values import Address, Recipients
from .._versions import MM7Version, namespace_for_version, schema_index
from ._model import Versions

__all__ = [
    "accepts",
    "expected_namespace",
    "is_present",
    "lost_in_schema",
    "value_at",
    "without",
]


def value_at(message: Message, path: str) -> Any:
    """The value of a field path such as ``subject`` or ``reply_charging.size``."""
    value: Any = message
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def is_present(value: Any) -> bool:
    """Whether a value would be written: not None, and not an empty list of recipients."""
    if value is None:
        return False
    if isinstance(value, (Recipients, tuple)):
        return bool(value)
    return True


def without(message: Message, path: str) -> Message:
    """``message`` with the field at ``path`` removed (set to None)."""
    head, _, rest = path.partition(".")
    if rest:
        cleared: dict[str, Any] = {head: replace(getattr(message, head), **{rest: None})}
    else:
        cleared = {head: None}
    return replace(message, **cleared)


def _parse(version: str) -> MM7Version | None:
    try:
        return MM7Version.parse(version)
    except ValueError:
        return None


def accepts(versions: Versions, version: str) -> bool:
    """Whether the peer takes this MM7Version (a set, a range, or both; neither: any)."""
    parsed = _parse(version)
    if parsed is None:
        return False
    if not versions.accept and versions.accept_min is None and versions.accept_max is None:
        return True
    if any(parsed == MM7Version.parse(v) for v in versions.accept):
        return True
    if versions.accept_min is None and versions.accept_max is None:
        return False
    low = MM7Version.parse(versions.accept_min) if versions.accept_min else None
    high = MM7Version.parse(versions.accept_max) if versions.accept_max else None
    return (low is None or parsed >= low) and (high is None or parsed <= high)


def expected_namespace(versions: Versions, version: str) -> str | None:
    """The namespace the peer pairs with ``version``: its own pairing, else the standard."""
    parsed = _parse(version)
    if parsed is None:
        return None
    tail = versions.namespaces.get(str(parsed))
    if tail is not None:
        return SPEC.mm7_namespace_base + tail
    return namespace_for_version(str(parsed))


def _members(elements: tuple[ElementSpec, ...]) -> Iterator[tuple[ElementSpec, int]]:
    """Every element, group members flattened, with the first schema that has it."""
    for element in elements:
        if element.is_group:
            for member in element.children:
                yield member, max(element.since, member.since)
        else:
            yield element, element.since


_ADDRESS_ATTRIBUTE_SINCE = {
    attribute["field"]: SPEC.namespace_index(SPEC.mm7_namespace_base + attribute["since"])
    for attribute in SPEC.types["Address"]["attributes"]
    if "since" in attribute
}


def _addresses(value: Any) -> Iterator[Address]:
    if isinstance(value, Address):
        yield value
    elif isinstance(value, Recipients):
        yield from value
    elif isinstance(value, tuple):
        yield from (item for item in value if isinstance(item, Address))


def lost_in_schema(message: Message, version: str, namespace: str) -> list[tuple[str, Any]]:
    """The (field, value) pairs of ``message`` that the schema of ``version``/``namespace``
    cannot carry; empty when moving the message there loses nothing."""
    name = type(message).__name__
    target = schema_index(namespace, version)
    spec = SPEC.messages.get(name)
    if target is None or spec is None:
        return [("version", version)]
    if spec.since > target:
        return [("message", name)]
    lost: list[tuple[str, Any]] = []
    for element, since in _members(spec.elements):
        if element.type == "Content" or element.field == "version":
            continue
        value = getattr(message, element.field)
        if not is_present(value):
            continue
        if since > target:
            lost.append((element.field, value))
            continue
        if element.type.startswith("enum:"):
            allowed = SPEC.enum_values(element.type.removeprefix("enum:"), target)
            if value not in allowed:
                lost.append((element.field, value))
            continue
        for address in _addresses(value):
            for attribute, first in _ADDRESS_ATTRIBUTE_SINCE.items():
                if getattr(address, attribute) is not None and first is not None and first > target:
                    lost.append((f"{element.field}@{attribute}", getattr(address, attribute)))
    return lost
