"""MIME parts: the MMS content a message carries, as decoded or as built for sending.

A ``Part`` is either a multipart (it has ``parts``) or a leaf with a body. Bodies come from
bytes, a file path, a binary stream, or the anonymous temporary file the decoder spooled large
parts into; ``part.body`` reads it whole, ``part.open()`` streams it and ``part.save(path)``
writes it to a file, so a 50 MB video need never be held in memory by the caller either.

Decoded messages pickle, deep-copy and go through ``dataclasses.asdict``: what a part keeps is
``bytes`` or a spooled region, and the pickle of a spooled part carries its bytes.
"""

from __future__ import annotations

import io
import mimetypes
import os
import tempfile
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, TypeVar, cast, overload

from ._errors import DecodeError, EncodeError, UsageError
from ._mime.headers import is_media_type, parse_content_type, text_codec
from ._repr import text_repr
from ._slots import slot_setter

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

    from ._slideshow import Slide

__all__ = ["BodySource", "Headers", "Part"]

_T = TypeVar("_T")


def _media_type(content_type: str, params: Mapping[str, str] | None) -> tuple[str, dict[str, str]]:
    """The media type and parameters of a part being built: ``content_type`` may carry
    parameters (``"text/plain; charset=utf-8"``), which are kept, those given in ``params``
    winning. A media type that is not ``type/subtype`` is an ``EncodeError`` now, where the
    mistake is made, rather than when the message is encoded."""

    def refuse(_code: str, detail: str) -> None:
        raise EncodeError(detail, where="content_type")

    media_type, parsed = parse_content_type(content_type, refuse)
    if not is_media_type(media_type):
        raise EncodeError(f"media type {content_type!r} is not type/subtype", where="content_type")
    parsed.pop("boundary", None)
    return media_type, {**parsed, **(params or {})}


