"""The Python types of message fields, checked when a message is built.

A dataclass takes whatever it is given, so a wrong type used to surface deep inside the
encoder as an ``AttributeError`` or an internal ``EncodeError``. Each message class gets, once,
a list of checks made from its field annotations; building a message runs them and raises a
``TypeError`` naming the class, the field, what it takes and what it got. One convenience is
applied on the way: a ``timedelta`` where a relative date is allowed becomes a ``Duration``,
and a list where a tuple is expected becomes a tuple.

The decoder builds its messages without them (``_messages.build_decoded``), from values
already of the declared types.
"""

from __future__ import annotations

import operator
import types
import typing
from collections.abc import Callable
from dataclasses import fields
from datetime import timedelta
from typing import Any

from ._values import Duration

__all__ = ["check_fields"]

#: ``check(value)`` gives the value to keep (converted or the same object) or raises TypeError;
#: the message it raises is completed with the class and field name by ``check_fields``.
Check = Callable[[Any], Any]

#: One field's check: (field name, the exact types that need no further look, the check, what
#: it takes).
FieldCheck = tuple[str, frozenset[type], Check, str]

#: Per class: its field checks, and a getter of every field value at once (one C call, where
#: a ``getattr`` per field cost a call each on every message built).
_CHECKS: dict[type, tuple[tuple[FieldCheck, ...], Callable[[Any], tuple[Any, ...]]]] = {}


class _MismatchError(Exception):
    """A value of the wrong type (internal: turned into the TypeError that names the field)."""


def check_fields(message: Any) -> None:
    """Check (and convert, see above) every field of ``message``, a dataclass instance."""
    cls = type(message)
    known = _CHECKS.get(cls)
    if known is None:
        known = _CHECKS[cls] = _checks_and_getter(cls)
    checks, values_of = known
    for (name, plain, check, wanted), value in zip(checks, values_of(message), strict=True):
        if type(value) in plain:  # the usual case, a str or None: no call at all
            continue
        try:
            kept = check(value)
        except _MismatchError:
            raise TypeError(
                f"{cls.__name__}.{name} takes {wanted}, not {type(value).__name__} ({value!r:.60})"
            ) from None
        if kept is not value:
            object.__setattr__(message, name, kept)


def _checks_and_getter(
    cls: type,
) -> tuple[tuple[FieldCheck, ...], Callable[[Any], tuple[Any, ...]]]:
    checks = _checks_for(cls)
    names = [name for name, _, _, _ in checks]
    getter = operator.attrgetter(*names)
    # attrgetter of one name gives the value itself, not a 1-tuple.
    return checks, getter if len(names) > 1 else lambda message: (getter(message),)


def _checks_for(cls: type) -> tuple[FieldCheck, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, _plain(hints[f.name]), _check(hints[f.name]), _describe(hints[f.name]))
        for f in fields(cls)
    )


def _plain(hint: Any) -> frozenset[type]:
    """The types a value of ``hint`` may have exactly and be kept as it is without a look
    inside (not tuples, whose items need checking, nor timedelta, which is converted)."""
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        return frozenset().union(*(_plain(member) for member in typing.get_args(hint)))
    if typing.get_origin(hint) is typing.Literal:  # an enumeration: see _check
        return frozenset({str})
    if isinstance(hint, type) and hint is not tuple and not typing.get_args(hint):
        return frozenset({hint})
    return frozenset()


def _describe(hint: Any) -> str:
    if typing.get_origin(hint) in (types.UnionType, typing.Union):  # X | Y, whatever the members
        return " | ".join(_describe(member) for member in typing.get_args(hint))
    if hint is type(None):
        return "None"
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return str(hint).replace("typing.", "").replace("mm7codec._values.", "")


def _check(hint: Any) -> Check:
    """The check for one annotation (the annotations this package uses)."""
    if hint is Any:
        return _anything
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return _union([_check(member) for member in typing.get_args(hint)], hint)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return _tuple_of(_check(args[0]))
        return _fixed_tuple([_check(arg) for arg in args], [_plain(arg) for arg in args])
    if origin is typing.Literal:  # an enumeration: any str here, the encoder checks the value
        return _instance_of(str)
    if hint is type(None):
        return _none
    if hint is bool:
        return _exactly_bool
    if hint is int:
        return _int
    if hint is Duration:
        return _duration
    assert isinstance(hint, type), hint
    return _instance_of(hint)


def _anything(value: Any) -> Any:
    return value


def _none(value: Any) -> Any:
    if value is not None:
        raise _MismatchError
    return value


def _exactly_bool(value: Any) -> Any:
    if value is not True and value is not False:
        raise _MismatchError
    return value


def _int(value: Any) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _MismatchError
    return value


def _duration(value: Any) -> Any:
    if isinstance(value, Duration):
        return value
    if isinstance(value, timedelta):
        return Duration.from_timedelta(value)
    raise _MismatchError


def _instance_of(cls: type) -> Check:
    def check(value: Any) -> Any:
        if not isinstance(value, cls):
            raise _MismatchError
        return value

    return check


def _union(checks: list[Check], hint: Any) -> Check:
    optional = _none in checks
    others = [check for check in checks if check is not _none]
    if optional and len(others) == 1:  # X | None, the usual field: one call, no loop
        [only] = others

        def check_optional(value: Any) -> Any:
            return value if value is None else only(value)

        return check_optional

    def check_any(value: Any) -> Any:
        if value is None and optional:
            return value
        for check in others:
            try:
                return check(value)
            except _MismatchError:
                continue
        raise _MismatchError

    return check_any


def _fixed_tuple(items: list[Check], plains: list[frozenset[type]]) -> Check:
    """A tuple of exactly these items (``tuple[str, str]``); a list is taken as one."""

    def check(value: Any) -> Any:
        # The usual value (peer_pairing, on every decoded message): a tuple whose items are
        # each of a type its check keeps as it is, seen in one pass of C calls.
        if (
            type(value) is tuple
            and len(value) == len(plains)
            and all(map(frozenset.__contains__, plains, map(type, value)))
        ):
            return value
        if not isinstance(value, (tuple, list)) or len(value) != len(items):
            raise _MismatchError
        kept = tuple(item(element) for item, element in zip(items, value, strict=True))
        return value if isinstance(value, tuple) and kept == value else kept

    return check


def _tuple_of(item: Check) -> Check:
    def check(value: Any) -> Any:
        if isinstance(value, list):
            value = tuple(value)
        elif not isinstance(value, tuple):
            raise _MismatchError
        for element in value:  # usually nothing to convert: no new tuple
            if item(element) is not element:
                return tuple(item(element) for element in value)
        return value

    return check
