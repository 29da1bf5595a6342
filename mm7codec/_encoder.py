"""Typed message -> HTTP Content-Type and body, whole or as a stream of chunks.

A message without content is a plain ``text/xml`` envelope. With content it is
``multipart/related; type="text/xml"; start="<...>"``: the envelope first, then the content
part (its own subtree of parts), each leaf read from its bytes, file or stream as it is written.

Boundaries contain ``=_``, which neither base64 nor quoted-printable output can contain, so
they can only collide with bodies sent as they are (7bit/8bit/binary); those are checked, and a
collision falls back to quoted-printable or, for a caller's forced encoding, is an error.
Boundaries and generated Content-IDs derive from the TransactionID, so encoding is
deterministic: the same message gives the same bytes.

A peer reads exactly the message that was built, or encoding refuses with ``EncodeError``:

- Parameter names must be lower-case MIME tokens without ``*`` (readers fold the case and
  take ``*`` for RFC 2231 sections, so ``CHARSET`` or ``name*0`` would override another
  parameter); ``boundary`` is the encoder's own (on a multipart it is replaced, on a leaf it
  is refused). Values travel quoted, or in the RFC 2231 form when quoting would alter them.
- A Content-ID is printable ASCII without spaces or angle brackets, never empty; the Content
  href writes it as an RFC 2392 URL (``%`` and other URL-unsafe characters %-escaped), which
  readers unescape back to the id.
- A Content-Location is written as it is when it is printable ASCII without padding or
  ``=?``; otherwise as RFC 2047 encoded words, which carry it exactly. Control characters
  (CR, LF, TAB, NUL, C1) are refused: a URI has none, and a header must not carry them.
- No header line exceeds the decoder's ``Limits.max_header_line`` default, and no part tree
  is deeper or larger than ``Limits.max_part_depth``/``max_part_count`` allow.
- The body is exactly as long as ``content_length`` announced: an attachment whose stream
  or file turns out longer or shorter than planned (a wrong ``size=``, a file changed after
  ``encode_stream``) stops ``chunks()`` with ``EncodeError`` as soon as it is seen; a longer
  one before any of its surplus bytes is yielded.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from ._errors import EncodeError
from ._limits import DEFAULT_LIMITS
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
#: The longest header line (unfolded, name included) the decoder accepts by default.
_MAX_HEADER_LINE = DEFAULT_LIMITS.max_header_line
# A Content-ID: printable ASCII but space and the angle brackets that delimit it.
_CONTENT_ID = re.compile(r"[!-;=?-~]+")
# What a Content-Location may not hold in any form: C0 and C1 controls, DEL, lone surrogates.
_LOCATION_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Parameter names known to be lower-case tokens without "*" (no check needed).
_USUAL_PARAMETERS = frozenset({"charset", "name", "type", "start", "start-info", "format"})
# UTF-8 bytes per RFC 2047 word: 45 bytes are 60 base64 characters, a 72-character word.
_WORD_BYTES = 45


@dataclass(frozen=True, slots=True)
class _Leaf:
    """A leaf part whose body is read while the chunks are produced, with the transfer
    encoding chosen for it and the decoded size the plan counted on (None when unknown)."""

    part: Part
    transfer: str
    size: int | None


@dataclass(frozen=True, slots=True)
class EncodedMessage:
    """An encoded message ready to send: its Content-Type, its body as chunks, and its
    length when every attachment's size was known in advance (for Content-Length)."""

    content_type: str
    content_length: int | None
    #: The encoded body size of each leaf content part, in ``content.walk()`` order (None
    #: where it is only known once written: a stream of unknown size, or quoted-printable
    #: read from a file or stream; in-memory parts are written at planning, so known).
    part_sizes: tuple[int | None, ...] = ()
    # What chunks() writes: bytes as they are, leaves read from their sources between the
    # boundaries. Set only by _encoded(): the plan is the encoder's, not part of the signature.
    _plan: tuple[bytes | _Leaf, ...] = field(default=(), init=False, repr=False, compare=False)
    _boundaries: tuple[bytes, ...] = field(default=(), init=False, repr=False, compare=False)

    def chunks(self) -> Iterator[bytes]:
        """The body in order; attachments are read from their sources as it goes.

        Never yields more or fewer bytes in total than ``content_length`` (when known): an
        attachment that turns out longer or shorter than planned raises ``EncodeError``,
        which the sender must treat as a failed request (close the connection).
        """
        pieces = self._pieces()
        if self.content_length is None:
            yield from pieces
            return
        sent = 0
        for piece in pieces:
            sent += len(piece)
            if sent > self.content_length:
                raise EncodeError(
                    f"the body grew past the announced Content-Length {self.content_length}",
                    where="content",
                )
            yield piece
        if sent != self.content_length:
            raise EncodeError(
                f"the body ended after {sent} of the announced {self.content_length} bytes",
                where="content",
            )

    def _pieces(self) -> Iterator[bytes]:
        for item in self._plan:
            if isinstance(item, bytes):
                yield item
            else:
                yield from _leaf_chunks(item, self._boundaries)

    def body(self) -> bytes:
        """The whole body; ``EncodeError`` if it is not ``content_length`` long (nothing
        has gone out yet, so the total is checked once, at the end)."""
        data = b"".join(self._pieces())
        if self.content_length is not None and len(data) != self.content_length:
            raise EncodeError(
                f"the body takes {len(data)} bytes, not the announced {self.content_length}",
                where="content",
            )
        return data


