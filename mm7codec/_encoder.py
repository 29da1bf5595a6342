"""Typed message -> HTTP Content-Type and body, whole or as a stream of chunks.

A message without content is a plain ``text/xml`` envelope. With content it is
``multipart/related; type="text/xml"; start="<...>"``: the envelope first, then the content
part (its own subtree of parts), each leaf read from its bytes, file or stream as it is written.

Boundaries contain ``=_``, which neither base64 nor quoted-printable output can contain, so
they can only collide with bodies sent as they are (7bit/8bit/binary); those are checked, and a
collision falls back to quoted-printable or, for a caller's forced encoding, is an error.
Boundaries and generated Content-IDs derive from the TransactionID, so encoding is
deterministic: the same message gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email.header import Header
from typing import BinaryIO

from ._errors import EncodeError
from ._messages import Message
from ._mime.headers import STRICT_TOKEN, format_content_type, is_media_type
from ._mime.transfer import (
    base64_encoded_length,
    encode_base64_pieces,
    encode_quoted_printable,
)
from ._parts import BytesBody, ChunksBody, Part
from ._soap_encode import encode_envelope

__all__ = ["EncodedMessage", "encode", "encode_stream"]

_CRLF = b"\r\n"
_READ_SIZE = 57 * 1024  # a multiple of 57 bytes: whole 76-character base64 lines per read
_PASSTHROUGH = ("7bit", "8bit", "binary")
_ENCODINGS = (*_PASSTHROUGH, "base64", "quoted-printable")


@dataclass(frozen=True, slots=True)
class EncodedMessage:
    """An encoded message ready to send: its Content-Type, its body as chunks, and its
    length when every attachment's size was known in advance (for Content-Length)."""

    content_type: str
    content_length: int | None
    _plan: tuple[bytes | Part, ...]
    _boundaries: tuple[bytes, ...]
    #: The encoded body size of each leaf content part, in ``content.walk()`` order (None
    #: where it is only known once written: a stream of unknown size, or quoted-printable).
    part_sizes: tuple[int | None, ...] = ()

    def chunks(self) -> Iterator[bytes]:
        """The body in order; attachments are read from their sources as it goes."""
        for item in self._plan:
            if isinstance(item, bytes):
                yield item
            else:
                yield from _leaf_chunks(item, self._boundaries)

    def body(self) -> bytes:
        return b"".join(self.chunks())


def encode(message: Message) -> tuple[str, bytes]:
    """``(content_type, body)`` for ``message``."""
    encoded = encode_stream(message)
    return encoded.content_type, encoded.body()


def encode_stream(message: Message) -> EncodedMessage:
    """Plan the encoding of ``message``; nothing is read from attachments until
    ``chunks()`` is iterated."""
    content: Part | None = getattr(message, "content", None)
    if content is None:
        envelope = encode_envelope(message, None)
        return EncodedMessage('text/xml; charset="utf-8"', len(envelope), (envelope,), ())
    digest = hashlib.sha256(message.transaction_id.encode("utf-8")).hexdigest()[:24]
    used_ids = {part.content_id for part in content.walk() if part.content_id is not None}
    content_id = content.content_id or _unique(f"mm7-content-{digest[:12]}", used_ids)
    soap_id = _unique(f"mm7-soap-{digest[:12]}", used_ids | {content_id})
    envelope = encode_envelope(message, content_id)
    planner = _Planner(digest)
    boundary = planner.boundary(1)
    planner.emit(
        b"--"
        + boundary
        + _CRLF
        + b'Content-Type: text/xml; charset="utf-8"\r\n'
        + b"Content-Transfer-Encoding: 8bit\r\n"
        + f"Content-ID: <{soap_id}>\r\n\r\n".encode("ascii")
        + envelope
        + _CRLF
        + b"--"
        + boundary
        + _CRLF
    )
    planner.part(content, content_id, depth=2)
    planner.emit(_CRLF + b"--" + boundary + b"--" + _CRLF)
    content_type = format_content_type(
        "multipart/related",
        {"type": "text/xml", "start": f"<{soap_id}>", "boundary": boundary.decode("ascii")},
    )
    return EncodedMessage(
        content_type,
        planner.length,
        tuple(planner.plan),
        planner.boundaries,
        tuple(planner.part_sizes),
    )


def _unique(candidate: str, taken: set[str]) -> str:
    name, counter = candidate, 1
    while name in taken:
        counter += 1
        name = f"{candidate}-{counter}"
    return name


