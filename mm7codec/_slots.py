"""Building frozen, slotted dataclasses without their ``__init__``, for the decoder.

The generated ``__init__`` of a frozen dataclass parses keyword arguments, stores each field
through ``object.__setattr__`` and runs ``__post_init__``; for a small decoded message that
was a tenth of the whole decode. The decoder hands over values it built of the declared types
itself, so it stores them straight into the slots instead, through each slot's own descriptor
(which the frozen ``__setattr__`` does not guard). Tests hold what it builds equal, field by
field and type by type, to what the constructor builds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from typing import Any, NamedTuple

__all__ = ["SlotSetters", "slot_setter", "slot_setters"]

#: ``setter(instance, value)``: stores one field of a slotted instance.
Setter = Callable[[Any, Any], None]


def slot_setter(cls: type, name: str) -> Setter:
    """The setter of the field ``name`` of the slotted dataclass ``cls``."""
    setter: Setter = getattr(cls, name).__set__  # its slot: a member descriptor
    return setter


class SlotSetters(NamedTuple):
    """Every field of a slotted dataclass, in field order: (setter, name, default) of those
    without a default factory (default None where there is none), (setter, name, factory) of
    the others, and the names of those with neither (which the caller must give)."""

    plain: tuple[tuple[Setter, str, Any], ...]
    made: tuple[tuple[Setter, str, Callable[[], Any]], ...]
    required: frozenset[str]


def slot_setters(cls: type) -> SlotSetters:
    """The setters of every field of the slotted dataclass ``cls`` (see ``SlotSetters``)."""
    plain = []
    made = []
    required = set()
    for field in fields(cls):
        setter = slot_setter(cls, field.name)
        if field.default_factory is not MISSING:
            made.append((setter, field.name, field.default_factory))
            continue
        if field.default is MISSING:
            required.add(field.name)
        plain.append((setter, field.name, None if field.default is MISSING else field.default))
    return SlotSetters(tuple(plain), tuple(made), frozenset(required))