def encode(message: Message, *, keep_extras: bool = False) -> tuple[str, bytes]:
    """``(content_type, body)`` for ``message``. ``keep_extras=True`` also writes the unknown
    elements decoding kept (``message.extras``) back where they stood, for a relay that
    passes vendor extensions on; by default they are left out and the output is
    schema-valid."""
    encoded = encode_stream(message, keep_extras=keep_extras)
    return encoded.content_type, encoded.body()


def encode_stream(message: Message, *, keep_extras: bool = False) -> EncodedMessage:
    """Plan the encoding of ``message``; nothing is read from attachments until
    ``chunks()`` is iterated. ``keep_extras`` as for ``encode``."""
    content: Part | None = getattr(message, "content", None)
    if content is None:
        envelope = encode_envelope(message, None, keep_extras=keep_extras)
        return _encoded('text/xml; charset="utf-8"', len(envelope), (envelope,), (), ())
    if not isinstance(content, Part):
        raise TypeError(f"content must be a Part, got {type(content).__name__}")
    # surrogatepass: a lone surrogate is refused with an EncodeError by the envelope writer.
    tid = message.transaction_id
    seed = tid.encode("utf-8", "surrogatepass") if isinstance(tid, str) else b""
    digest = hashlib.sha256(seed).hexdigest()[:24]
    used_ids = {part.content_id for part in content.walk() if part.content_id is not None}
    content_id = (
        content.content_id
        if content.content_id is not None
        else _unique(f"mm7-content-{digest[:12]}", used_ids)
    )
    soap_id = _unique(f"mm7-soap-{digest[:12]}", used_ids | {content_id})
    envelope = encode_envelope(message, _checked_content_id(content_id), keep_extras=keep_extras)
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
    return _encoded(
        content_type,
        planner.length,
        tuple(planner.plan),
        planner.boundaries,
        tuple(planner.part_sizes),
    )


