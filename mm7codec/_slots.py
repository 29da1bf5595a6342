"""Building frozen, slotted dataclasses without their ``__init__``, for the decoder.

The generated ``__init__`` of a frozen dataclass parses keyword arguments, stores each field
through ``object.__setattr__`` and runs ``__post_init__``; for a small decoded message that
was a tenth of the whole decode. The decoder hands over values it built of the declared types
itself, so it stores them straight into the slots instead, through each slot's own descriptor
(which the frozen ``__setattr__`` does not guard).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from typing import Any, NamedTuple

__all__ = ["SlotSetters", "slot_setters"]

#: ``setter(instance, value)``: stores one field of a slotted instance.
_Setter = Callable[[Any, Any], None]


class SlotSetters(NamedTuple):
    """The fields of a slotted dataclass, in field order: (setter, name, default) of those
    without a default factory (default None where there is none), and (setter, name, factory)
    of the others."""

    plain: tuple[tuple[_Setter, str, Any], ...]
    made: tuple[tuple[_Setter, str, Callable[[], Any]], ...]


def slot_setters(cls: type) -> SlotSetters:
    """The setters of every field of the slotted dataclass ``cls`` (see ``SlotSetters``)."""
    plain = []
    made = []
    for field in fields(cls):
        setter = getattr(cls, field.name).__set__  # its slot: a member descriptor
        if field.default_factory is MISSING:
            default = None if field.default is MISSING else field.default
            plain.append((setter, field.name, default))
        else:
            made.append((setter, field.name, field.default_factory))
    return SlotSetters(tuple(plain), tuple(made))
