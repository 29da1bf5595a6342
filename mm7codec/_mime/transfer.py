"""Content-Transfer-Encodings, decoded incrementally and encoded in one pass.

Decoders take chunks cut anywhere (the parser does not know where base64 quanta or
quoted-printable lines end) and keep back only the few bytes that cannot be decoded yet.
``binascii`` does the work on whole blocks; no per-line Python loop.
"""

from __future__ import annotations

import binascii
import re
import struct

from . import Report

__all__ = [
    "Base64Decoder",
    "IdentityDecoder",
    "QuotedPrintableDecoder",
    "TransferDecoder",
    "base64_encoded_length",
    "encode_base64",
    "encode_base64_pieces",
    "encode_quoted_printable",
    "make_decoder",
]


_WHITESPACE = b" \t\r\n"
_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_NOT_BASE64 = bytes(sorted(set(range(256)) - set(_BASE64_ALPHABET)))


class TransferDecoder:
    """Identity: bytes pass through unchanged (7bit, 8bit, binary, or no encoding given).

    ``decode(buffer, start, end)`` takes a region of the parser's buffer, so nothing is
    copied before it is needed.
    """

    __slots__ = ()

    def decode(self, buffer: bytes, start: int, end: int) -> list[bytes | memoryview]:
        if start == 0 and end == len(buffer):
            return [buffer]
        return [memoryview(buffer)[start:end]]

    def finish(self, report: Report) -> bytes:
        return b""


IdentityDecoder = TransferDecoder


# Every MIME encoder we know writes 76 base64 characters and CRLF per line.
_LINE = 78
_LINE_BYTES = 57
_BLOCK = 1024 * _LINE


