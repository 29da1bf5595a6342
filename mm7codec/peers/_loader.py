"""Profile files -> ``PeerProfile``: one strict reader driven by the model's type hints.

The dataclasses in ``_model`` are the file format: every table must match one of them, key for
key and type for type, so a typo (``polcy``) or a wrong type (``limit_bytes = "1 MB"``) is
refused with the dotted key that is wrong instead of being silently ignored. Cross-references
(sources, variants, element names, versions) are checked after the types.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from .._spec import SPEC
from .._versions import MM7Version
from ._findings import ProfileError
from ._model import PeerProfile

__all__ = ["PROFILES", "available", "get", "load"]

#: The folder of the profiles shipped with the library, one ``<id>.toml`` per peer.
PROFILES = Path(__file__).with_name("profiles")

#: ``Element@attribute`` paths a SubmitReq element rule may name besides the elements.
SUBMIT_ATTRIBUTES = {
    "ReplyCharging@replyChargingSize": "reply_charging.size",
    "ReplyCharging@replyDeadline": "reply_charging.deadline",
    "Content@allowAdaptations": "allow_adaptations",
}


def submit_fields() -> dict[str, str]:
    """SubmitReq element (or ``Element@attribute``) name -> message field, groups flattened."""
    table: dict[str, str] = {}
    for element in SPEC.messages["SubmitReq"].elements:
        for member in element.members:
            table[member.element] = member.field
    table.update(SUBMIT_ATTRIBUTES)
    return table


class _Reader:
    """Converts parsed TOML into the model, collecting cross-references to check later."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.sources: list[tuple[str, str]] = []
        self.variants: list[tuple[str, str]] = []

    def fail(self, where: str, reason: str) -> ProfileError:
        return ProfileError(f"profile {self.origin}: {reason}", where=where)

    def convert(self, kind: Any, value: Any, where: str) -> Any:
        origin = get_origin(kind)
        if kind is str or kind is int or kind is float or kind is bool:
            return self.scalar(kind, value, where)
        if origin is Literal:
            if value not in get_args(kind):
                allowed = ", ".join(repr(a) for a in get_args(kind))
                raise self.fail(where, f"{value!r} is not one of {allowed}")
            return value
        if origin is Union or origin is types.UnionType:
            (inner,) = [a for a in get_args(kind) if a is not type(None)]
            return self.convert(inner, value, where)
        if origin is tuple:
            if not isinstance(value, list):
                raise self.fail(where, f"expected an array, got {_kind(value)}")
            item = get_args(kind)[0]
            return tuple(self.convert(item, v, f"{where}[{i}]") for i, v in enumerate(value))
        if origin is Mapping:
            key_kind, value_kind = get_args(kind)
            if not isinstance(value, dict):
                raise self.fail(where, f"expected a table, got {_kind(value)}")
            converted: dict[Any, Any] = {}
            for key, item in value.items():
                if key_kind is int:
                    if not key.isdigit():
                        raise self.fail(f"{where}.{key}", "expected a numeric key")
                    converted[int(key)] = self.convert(value_kind, item, f"{where}.{key}")
                else:
                    converted[key] = self.convert(value_kind, item, f"{where}.{key}")
            return converted
        if dataclasses.is_dataclass(kind) and isinstance(kind, type):
            return self.table(kind, value, where)
        raise AssertionError(f"model type {kind!r} has no reader")  # pragma: no cover

    def scalar(self, kind: type, value: Any, where: str) -> Any:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if type(value) is not kind:
            raise self.fail(where, f"expected {_kind_name(kind)}, got {_kind(value)}")
        return value

    def table(self, cls: type[Any], value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise self.fail(where or "(top)", f"expected a table, got {_kind(value)}")
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        prefix = f"{where}." if where else ""
        for key in value:
            if key not in fields:
                raise self.fail(
                    f"{prefix}{key}", f"unknown key (expected one of: {', '.join(fields)})"
                )
        values: dict[str, Any] = {}
        for name, spec in fields.items():
            path = f"{prefix}{name}"
            if name not in value:
                if spec.default is dataclasses.MISSING and spec.default_factory is (
                    dataclasses.MISSING
                ):
                    raise self.fail(path, "missing")
                continue
            values[name] = self.convert(hints[name], value[name], path)
            if name == "source":
                self.sources.append((path, values[name]))
            elif name == "variants" and isinstance(values[name], tuple):
                self.variants.extend((f"{path}[{i}]", v) for i, v in enumerate(values[name]))
        return cls(**values)


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a float", str: "a string"}.get(
        type(value), "an array" if isinstance(value, list) else "a table"
    )