class _Planner:
    """Lays out the body as literal byte runs and leaf parts, adding up the length."""

    def __init__(self, digest: str) -> None:
        self.digest = digest
        self.plan: list[bytes | Part] = []
        self.length: int | None = 0
        self.boundaries: tuple[bytes, ...] = ()
        self.part_sizes: list[int | None] = []

    def boundary(self, depth: int) -> bytes:
        value = f"=_mm7codec_{depth}_{self.digest}".encode("ascii")
        if value not in self.boundaries:
            self.boundaries += (value,)
        return value

    def emit(self, data: bytes) -> None:
        self.plan.append(data)
        if self.length is not None:
            self.length += len(data)

    def part(self, part: Part, content_id: str | None, depth: int) -> None:
        """Headers and body of ``part`` (the opening delimiter is already written)."""
        if part.is_multipart:
            if not part.parts:
                raise EncodeError(f"multipart {part.content_type} has no parts", where="content")
            boundary = self.boundary(depth)
            params = {k: v for k, v in part.params.items() if k != "boundary"}
            params["boundary"] = boundary.decode("ascii")
            self.emit(_part_headers(part, content_id, params, None) + _CRLF)
            for child in part.parts:
                self.emit(b"--" + boundary + _CRLF)
                self.part(child, child.content_id, depth + 1)
                self.emit(_CRLF)
            self.emit(b"--" + boundary + b"--")
            return
        transfer = _choose_transfer_encoding(part, self.boundaries)
        self.emit(_part_headers(part, content_id, dict(part.params), transfer) + _CRLF)
        if isinstance(part.source, (BytesBody, ChunksBody)) and transfer != "base64":
            # Already in memory (and, for 7bit/8bit/binary, checked for boundaries): written
            # now, once, which also gives its exact length.
            body = part.body
            written = encode_quoted_printable(body) if transfer == "quoted-printable" else body
            self.part_sizes.append(len(written))
            self.emit(written)
            return
        size = part.size
        self.part_sizes.append(
            None
            if size is None or transfer == "quoted-printable"
            else base64_encoded_length(size)
            if transfer == "base64"
            else size
        )
        if self.length is not None:
            if size is None or transfer == "quoted-printable":
                self.length = None
            elif transfer == "base64":
                self.length += base64_encoded_length(size)
            else:
                self.length += size
        self.plan.append(replace(part, transfer_encoding=transfer))


def _choose_transfer_encoding(part: Part, boundaries: tuple[bytes, ...]) -> str:
    wanted = part.transfer_encoding.lower() if part.transfer_encoding else None
    if wanted is not None and wanted not in _ENCODINGS:
        raise EncodeError(f"unknown Content-Transfer-Encoding {wanted!r}", where="content")
    in_memory = isinstance(part.source, (BytesBody, ChunksBody))
    if wanted in _PASSTHROUGH:
        if in_memory and _collides(part.body, boundaries):
            raise EncodeError(
                f"the body of part {part.content_id!r} contains a MIME boundary; "
                f"it cannot be sent as {wanted}",
                where="content",
            )
        return wanted
    if wanted is not None:
        return wanted
    if in_memory and part.is_textual:
        data = part.body
        if _is_plain_7bit(data) and not _collides(data, boundaries):
            return "7bit"
        return "quoted-printable"
    return "base64"


def _collides(data: bytes, boundaries: tuple[bytes, ...]) -> bool:
    # A boundary of a level not planned yet starts with the same prefix, so check the prefix.
    return b"--=_mm7codec_" in data or any(b"--" + b in data for b in boundaries)


def _is_plain_7bit(data: bytes) -> bool:
    """ASCII text in CRLF lines of at most 998 bytes, with no NUL or lone CR/LF."""
    if not data.isascii() or b"\x00" in data:
        return False
    lines = data.split(b"\r\n")
    return all(len(line) <= 998 and b"\r" not in line and b"\n" not in line for line in lines)


def _header_value(value: str) -> str:
    """A free-text header value; non-ASCII becomes an RFC 2047 encoded word."""
    if value.isascii() and "\r" not in value and "\n" not in value:
        return value
    return Header(value, "utf-8").encode(linesep="\r\n")


def _part_headers(
    part: Part, content_id: str | None, params: dict[str, str], transfer: str | None
) -> bytes:
    if not is_media_type(part.content_type):
        raise EncodeError(f"media type {part.content_type!r} is not type/subtype", where="content")
    for name in params:
        if not STRICT_TOKEN.fullmatch(name):
            raise EncodeError(f"parameter name {name!r} is not a MIME token", where="content")
    lines = [f"Content-Type: {format_content_type(part.content_type, params)}"]
    if transfer is not None:
        lines.append(f"Content-Transfer-Encoding: {transfer}")
    if content_id is not None:
        if any(c in content_id for c in "<>\r\n") or not content_id.isascii():
            raise EncodeError(f"Content-ID {content_id!r} is not a valid id", where="content")
        lines.append(f"Content-ID: <{content_id}>")
    if part.content_location is not None:
        lines.append(f"Content-Location: {_header_value(part.content_location)}")
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _leaf_chunks(part: Part, boundaries: tuple[bytes, ...]) -> Iterator[bytes]:
    transfer = part.transfer_encoding
    if transfer == "quoted-printable":  # a file or stream the caller asked to send as QP
        yield encode_quoted_printable(part.body)
        return
    if transfer == "base64" and isinstance(part.source, (BytesBody, ChunksBody)):
        # In memory already: encoded from slices of it, with no stream copying it first.
        view = memoryview(part.body)
        for start in range(0, len(view), _READ_SIZE):
            yield from encode_base64_pieces(view[start : start + _READ_SIZE])
        return
    with part.open() as stream:
        if transfer == "base64":
            while block := _read_full(stream, _READ_SIZE):
                yield from encode_base64_pieces(block)
            return
        previous = b""
        while block := _read_full(stream, _READ_SIZE):
            # Check across read edges too: the tail of the last block plus this one.
            window = previous[-80:] + block
            if _collides(window, boundaries):
                raise EncodeError(
                    f"the body of part {part.content_id!r} contains a MIME boundary",
                    where="content",
                )
            previous = block
            yield block


def _read_full(stream: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes unless the stream ends first (raw streams may return less), so
    base64 blocks stay whole lines and the planned length holds."""
    block = stream.read(size)
    if not block or len(block) == size:
        return block
    pieces = [block]
    missing = size - len(block)
    while missing:
        more = stream.read(missing)
        if not more:
            break
        pieces.append(more)
        missing -= len(more)
    return b"".join(pieces)