class Base64Decoder(TransferDecoder):
    """Base64 tolerant of any line length and white space; a truncated last quantum is
    decoded as far as it goes and reported.

    Fast path: whole lines of the usual 78-byte shape go to ``a2b_base64`` straight from the
    parser's buffer, and the length it returns proves the shape (a line with a stray character
    would decode shorter). Anything else (other line lengths, stray characters, padding in the
    middle) takes the careful path, which drops line breaks, counts, and reports.
    """

    __slots__ = ("_pending", "_invalid", "_mid_line")

    def __init__(self) -> None:
        self._pending = b""
        self._invalid = False
        self._mid_line = False  # whether the data so far ended inside a line

    def decode(self, buffer: bytes, start: int, end: int) -> list[bytes | memoryview]:
        if start >= end:
            return []
        out: list[bytes | memoryview] = []
        self._mid_line, was_mid_line = buffer[end - 1] != 0x0A, self._mid_line
        if was_mid_line or self._pending:
            # The previous chunk ended inside a line, or left characters of a quantum: finish
            # the line on its own, so the rest of this chunk starts at a line and, when nothing
            # is pending any more, can take the fast path.
            newline = buffer.find(b"\n", start, end)
            line_end = end if newline < 0 else newline + 1
            self._decode_irregular(buffer[start:line_end], out)
            start = line_end
        # Regular full lines first: their count is known from the length alone. Characters
        # still pending belong before them, so then everything takes the careful path.
        lines = 0 if self._pending else (end - start) // _LINE
        regular = start + lines * _LINE
        if lines and buffer[regular - 2 : regular] == b"\r\n" and buffer[start + 76] == 0x0D:
            view = memoryview(buffer)
            # Blocks of about 80 KB stay in the processor's cache; one pass over megabytes
            # would not, and is slower for it.
            for block_start in range(start, regular, _BLOCK):
                block_end = min(block_start + _BLOCK, regular)
                try:
                    decoded = binascii.a2b_base64(view[block_start:block_end])
                except binascii.Error:
                    break
                if len(decoded) != (block_end - block_start) // _LINE * _LINE_BYTES:
                    break
                out.append(decoded)
                start = block_end
        if start < end:
            self._decode_irregular(buffer[start:end], out)
        return out

    def _decode_irregular(self, data: bytes, out: list[bytes | memoryview]) -> None:
        """Anything but whole regular lines: white space dropped, the last partial quantum
        kept for the next chunk, stray characters handled by ``_careful``."""
        compact = self._pending + data.translate(None, _WHITESPACE)
        usable = len(compact) & ~3
        self._pending = compact[usable:]
        compact = compact[:usable]
        if not compact:
            return
        try:
            out.append(binascii.a2b_base64(compact, strict_mode=True))
        except binascii.Error:
            pending, self._pending = self._pending, b""
            out.append(self._careful(compact + pending))

    def _careful(self, block: bytes) -> bytes:
        """Stray characters are dropped and reported; runs glued after padding decoded apart."""
        cleaned = block.translate(None, _NOT_BASE64)
        if len(cleaned) != len(block):
            self._invalid = True
        usable = len(cleaned) & ~3
        self._pending = cleaned[usable:]
        cleaned = cleaned[:usable]
        out = []
        padding = cleaned.find(b"=")
        while 0 <= padding < len(cleaned) - 2:
            end = (padding // 4 + 1) * 4
            out.append(self._decode_quanta(cleaned[:end]))
            cleaned = cleaned[end:].lstrip(b"=")
            padding = cleaned.find(b"=")
        if len(cleaned) % 4:
            self._pending = cleaned[len(cleaned) & ~3 :] + self._pending
            cleaned = cleaned[: len(cleaned) & ~3]
        out.append(self._decode_quanta(cleaned))
        return b"".join(out)

    def _decode_quanta(self, block: bytes) -> bytes:
        if not block:
            return b""
        try:
            return binascii.a2b_base64(block)
        except binascii.Error:
            self._invalid = True
            return b""

    def finish(self, report: Report) -> bytes:
        pending = self._pending.translate(None, _NOT_BASE64).translate(None, b"=")
        if len(pending) != len(self._pending.rstrip(b"=")):
            self._invalid = True
        self._pending = b""
        if self._invalid:
            report("invalid-base64", "base64 body holds characters outside the alphabet")
        if not pending:
            return b""
        report("truncated-base64", f"base64 body ends with {len(pending)} stray characters")
        return (
            self._decode_quanta(pending + b"=" * (-len(pending) % 4)) if len(pending) > 1 else b""
        )


# "=" must start a soft line break or a two-digit hex escape.
_BAD_QP_ESCAPE = re.compile(rb"=(?![0-9A-Fa-f]{2}|[ \t]*\r?\n)")


class QuotedPrintableDecoder(TransferDecoder):
    """Quoted-printable, decoded line by line in blocks; a partial last line waits. A stray
    "=" is kept as it is (what binascii does) and reported."""

    __slots__ = ("_pending", "_invalid")

    def __init__(self) -> None:
        self._pending = b""
        self._invalid = False

    def _decode_lines(self, block: bytes) -> bytes:
        if not self._invalid and _BAD_QP_ESCAPE.search(block) is not None:
            self._invalid = True
        return binascii.a2b_qp(block)

    def decode(self, buffer: bytes, start: int, end: int) -> list[bytes | memoryview]:
        block = self._pending + buffer[start:end]
        cut = block.rfind(b"\n") + 1
        self._pending = block[cut:]
        return [self._decode_lines(block[:cut])] if cut else []

    def finish(self, report: Report) -> bytes:
        rest, self._pending = self._pending, b""
        decoded = self._decode_lines(rest) if rest else b""
        if self._invalid:
            report("invalid-quoted-printable", "quoted-printable body has a stray '='")
        return decoded


_DECODERS: dict[str, type[TransferDecoder]] = {
    "7bit": TransferDecoder,
    "8bit": TransferDecoder,
    "binary": TransferDecoder,
    "base64": Base64Decoder,
    "quoted-printable": QuotedPrintableDecoder,
}


def make_decoder(name: str | None, report: Report) -> TransferDecoder:
    """The decoder for a Content-Transfer-Encoding value (any case); unknown ones are read as
    identity and reported."""
    if name is None:
        return TransferDecoder()
    key = name.strip().lower()
    decoder = _DECODERS.get(key)
    if decoder is None:
        report("unknown-transfer-encoding", f"Content-Transfer-Encoding {name!r}; read as binary")
        return TransferDecoder()
    return decoder()


# Wrapping base64 at 76 columns without a Python step per line: struct cuts 64 lines at a
# time in C, and bytes.join puts the CRLFs between them (and after the last, through the
# empty item added at the end).
_WRAP_LINES = 64
_WRAP = struct.Struct("76s" * _WRAP_LINES)
#: For the last, shorter run: the whole lines of it, by count.
_WRAP_FEWER = tuple(struct.Struct("76s" * count) for count in range(_WRAP_LINES))
_CRLF = b"\r\n"


def encode_base64_pieces(data: bytes | memoryview) -> list[bytes]:
    """Base64 in 76-character CRLF lines (the last one ends with CRLF too), as pieces of up
    to 64 lines: the caller's one join of the whole body is the only copy made of them."""
    if not data:
        return []
    encoded = binascii.b2a_base64(data, newline=False)
    whole = len(encoded) - len(encoded) % _WRAP.size
    pieces = [_CRLF.join((*lines, b"")) for lines in _WRAP.iter_unpack(memoryview(encoded)[:whole])]
    rest = memoryview(encoded)[whole:]
    if rest:
        count = len(rest) // 76
        lines = _WRAP_FEWER[count].unpack(rest[: count * 76])
        short = rest[count * 76 :]
        pieces.append(_CRLF.join((*lines, bytes(short), b"") if short else (*lines, b"")))
    return pieces


def encode_base64(data: bytes | memoryview) -> bytes:
    """Base64 in 76-character CRLF lines (the last one ends with CRLF too)."""
    return b"".join(encode_base64_pieces(data))


def base64_encoded_length(size: int) -> int:
    """The length ``encode_base64`` gives for ``size`` input bytes."""
    if size == 0:
        return 0
    characters = 4 * ((size + 2) // 3)
    lines = (characters + 75) // 76
    return characters + 2 * lines


def encode_quoted_printable(data: bytes) -> bytes:
    """Quoted-printable with CRLF soft line breaks; every CR and LF of the data is encoded, so
    the decoded bytes come back exactly."""
    return binascii.b2a_qp(data, quotetabs=True, istext=False).replace(b"\n", b"\r\n")