def _encoded(
    content_type: str,
    content_length: int | None,
    plan: tuple[bytes | _Leaf, ...],
    boundaries: tuple[bytes, ...],
    part_sizes: tuple[int | None, ...],
) -> EncodedMessage:
    """An EncodedMessage with the encoder's plan, which its public constructor does not take."""
    encoded = EncodedMessage(content_type, content_length, part_sizes)
    object.__setattr__(encoded, "_plan", plan)
    object.__setattr__(encoded, "_boundaries", boundaries)
    return encoded


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
        self.parts = 0
        self.plan: list[bytes | _Leaf] = []
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
        if not isinstance(part, Part) or not isinstance(part.content_type, str):
            raise TypeError(f"content parts must be Parts with a str content_type, got {part!r}")
        self.parts += 1
        if self.parts >= DEFAULT_LIMITS.max_part_count:  # the SOAP part counts too
            raise EncodeError(
                f"more than {DEFAULT_LIMITS.max_part_count - 1} content parts: the decoder's "
                "max_part_count default would refuse the message",
                where="content",
            )
        if part.is_multipart:
            if not part.parts:
                raise EncodeError(f"multipart {part.content_type} has no parts", where="content")
            if depth > DEFAULT_LIMITS.max_part_depth:
                raise EncodeError(
                    f"multiparts nested {depth} deep: the decoder's max_part_depth default is "
                    f"{DEFAULT_LIMITS.max_part_depth}",
                    where="content",
                )
            boundary = self.boundary(depth)
            _check_params(part)
            params = {k: v for k, v in part.params.items() if k != "boundary"}
            params["boundary"] = boundary.decode("ascii")
            self.emit(_part_headers(part, content_id, params, None) + _CRLF)
            for child in part.parts:
                self.emit(b"--" + boundary + _CRLF)
                self.part(child, child.content_id, depth + 1)
                self.emit(_CRLF)
            self.emit(b"--" + boundary + b"--")
            return
        _check_params(part)
        if "boundary" in part.params:
            raise EncodeError(
                f"the leaf part {part.content_id!r} has a boundary parameter, which readers "
                "drop (the boundary belongs to multiparts, and the encoder chooses it)",
                where="content",
            )
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
        size = part.size  # read once: a file's size is taken now, and held to
        encoded_size = (
            None
            if size is None or transfer == "quoted-printable"
            else base64_encoded_length(size)
            if transfer == "base64"
            else size
        )
        self.part_sizes.append(encoded_size)
        if self.length is not None:
            self.length = None if encoded_size is None else self.length + encoded_size
        self.plan.append(_Leaf(part, transfer, size))


def _choose_transfer_encoding(part: Part, boundaries: tuple[bytes, ...]) -> str:
    if part.transfer_encoding is not None and not isinstance(part.transfer_encoding, str):
        raise TypeError(f"transfer_encoding must be str, got {part.transfer_encoding!r}")
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


def _check_params(part: Part) -> None:
    """Parameters a reader gets back as they are: see the module docstring."""
    for name, value in part.params.items():
        if name in _USUAL_PARAMETERS and type(value) is str:
            continue
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(
                f"the params of part {part.content_id!r} must map str to str, "
                f"got {name!r}: {type(value).__name__}"
            )
        if not STRICT_TOKEN.fullmatch(name) or "*" in name:
            raise EncodeError(
                f"parameter name {name!r} is not a MIME token without '*' "
                "(a '*' makes it an RFC 2231 section of another parameter)",
                where="content",
            )
        if name != name.lower():
            raise EncodeError(
                f"parameter name {name!r} is not lower case: readers ignore the case, so it "
                "would come back (or override another parameter) as "
                f"{name.lower()!r}",
                where="content",
            )


def _checked_content_id(content_id: str) -> str:
    if not isinstance(content_id, str):
        raise TypeError(f"content_id must be str, got {type(content_id).__name__}")
    if not _CONTENT_ID.fullmatch(content_id):
        raise EncodeError(
            f"Content-ID {content_id[:80]!r} is not a valid id: printable ASCII without "
            "spaces or angle brackets, not empty",
            where="content",
        )
    return content_id


def _location_value(location: str, where: str) -> str:
    """A Content-Location header value a reader decodes back to ``location`` exactly."""
    if not isinstance(location, str):
        raise TypeError(f"content_location must be str, got {type(location).__name__}")
    bad = _LOCATION_FORBIDDEN.search(location[: _MAX_HEADER_LINE + 1])
    if bad is not None:
        raise EncodeError(
            f"Content-Location {location[:80]!r} holds U+{ord(bad.group()):04X}; "
            "a location has no control characters or lone surrogates",
            where=where,
        )
    if len(location) > _MAX_HEADER_LINE:
        raise _long_header("Content-Location", where)
    if (
        location.isascii()
        and location.isprintable()
        and "=?" not in location
        and location == location.strip(" ")
    ):
        return location
    return _encoded_words(location)


