"""MIME parts: the MMS content a message carries, as decoded or as built for sending.

A ``Part`` is either a multipart (it has ``parts``) or a leaf with a body. Bodies come from
bytes, a file path, a binary stream, or a temporary file the decoder spooled a large part into;
``part.body`` reads it whole, ``part.open()`` streams it, so a 50 MB video need never be held in
memory by the caller either.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import mimetypes
import os
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, TypeVar, overload

if TYPE_CHECKING:
    from ._slideshow import Slide

__all__ = ["Headers", "Part"]

_T = TypeVar("_T")


class Headers(Mapping[str, str]):
    """Header fields in their received order, looked up without regard to case.

    ``headers["content-id"]`` is the first value; ``get_all`` gives every value of a name.
    """

    __slots__ = ("_items", "_index")

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items = tuple(items)
        self._index: dict[str, str] = {}
        for name, value in self._items:
            self._index.setdefault(name.lower(), value)

    def __getitem__(self, name: str) -> str:
        return self._index[name.lower()]

    @overload
    def get(self, name: str, /) -> str | None: ...

    @overload
    def get(self, name: str, /, default: str | _T) -> str | _T: ...

    def get(self, name: str, /, default: object = None) -> object:
        # Mapping.get would raise and catch KeyError for every absent header.
        return self._index.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def items_in_order(self) -> tuple[tuple[str, str], ...]:
        """Every (name, value) pair as received, duplicates included."""
        return self._items

    def get_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self._items if key.lower() == wanted]

    def __repr__(self) -> str:
        return f"Headers({list(self._items)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)


class BodySource(Protocol):
    """Where a leaf part's bytes live."""

    def open(self) -> BinaryIO: ...

    @property
    def size(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class BytesBody:
    data: bytes

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data)

    @property
    def size(self) -> int:
        return len(self.data)


class ChunksBody:
    """Decoded bytes kept as the pieces they were decoded in; joined only when asked for
    whole, so decoding never copies a large body once more."""

    __slots__ = ("_chunks", "size", "_joined")

    def __init__(self, chunks: list[bytes | memoryview], size: int) -> None:
        self._chunks = chunks
        self.size = size
        self._joined: bytes | None = None

    @property
    def data(self) -> bytes:
        if self._joined is None:
            self._joined = b"".join(self._chunks)
            self._chunks = []
        return self._joined

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data)


@dataclass(frozen=True, slots=True)
class PathBody:
    path: Path

    def open(self) -> BinaryIO:
        return self.path.open("rb")

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True, slots=True)
class StreamBody:
    """A caller's binary stream: read once, when the message is encoded."""

    stream: BinaryIO
    known_size: int | None = None

    def open(self) -> BinaryIO:
        return self.stream

    @property
    def size(self) -> int | None:
        return self.known_size


class SpooledBody:
    """A temporary file the decoder wrote a large part into; removed with its last Part."""

    __slots__ = ("path", "size", "_finalizer", "__weakref__")

    def __init__(self, path: str, size: int) -> None:
        self.path = path
        self.size = size
        self._finalizer = weakref.finalize(self, _remove_quietly, path)

    def open(self) -> BinaryIO:
        return open(self.path, "rb")


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


_TEXTUAL = ("text/", "application/smil", "application/xml", "application/json")