def _kind_name(kind: type) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}[kind]


def _check_references(reader: _Reader, profile: PeerProfile) -> None:
    for where, source in reader.sources:
        key = re.split(r"[\s;,]", source, maxsplit=1)[0]
        if key not in profile.sources:
            raise reader.fail(where, f"source {key!r} is not in [sources]")
    for where, variant in reader.variants:
        if variant not in profile.variants:
            raise reader.fail(where, f"variant {variant!r} is not in [variants]")
    known = submit_fields()
    for name in profile.submit.elements:
        if name not in known:
            raise reader.fail(f"submit.elements.{name}", "not a SubmitReq element")
    for name in profile.operations.supported:
        if name not in SPEC.messages:
            raise reader.fail("operations.supported", f"{name!r} is not an MM7 message")
    versions = profile.versions
    for where, text in [
        ("versions.preferred", versions.preferred),
        *(("versions.accept", v) for v in versions.accept),
        *(("versions.accept_min", v) for v in [versions.accept_min] if v),
        *(("versions.accept_max", v) for v in [versions.accept_max] if v),
        *((f"versions.namespaces.{v}", v) for v in versions.namespaces),
    ]:
        try:
            MM7Version.parse(text)
        except ValueError as error:
            raise reader.fail(where, str(error)) from None
    for version, tail in versions.namespaces.items():
        if SPEC.namespace_index(SPEC.mm7_namespace_base + tail) is None:
            raise reader.fail(f"versions.namespaces.{version}", f"unknown namespace {tail!r}")
    recipients = profile.submit.recipients
    if recipients is not None and recipients.number_pattern is not None:
        try:
            re.compile(recipients.number_pattern)
        except re.error as error:
            raise reader.fail("submit.recipients.number_pattern", str(error)) from None
    carriers = profile.content.carriers
    for index, limit in enumerate(profile.content.size_limits):
        if limit.carrier is not None and limit.carrier not in carriers:
            raise reader.fail(
                f"content.size_limits[{index}].carrier",
                f"carrier {limit.carrier!r} is not in content.carriers",
            )


def _parse(data: dict[str, Any], origin: str) -> PeerProfile:
    reader = _Reader(origin)
    profile: PeerProfile = reader.table(PeerProfile, data, "")
    _check_references(reader, profile)
    return profile


def load(path: str | os.PathLike[str]) -> PeerProfile:
    """A profile from a TOML file of the same form as the shipped ones. Raises
    ``ProfileError`` naming the key for an unknown key, a wrong type or a bad reference."""
    file = Path(path)
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"profile {file.name}: not valid TOML: {error}") from None
    return _parse(data, file.name)


def available() -> tuple[str, ...]:
    """The ids of the profiles shipped with the library, sorted."""
    return tuple(sorted(path.stem for path in PROFILES.glob("*.toml")))


@cache
def _shipped(name: str) -> PeerProfile:
    return load(PROFILES / f"{name}.toml")


@cache
def _aliases() -> dict[str, str]:
    return {alias: name for name in available() for alias in _shipped(name).aliases}


def get(name: str) -> PeerProfile:
    """A shipped profile by its id (``"sinch"``) or an alias (``"mblox"``)."""
    wanted = name.strip().lower()
    if wanted in available():
        return _shipped(wanted)
    if wanted in _aliases():
        return _shipped(_aliases()[wanted])
    raise ProfileError(f"no peer profile {name!r}; available: {', '.join(available())}")
