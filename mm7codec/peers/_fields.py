"""Reading a message through the spec tables: field values by element path, and which version
and namespace a peer expects.

Lint and prepare share these, so both judge a message by the same tables the encoder uses.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .._messages import Message
from .._spec import SPEC
from .._values import Recipients
from .._versions import MM7Version, namespace_for_version
from ._model import Versions

__all__ = [
    "accepts",
    "expected_namespace",
    "is_present",
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