@dataclass(frozen=True, slots=True, eq=False)
class Part:
    """One MIME part. Build leaves with ``from_bytes``/``from_path``/``from_file``/``from_text``
    and multiparts with ``multipart``.

    ``content_type`` is the lower-case media type without parameters; ``params`` the
    parameters with lower-case names (``boundary`` excluded: the encoder chooses it);
    ``content_id`` has no angle brackets. Two parts are equal when their media types,
    parameters, ids, locations, children and body bytes are equal (headers the encoder adds,
    such as the transfer encoding, do not count).
    """

    content_type: str = "application/octet-stream"
    params: Mapping[str, str] = field(default_factory=dict)
    content_id: str | None = None
    content_location: str | None = None
    headers: Headers = field(default_factory=Headers)
    parts: tuple[Part, ...] = ()
    source: BodySource | None = None
    #: Preferred Content-Transfer-Encoding when sending; None lets the encoder choose.
    transfer_encoding: str | None = None

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        content_type: str,
        *,
        content_id: str | None = None,
        content_location: str | None = None,
        params: Mapping[str, str] | None = None,
        transfer_encoding: str | None = None,
    ) -> Part:
        return cls(
            content_type=content_type.lower(),
            params=dict(params or {}),
            content_id=content_id,
            content_location=content_location,
            source=BytesBody(bytes(data)),
            transfer_encoding=transfer_encoding,
        )

    @classmethod
    def from_text(
        cls,
        text: str,
        subtype: str = "plain",
        *,
        charset: str = "utf-8",
        content_id: str | None = None,
        content_location: str | None = None,
    ) -> Part:
        return cls.from_bytes(
            text.encode(charset),
            f"text/{subtype}",
            params={"charset": charset},
            content_id=content_id,
            content_location=content_location,
        )

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str],
        content_type: str | None = None,
        *,
        content_id: str | None = None,
        content_location: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Part:
        """A part read from a file when the message is encoded; the media type is guessed
        from the file name when not given."""
        file_path = Path(path)
        media_type = content_type or mimetypes.guess_type(file_path.name)[0]
        return cls(
            content_type=(media_type or "application/octet-stream").lower(),
            params=dict(params or {}),
            content_id=content_id,
            content_location=content_location if content_location is not None else file_path.name,
            source=PathBody(file_path),
        )

    @classmethod
    def from_file(
        cls,
        stream: BinaryIO,
        content_type: str,
        *,
        size: int | None = None,
        content_id: str | None = None,
        content_location: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Part:
        """A part read from a binary stream, once, when the message is encoded. Give ``size``
        (decoded bytes) if known, so the encoder can announce the total length in advance."""
        return cls(
            content_type=content_type.lower(),
            params=dict(params or {}),
            content_id=content_id,
            content_location=content_location,
            source=StreamBody(stream, size),
        )

    @classmethod
    def multipart(
        cls,
        parts: Iterable[Part],
        subtype: str = "mixed",
        *,
        content_id: str | None = None,
        content_location: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Part:
        """A ``multipart/<subtype>`` of the given parts (``related`` takes ``start`` and
        ``type`` in ``params``)."""
        return cls(
            content_type=f"multipart/{subtype.lower()}",
            params=dict(params or {}),
            content_id=content_id,
            content_location=content_location,
            parts=tuple(parts),
        )

    @classmethod
    def slideshow(cls, slides: Iterable[Slide], *, content_id: str | None = None) -> Part:
        """A SMIL-rooted ``multipart/related`` presenting ``slides`` (see ``mm7codec.Slide``)."""
        from ._slideshow import slideshow  # the slideshow module builds on this one

        return slideshow(slides, content_id=content_id)

    # -- reading ----------------------------------------------------------------------------

    @property
    def is_multipart(self) -> bool:
        return self.content_type.startswith("multipart/")

    @property
    def size(self) -> int | None:
        """Decoded body size in bytes when known without reading (None for multiparts)."""
        return None if self.source is None else self.source.size

    @property
    def body(self) -> bytes:
        """The decoded body bytes (empty for a multipart)."""
        if self.source is None:
            return b""
        if isinstance(self.source, (BytesBody, ChunksBody)):
            return self.source.data
        with self.source.open() as stream:
            return stream.read()

    def open(self) -> BinaryIO:
        """A binary stream of the decoded body."""
        return io.BytesIO(b"") if self.source is None else self.source.open()

    @property
    def charset(self) -> str | None:
        return self.params.get("charset")

    @property
    def text(self) -> str:
        """The body decoded with its charset (us-ascii when none is given, as RFC 2046 says).

        An unknown charset raises ``LookupError`` naming it; the bytes stay in ``body``.
        """
        charset = self.charset or "us-ascii"
        try:
            codecs.lookup(charset)
        except (LookupError, ValueError):  # ValueError: a malformed name, e.g. with NUL
            raise LookupError(f"unknown charset {charset!r} on part {self.content_id!r}") from None
        return self.body.decode(charset, errors="replace")

    @property
    def is_textual(self) -> bool:
        return self.content_type.startswith(_TEXTUAL)

    def walk(self) -> Iterator[Part]:
        """This part and every part below it, depth first."""
        yield self
        for child in self.parts:
            yield from child.walk()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Part):
            return NotImplemented
        return (
            self.content_type == other.content_type
            and dict(self.params) == dict(other.params)
            and self.content_id == other.content_id
            and self.content_location == other.content_location
            and self.parts == other.parts
            and self.body == other.body
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        what = f"{len(self.parts)} parts" if self.is_multipart else f"{self.size} bytes"
        return f"Part({self.content_type!r}, id={self.content_id!r}, {what})"