def _encoded_words(text: str) -> str:
    """RFC 2047 "B" words of whole UTF-8 characters, one per folded line; readers join
    adjacent words without the white space between them."""
    data = text.encode("utf-8")
    words = []
    start = 0
    while start < len(data):
        end = min(start + _WORD_BYTES, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # not inside a character
            end -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(data[start:end]).decode('ascii')}?=")
        start = end
    return "\r\n ".join(words)


def _long_header(name: str, where: str) -> EncodeError:
    return EncodeError(
        f"the {name} header would be longer than {_MAX_HEADER_LINE} characters, the "
        "decoder's max_header_line default",
        where=where,
    )


def _part_headers(
    part: Part, content_id: str | None, params: Mapping[str, str], transfer: str | None
) -> bytes:
    where = "content" if content_id is None else f"content <{content_id}>"
    if not isinstance(part.content_type, str) or not is_media_type(part.content_type):
        raise EncodeError(f"media type {part.content_type!r} is not type/subtype", where="content")
    if part.content_type != part.content_type.lower():
        raise EncodeError(
            f"media type {part.content_type!r} is not lower case (readers fold it)", where=where
        )
    try:
        content_type = format_content_type(part.content_type, params)
    except UnicodeEncodeError:
        raise EncodeError(
            "a parameter value holds a lone surrogate, which no charset carries", where=where
        ) from None
    except ValueError as error:  # control characters
        raise EncodeError(str(error), where=where) from None
    lines = [f"Content-Type: {content_type}"]
    if transfer is not None:
        lines.append(f"Content-Transfer-Encoding: {transfer}")
    if content_id is not None:
        lines.append(f"Content-ID: <{_checked_content_id(content_id)}>")
    if part.content_location is not None:
        lines.append(f"Content-Location: {_location_value(part.content_location, where)}")
    for line in lines:
        # A folded line is as long, unfolded, as it is here with its line breaks.
        if len(line) > _MAX_HEADER_LINE:
            raise _long_header(line.partition(":")[0], where)
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _leaf_chunks(leaf: _Leaf, boundaries: tuple[bytes, ...]) -> Iterator[bytes]:
    part, transfer = leaf.part, leaf.transfer
    if transfer == "quoted-printable":  # a file or stream the caller asked to send as QP
        body = part.body
        _check_size(leaf, len(body), final=True)
        yield encode_quoted_printable(body)
        return
    if transfer == "base64" and isinstance(part.source, (BytesBody, ChunksBody)):
        # In memory already: encoded from slices of it, with no stream copying it first.
        view = memoryview(part.body)
        _check_size(leaf, len(view), final=True)
        for start in range(0, len(view), _READ_SIZE):
            yield from encode_base64_pieces(view[start : start + _READ_SIZE])
        return
    read = 0
    with part.open() as stream:
        previous = b""
        while block := _read_full(stream, _READ_SIZE):
            read += len(block)
            _check_size(leaf, read, final=False)  # before any surplus byte goes out
            if transfer == "base64":
                yield from encode_base64_pieces(block)
                continue
            # Check across read edges too: the tail of the last block plus this one.
            window = previous[-80:] + block
            if _collides(window, boundaries):
                raise EncodeError(
                    f"the body of part {part.content_id!r} contains a MIME boundary",
                    where="content",
                )
            previous = block
            yield block
    _check_size(leaf, read, final=True)


def _check_size(leaf: _Leaf, read: int, *, final: bool) -> None:
    """Hold a body to the size the plan counted on (and announced in Content-Length)."""
    if leaf.size is None or (read == leaf.size if final else read <= leaf.size):
        return
    what = "longer" if read > leaf.size else "shorter"
    raise EncodeError(
        f"the body of part {leaf.part.content_id!r} is {what} than the {leaf.size} bytes "
        "planned (a wrong size=, or a file changed after encode_stream); the announced "
        "Content-Length cannot hold",
        where="content",
    )


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