#: Bytes moved at a time when a body is streamed (saving, reading a spooled part).
_COPY_BLOCK = 64 * 1024


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

    def repeats_a_name(self) -> bool:
        """Whether some name is given more than once (in any case): known from the index
        built anyway, so the usual part, with every name once, costs no loop to check."""
        return len(self._index) != len(self._items)

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
    """Where a leaf part's bytes live: anything that opens a fresh binary stream over them
    and knows their size (None when only reading tells). ``Part.from_bytes``, ``from_path``
    and ``from_file`` make the usual ones; a source of your own (bytes in a database, an
    object store) can stand in ``Part(source=...)`` as long as ``open()`` can be called again
    for every send."""

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
    whole, so decoding never copies a large body once more. The pieces are ``bytes`` (never
    views of the fed buffers, which would keep whole chunks of the input alive)."""

    __slots__ = ("_chunks", "size", "_joined")

    def __init__(self, chunks: list[bytes], size: int) -> None:
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

    # Immutable in effect: copies share it; a pickle carries the joined bytes.
    def __copy__(self) -> ChunksBody:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> ChunksBody:
        return self

    def __reduce__(self) -> tuple[type[BytesBody], tuple[bytes]]:
        return BytesBody, (self.data,)


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


#: The spool file's write buffer (one per spooling decode, while its file is open). Decoded
#: pieces come a few KiB at a time: written as they came, 15 MiB took 13 ms; gathered into
#: 256 KiB writes, 6 ms (one buffer filled again and again; joining the pieces into a fresh
#: buffer per write paid for new memory pages each time).
_SPOOL_BUFFER = 256 * 1024


class SpoolFile:
    """One anonymous temporary file shared by the spooled parts of one decode.

    ``tempfile.TemporaryFile`` gives the file no name from birth (``O_TMPFILE`` on Linux) or
    unlinks it at once (other POSIX systems), so nothing is ever left on disk: not by a decoder
    dropped mid-body, nor by a crash, SIGTERM or SIGKILL. The space is freed when the last
    part using it is freed (or at once, when the decode fails). MIME parts arrive one after
    another, so each spooled part is one region of the file, written to its end, and a decode
    holds one file descriptor however many parts it spools.
    """

    __slots__ = ("_file", "_lock", "_end", "_at_end", "_closer", "__weakref__")

    def __init__(self, directory: str | None) -> None:
        # Lives as long as the parts that read it, so no context manager can own it.
        raw = tempfile.TemporaryFile("w+b", buffering=0, prefix="mm7codec-", dir=directory)  # noqa: SIM115
        file = io.BufferedRandom(raw, buffer_size=_SPOOL_BUFFER)
        self._file = file
        self._lock = threading.Lock()  # a read is a seek then a read: one at a time
        self._end = 0
        self._at_end = True
        self._closer = weakref.finalize(self, file.close)

    @property
    def end(self) -> int:
        """Bytes written so far: where the next region begins."""
        return self._end

    def write(self, data: bytes | memoryview) -> None:
        with self._lock:
            if not self._at_end:
                self._file.seek(self._end)
                self._at_end = True
            self._file.write(data)
            self._end += len(data)

    def read(self, offset: int, size: int) -> bytes:
        with self._lock:
            self._at_end = False
            self._file.seek(offset)
            return self._file.read(size)

    def read_into(self, offset: int, target: memoryview) -> int:
        with self._lock:
            self._at_end = False
            self._file.seek(offset)
            return self._file.readinto(target)

    def close(self) -> None:
        """Free the file now (a failed decode), not when the last reference goes."""
        self._closer()


class SpooledBody:
    """A part's region of the decode's ``SpoolFile``.

    Copies share the region (it never changes). A pickle carries the part's bytes, read from
    the file when pickled, and unpickles as an in-memory body: never a path or a descriptor,
    which would not outlive this process. To keep a spooled part on disk, ``Part.save`` it.
    """

    __slots__ = ("spool", "offset", "size")

    def __init__(self, spool: SpoolFile, offset: int, size: int) -> None:
        self.spool = spool
        self.offset = offset
        self.size = size

    @property
    def data(self) -> bytes:
        return self.spool.read(self.offset, self.size)

    def open(self) -> BinaryIO:
        return io.BufferedReader(_RegionReader(self), _COPY_BLOCK)

    def __copy__(self) -> SpooledBody:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> SpooledBody:
        return self

    def __reduce__(self) -> tuple[type[BytesBody], tuple[bytes]]:
        return BytesBody, (self.data,)


class _RegionReader(io.RawIOBase):
    """A stream over one spooled part, with its own position (many may read at once)."""

    def __init__(self, body: SpooledBody) -> None:
        super().__init__()
        self._body = body  # keeps the spool file open while the stream is in use
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._body.size}
        position = base[whence] + offset
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        self._position = position
        return position

    def readinto(self, buffer: WriteableBuffer) -> int:
        body = self._body
        count = min(len(memoryview(buffer)), body.size - self._position)
        if count <= 0:
            return 0
        with memoryview(buffer) as view:
            got = body.spool.read_into(body.offset + self._position, view.cast("B")[:count])
        self._position += got
        return got


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
        """A part holding ``data``. ``content_type`` may carry parameters, which are kept
        (``params`` add to them); a malformed media type is an ``EncodeError``."""
        media_type, all_params = _media_type(content_type, params)
        return cls(
            content_type=media_type,
            params=all_params,
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
        transfer_encoding: str | None = None,
    ) -> Part:
        """A part read from a file when the message is encoded; the media type is guessed
        from the file name when not given."""
        file_path = Path(path)
        guessed = content_type or mimetypes.guess_type(file_path.name)[0]
        media_type, all_params = _media_type(guessed or "application/octet-stream", params)
        return cls(
            content_type=media_type,
            params=all_params,
            content_id=content_id,
            content_location=content_location if content_location is not None else file_path.name,
            source=PathBody(file_path),
            transfer_encoding=transfer_encoding,
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
        media_type, all_params = _media_type(content_type, params)
        return cls(
            content_type=media_type,
            params=all_params,
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
        transfer_encoding: str | None = None,
    ) -> Part:
        """A ``multipart/<subtype>`` of the given parts (``related`` takes ``start`` and
        ``type`` in ``params``); a subtype that makes no media type is an ``EncodeError``. A
        ``boundary`` is left out: the encoder writes a new one in every message."""
        kept = {name: value for name, value in (params or {}).items() if name != "boundary"}
        media_type, all_params = _media_type(f"multipart/{subtype.lower()}", kept)
        return cls(
            content_type=media_type,
            params=all_params,
            content_id=content_id,
            content_location=content_location,
            parts=tuple(parts),
            transfer_encoding=transfer_encoding,
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
        if isinstance(self.source, SpooledBody):
            return self.source.data
        with self.source.open() as stream:
            return stream.read()

    def open(self) -> BinaryIO:
        """A binary stream of the decoded body."""
        return io.BytesIO(b"") if self.source is None else self.source.open()

    def save(self, path: str | os.PathLike[str]) -> int:
        """Write the decoded body to the file ``path`` (created or replaced) and return its
        size in bytes.

        The body is streamed, so a spooled part is never held in memory whole. Spool files
        are anonymous and vanish with the message: this is how to keep a part beyond it.
        A multipart has no body of its own (``UsageError``): save its parts.
        """
        if self.is_multipart:
            raise UsageError("a multipart has no body of its own to save; save its parts")
        written = 0
        with self.open() as source, open(path, "wb") as target:
            while block := source.read(_COPY_BLOCK):
                target.write(block)
                written += len(block)
        return written

    @property
    def charset(self) -> str | None:
        return self.params.get("charset")

    @property
    def text(self) -> str:
        """The body decoded with its charset (us-ascii when none is given, as RFC 2046 says).

        Bytes the charset cannot decode become U+FFFD. A charset Python does not know, or a
        codec that is no charset a peer may name (``base64``, ``punycode``, whose decoder is
        quadratic), raises ``DecodeError`` naming it, and only that; the bytes stay in
        ``body``. The charsets are the ones header text is read with (``text_codec``).
        """
        charset = self.charset or "us-ascii"
        codec = text_codec(charset)  # the charsets headers are read with, and no others
        if codec is None:
            raise DecodeError(
                f"cannot read part {self.content_id!r} as text in charset {charset!r}",
                where="content",
            )
        return self.body.decode(codec, errors="replace")

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
        """``Part('image/jpeg', size=30120, content_id='img1')``, and for a multipart the
        number of its children, ``Part('multipart/related', parts=2)``: never a body, nor the
        children themselves, so it costs the same for any size of content."""
        shown = [text_repr(self.content_type)]
        if self.is_multipart:
            shown.append(f"parts={len(self.parts)}")
        else:
            size = shown_size(self)
            if size is not None:
                shown.append(f"size={size}")
        if self.content_id is not None:
            shown.append(f"content_id={text_repr(self.content_id)}")
        return f"Part({', '.join(shown)})"


def decoded_body(pieces: list[bytes | memoryview], size: int) -> BytesBody | ChunksBody:
    """The in-memory body of a decoded part from the pieces its bytes were decoded in."""
    if len(pieces) == 1 and isinstance(pieces[0], bytes):
        return BytesBody(pieces[0])
    if not all(isinstance(piece, bytes) for piece in pieces):
        # Views would keep whole fed chunks alive (and do not pickle): copy this part's bytes
        # out of them, once.
        return BytesBody(b"".join(pieces))
    return ChunksBody(cast("list[bytes]", pieces), size)


_SET_CONTENT_TYPE = slot_setter(Part, "content_type")
_SET_PARAMS = slot_setter(Part, "params")
_SET_CONTENT_ID = slot_setter(Part, "content_id")
_SET_CONTENT_LOCATION = slot_setter(Part, "content_location")
_SET_HEADERS = slot_setter(Part, "headers")
_SET_PARTS = slot_setter(Part, "parts")
_SET_SOURCE = slot_setter(Part, "source")
_SET_TRANSFER_ENCODING = slot_setter(Part, "transfer_encoding")


def decoded_part(
    content_type: str,
    params: dict[str, str],
    content_id: str | None,
    content_location: str | None,
    headers: Headers,
    parts: tuple[Part, ...],
    source: BodySource | None,
) -> Part:
    """A decoded part stored straight into its slots (see ``_slots``): the decoder gives
    every field of its declared type, so the constructor's keyword parsing is not needed."""
    part = object.__new__(Part)
    _SET_CONTENT_TYPE(part, content_type)
    _SET_PARAMS(part, params)
    _SET_CONTENT_ID(part, content_id)
    _SET_CONTENT_LOCATION(part, content_location)
    _SET_HEADERS(part, headers)
    _SET_PARTS(part, parts)
    _SET_SOURCE(part, source)
    _SET_TRANSFER_ENCODING(part, None)
    return part


def shown_size(part: Part) -> int | None:
    """The size to show of ``part``: None where it is not known (a multipart, a stream) or
    cannot be read (a file part whose file is gone), so a repr or summary never raises."""
    try:
        return part.size
    except OSError:
        return None
