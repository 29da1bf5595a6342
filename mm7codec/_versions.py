"""MM7Version values, their schema namespaces, and how a message's schema is chosen.

Versions are ``major.minor.patch`` digit strings compared numerically (5.10.0 > 5.9.0); an
``MM7Version`` is such a string, so text and ``MM7Version`` values are interchangeable. In the
field, namespace and MM7Version are only loosely coupled, so the schema that governs a message
is picked by its namespace first and by its MM7Version only when the namespace is not a known
3GPP one.
"""

from __future__ import annotations

import re
from typing import Self

from ._spec import SPEC

__all__ = [
    "LATEST_VERSION",
    "MM7Version",
    "SUPPORTED_VERSIONS",
    "is_well_formed",
    "namespace_for_version",
    "nearest_schema",
    "schema_index",
]

_VERSION_TEXT = re.compile(r"(\d{1,4})\.(\d{1,4})\.(\d{1,4})")


class MM7Version(str):
    """An MM7Version value: its canonical text (``"6.8.0"``), ordered numerically.

    An ``MM7Version`` is a ``str``, so it is accepted everywhere a version is and equals its
    text (``"5.3.0" in SUPPORTED_VERSIONS``); ``<``, ``>``, ``<=`` and ``>=`` compare the
    numbers (5.10.0 > 5.9.0), with another MM7Version or with version text.
    ``MM7Version.parse(" 05.3.0")``, ``MM7Version("5.3.0")`` and ``MM7Version(5, 3, 0)`` give
    the same value; malformed text is a ``ValueError``.
    """

    __numbers: tuple[int, int, int]

    def __new__(cls, major: int | str, minor: int | None = None, patch: int | None = None) -> Self:
        if isinstance(major, str) and minor is None and patch is None:
            match = _VERSION_TEXT.fullmatch(major.strip())
            if match is None:
                raise ValueError(f"not an MM7Version (major.minor.patch): {major!r}")
            numbers = (int(match[1]), int(match[2]), int(match[3]))
        elif isinstance(major, int) and isinstance(minor, int) and isinstance(patch, int):
            numbers = (major, minor, patch)
            if min(numbers) < 0:
                raise ValueError(f"not an MM7Version: {numbers!r}")
        else:
            raise TypeError("MM7Version(text) or MM7Version(major, minor, patch)")
        version = super().__new__(cls, ".".join(map(str, numbers)))
        version.__numbers = numbers
        return version

    @classmethod
    def parse(cls, text: str) -> MM7Version:
        return cls(text)

    def __getnewargs__(self) -> tuple[str]:
        return (str(self),)

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"MM7Version({str.__repr__(self)})"

    @property
    def major(self) -> int:
        return self.__numbers[0]

    @property
    def minor(self) -> int:
        return self.__numbers[1]

    @property
    def patch(self) -> int:
        return self.__numbers[2]

    @property
    def numbers(self) -> tuple[int, int, int]:
        """``(major, minor, patch)``."""
        return self.__numbers

    def __lt__(self, other: str) -> bool:
        return self.__numbers < _numbers(other)

    def __le__(self, other: str) -> bool:
        return self.__numbers <= _numbers(other)

    def __gt__(self, other: str) -> bool:
        return self.__numbers > _numbers(other)

    def __ge__(self, other: str) -> bool:
        return self.__numbers >= _numbers(other)

    @property
    def namespace(self) -> str | None:
        """The schema namespace this library encodes this version in, if it knows the version."""
        return namespace_for_version(str(self))

    @property
    def supported(self) -> bool:
        return self.namespace is not None


def _numbers(version: str) -> tuple[int, int, int]:
    return (version if isinstance(version, MM7Version) else MM7Version(version)).numbers


_NAMESPACE_OF_VERSION = {text: SPEC.namespaces[index] for text, index in SPEC.versions}

#: Every MM7Version the library knows, oldest first; ``v.namespace`` gives its schema namespace.
SUPPORTED_VERSIONS: tuple[MM7Version, ...] = tuple(
    MM7Version.parse(text) for text, _ in SPEC.versions
)
#: The newest supported MM7Version (an ``MM7Version``, as every entry of SUPPORTED_VERSIONS).
LATEST_VERSION: MM7Version = SUPPORTED_VERSIONS[-1]


def is_well_formed(version: str) -> bool:
    """Whether ``version`` reads as an MM7Version (major.minor.patch). A version of the tables,
    what nearly every message carries, is known to without a parse (every encode checks one)."""
    if version in _NAMESPACE_OF_VERSION:
        return True
    try:
        MM7Version.parse(version)
    except ValueError:
        return False
    return True


def namespace_for_version(version: str) -> str | None:
    """The namespace a known version is encoded in; None for a version we do not know."""
    namespace = _NAMESPACE_OF_VERSION.get(version)
    if namespace is None:
        try:
            namespace = _NAMESPACE_OF_VERSION.get(str(MM7Version.parse(version)))
        except ValueError:
            return None
    return namespace


def schema_index(namespace: str, version: str) -> int | None:
    """Index of the schema (in ``SPEC.namespaces``) that governs a message, or None.

    The namespace decides when it is a known 3GPP one; otherwise a known version decides.
    """
    index = SPEC.namespace_index(namespace)
    if index is not None:
        return index
    by_version = namespace_for_version(version)
    return None if by_version is None else SPEC.namespace_index(by_version)


def nearest_schema(version: str) -> int:
    """The schema of the newest known version not later than ``version`` (for lenient decoding
    of unknown namespaces with unknown versions); the newest schema when nothing fits."""
    try:
        wanted = MM7Version.parse(version)
    except ValueError:
        return len(SPEC.namespaces) - 1
    same_release = [v for v in SUPPORTED_VERSIONS if v.major == wanted.major]
    if not same_release:
        return len(SPEC.namespaces) - 1
    not_later = [v for v in same_release if v <= wanted]
    chosen = not_later[-1] if not_later else same_release[0]
    index = SPEC.namespace_index(_NAMESPACE_OF_VERSION[str(chosen)])
    assert index is not None
    return index
