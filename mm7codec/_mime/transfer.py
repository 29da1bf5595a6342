"""Content-Transfer-Encodings, decoded incrementally and encoded in one pass.

Decoders take chunks cut anywhere (the parser does not know where base64 quanta or
quoted-printable lines end) and keep back only the few bytes that cannot be decoded yet.
``binascii`` does the work on whole blocks; no per-line Python loop.
"""

from __future__ import annotations

import binascii
import itertools
import operator
import re
import struct

from . import Report

__all__ = [
    "Base64Decoder",
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


# Every MIME encoder we know writes 76 base64 characters and CRLF per line.
_LINE = 78
_LINE_BYTES = 57
_BLOCK = 1024 * _LINE
_CRS = b"\r" * (_BLOCK // _LINE)
_LFS = b"\n" * (_BLOCK // _LINE)
#: The careful path splits at padding in slices of this many characters, so the pieces it
#: makes at once stay few however long the body is.
_SLICE = 64 * 1024
_IMPLIED_PADDING = b"=="


class Base64Decoder(TransferDecoder):
    """Base64 tolerant of any line length and white space; a truncated last quantum is
    decoded as far as it goes and reported.

    Fast path: whole lines of the usual 78-byte shape go to ``a2b_base64`` straight from the
    parser's buffer, and the length it returns proves the shape (a line with a stray character
    would decode shorter). Anything else (other line lengths, stray characters, padding in the
    middle) takes the careful path, which drops line breaks, counts, and reports.

    Padding in the middle (pieces encoded apart and glued together) splits the characters
    into runs, each decoded on its own as if padded. Pieces padded right (``XY==``, ``XYZ=``
    at the end of a quantum) are decoded all at once by ``_decode_padded_quanta``; any other
    runs are split at the padding and decoded one by one through ``map``, a slice at a time.
    Either way a body of nothing but ``AA==`` costs no Python step per quantum and no copy of
    what is left per run (which made it quadratic).
    """

    __slots__ = ("_pending", "_pads", "_closed_rest", "_invalid", "_glued", "_mid_line")

    def __init__(self) -> None:
        self._pending = b""  # characters of the open run not decoded yet (no "=" among them)
        self._pads = 0  # how many "=" came since the last data character
        self._closed_rest = 0  # length modulo 4 of the run those "=" close
        self._invalid = False  # characters outside the alphabet, or a run of 4n+1
        self._glued = False  # data after padding: pieces encoded apart and glued together
        self._mid_line = False  # whether the data so far ended inside a line

    def decode(self, buffer: bytes, start: int, end: int) -> list[bytes | memoryview]:
        if start >= end:
            return []
        out: list[bytes | memoryview] = []
        self._mid_line, was_mid_line = buffer[end - 1] != 0x0A, self._mid_line
        if was_mid_line or self._pending or self._pads:
            # The previous chunk ended inside a line, or left characters of a quantum, or
            # padding: finish the line on its own, so the rest of this chunk starts at a line
            # and, when nothing is pending any more, can take the fast path.
            newline = buffer.find(b"\n", start, end)
            line_end = end if newline < 0 else newline + 1
            self._decode_irregular(buffer[start:line_end], out)
            start = line_end
        # Regular full lines first: their count is known from the length alone. Characters
        # still pending (or padding before them) come first, so then the careful path does all.
        lines = 0 if self._pending or self._pads else (end - start) // _LINE
        regular = start + lines * _LINE
        if lines:
            view = memoryview(buffer)
            # Blocks of about 80 KB stay in the processor's cache; one pass over megabytes
            # would not, and is slower for it.
            for block_start in range(start, regular, _BLOCK):
                block_end = min(block_start + _BLOCK, regular)
                count = (block_end - block_start) // _LINE
                # Every line ends in CRLF where a regular line does (a strided slice each, about
                # 1% of the decode): then the other 76 bytes of each are all data, or else
                # a2b_base64, which skips a stray byte or "=" unsaid, returns fewer bytes.
                if (
                    buffer[block_start + _LINE - 2 : block_end : _LINE] != _CRS[:count]
                    or buffer[block_start + _LINE - 1 : block_end : _LINE] != _LFS[:count]
                ):
                    break
                try:
                    decoded = binascii.a2b_base64(view[block_start:block_end])
                except binascii.Error:
                    break
                if len(decoded) != count * _LINE_BYTES:
                    break
                out.append(decoded)
                start = block_end
        if start < end:
            self._decode_irregular(buffer[start:end], out)
        return out

    def _decode_irregular(self, data: bytes, out: list[bytes | memoryview]) -> None:
        """Anything but whole regular lines: white space dropped, the last partial quantum
        kept for the next chunk; padding and stray characters go to ``_careful``."""
        compact = self._pending + data.translate(None, _WHITESPACE)
        usable = len(compact) & ~3
        # No "=" in the last quantum nor after it: strict mode then proves there is none at
        # all (it refuses padding anywhere but at the end), nor any stray character.
        if not self._pads and compact.find(b"=", max(usable - 4, 0)) < 0:
            try:
                decoded = binascii.a2b_base64(memoryview(compact)[:usable], strict_mode=True)
            except binascii.Error:
                pass
            else:
                self._pending = compact[usable:]
                # The open run's length modulo 4 (its characters in the alphabet), which
                # padding coming later closes, as the careful path keeps it: left stale, a
                # body split here was reported truncated where it was not.
                self._closed_rest = len(self._pending.translate(None, _NOT_BASE64))
                if decoded:
                    out.append(decoded)
                return
        self._pending = b""
        self._careful(compact, out)

    def _careful(self, compact: bytes, out: list[bytes | memoryview]) -> None:
        """Stray characters dropped and reported; the rest decoded a slice at a time."""
        cleaned = compact.translate(None, _NOT_BASE64)
        if len(cleaned) != len(compact):
            self._invalid = True
        for offset in range(0, len(cleaned), _SLICE):
            self._decode_characters(cleaned[offset : offset + _SLICE], out)

    def _decode_characters(self, characters: bytes, out: list[bytes | memoryview]) -> None:
        """Alphabet characters only, in order. Runs of data between padding are decoded one
        by one; the open run at the end keeps its partial quantum for what comes next."""
        combined = self._pending + characters
        if not self._pending:  # padding at the start goes on from what came before
            data = combined.lstrip(b"=")
            self._pads += len(combined) - len(data)
            self._glued = self._glued or bool(self._pads and data)
            combined = data
        body = combined.rstrip(b"=")
        if not body:  # padding only: it goes on
            self._pads += len(combined)
            return
        trailing = len(combined) - len(body)
        last_pad = body.rfind(b"=")
        self._glued = self._glued or last_pad >= 0
        if trailing:
            self._closed_rest = (len(body) - last_pad - 1) % 4
            closed_end = len(combined)
        else:
            closed_end = last_pad + 1
        # ``combined`` starts at a quantum boundary: of its run, or of a new run after padding.
        closed = combined[:closed_end]
        if closed:
            decoded = _decode_padded_quanta(closed)
            if decoded is None:
                decoded = self._decode_runs(closed.split(b"="))
            if decoded:
                out.append(decoded)
        self._pads = trailing
        open_run = combined[closed_end:]
        if not trailing:  # padding that comes later closes this run, not the one before
            self._closed_rest = len(open_run) % 4
        usable = len(open_run) & ~3
        self._pending = open_run[usable:]
        if usable:
            out.append(binascii.a2b_base64(memoryview(open_run)[:usable]))

    def _decode_runs(self, runs: list[bytes]) -> bytes:
        """Each run closed by padding, decoded as if padded right; a run of 4n+1 characters
        cannot be, so its last character is dropped and reported."""
        try:
            return b"".join(
                map(binascii.a2b_base64, map(operator.add, filter(None, runs), _PADS_FOREVER))
            )
        except binascii.Error:
            pass
        pieces = []
        for run in runs:
            whole = len(run) - (len(run) % 4 == 1)
            if whole != len(run):
                self._invalid = True
            if whole:
                pieces.append(binascii.a2b_base64(run[:whole] + _IMPLIED_PADDING))
        return b"".join(pieces)

    def finish(self, report: Report) -> bytes:
        pending = self._pending.translate(None, _NOT_BASE64)
        if len(pending) != len(self._pending):
            self._invalid = True
        self._pending = b""
        if self._invalid:
            report("invalid-base64", "base64 body holds characters that cannot be decoded")
        if self._glued:
            report(
                "base64-data-after-padding",
                "base64 body goes on after its padding (pieces encoded apart, glued together)",
            )
        if self._pads and self._pads < -self._closed_rest % 4:
            report("truncated-base64", "base64 body ends short of its padding")
        if not pending:
            return b""
        report("truncated-base64", f"base64 body ends with {len(pending)} stray characters")
        return binascii.a2b_base64(pending + _IMPLIED_PADDING) if len(pending) > 1 else b""


_PADS_FOREVER = itertools.repeat(_IMPLIED_PADDING)
_PAD_AS_ZERO = bytes.maketrans(b"=", b"A")
_PAD_MARK = bytes(0x80 if byte == 0x3D else 0 for byte in range(256))
_MARKED = bytes(range(0x80, 0x100))


def _decode_padded_quanta(text: bytes) -> bytes | None:
    """Quanta, some padded in place (``XY==``, ``XYZ=``), decoded with a few C passes
    whatever their number; None when the padding is anywhere else.

    The padding is read as zero bits, so one ``a2b_base64`` decodes every quantum; the bytes
    the padding made are then dropped. To drop bytes by position in C, the decoded bytes go
    to hex (characters below 0x80), the padding's bytes get their high bit set (an addition
    of big integers, whose bytes never carry into each other), and ``translate`` deletes
    every character with that bit. ``text`` ends with padding; when a chunk ends inside it,
    the rest of it is added here (what follows is read as more padding either way).
    """
    text += b"=" * (-len(text) % 4)
    if b"=" in text[0::4] or b"=" in text[1::4]:
        return None
    third, fourth = text[2::4].translate(_PAD_MARK), text[3::4].translate(_PAD_MARK)
    third_marks, fourth_marks = int.from_bytes(third, "big"), int.from_bytes(fourth, "big")
    if third_marks & fourth_marks != third_marks:  # "XY=Z": data after padding in a quantum
        return None
    hexed = binascii.hexlify(binascii.a2b_base64(text.translate(_PAD_AS_ZERO)))
    marks = bytearray(len(hexed))  # six hex characters per quantum, two per byte
    marks[2::6] = marks[3::6] = third
    marks[4::6] = marks[5::6] = fourth
    marked = int.from_bytes(hexed, "big") + int.from_bytes(marks, "big")
    return binascii.unhexlify(marked.to_bytes(len(hexed), "big").translate(None, _MARKED))


#: The most spaces or tabs accepted between "=" and the line break it makes soft (RFC 2045
#: lets transport add some). A bound keeps what a streamed line must hold back bounded.
_QP_PADDING = 76
_HEX = rb"[0-9A-Fa-f]"
#: "=" that starts neither a hex escape nor a soft line break: kept as it is, and reported.
_BAD_QP_ESCAPE = re.compile(rb"=(?!%s{2}|[ \t]{0,%d}\r?\n)" % (_HEX, _QP_PADDING))
#: What ``a2b_qp`` cannot take as it is: a stray "=", or a soft break with padding before it.
_QP_NEEDS_CARE = re.compile(rb"=(?!%s{2}|\r?\n)" % _HEX)
_PADDED_SOFT_BREAK = re.compile(rb"=[ \t]{1,%d}(?=\r?\n)" % _QP_PADDING)
#: An "=" at the end of what has arrived whose meaning depends on what comes next.
_OPEN_ESCAPE = re.compile(rb"=(?:%s?|[ \t]{0,%d}\r?)" % (_HEX, _QP_PADDING))
_OPEN_ESCAPE_LENGTH = _QP_PADDING + 2
#: "=" (and padding) as the very last thing of a body: a soft line break, since the line
#: break before the next boundary belongs to the boundary.
_FINAL_SOFT_BREAK = re.compile(rb"=[ \t]{0,%d}" % _QP_PADDING)


class QuotedPrintableDecoder(TransferDecoder):
    """Quoted-printable, decoded as it arrives by ``a2b_qp``; only an "=" whose meaning
    depends on the next bytes (``=``, ``=4``, ``=`` and padding) waits for them, so a body
    without line breaks streams in constant memory. A stray "=" is kept as it is and
    reported; a soft line break with spaces or tabs before its line end is a soft line break.
    """

    __slots__ = ("_carry", "_invalid")

    def __init__(self) -> None:
        self._carry = b""
        self._invalid = False

    def _decode_block(self, block: bytes) -> bytes:
        if _QP_NEEDS_CARE.search(block) is not None:
            block, stray = _BAD_QP_ESCAPE.subn(b"=3D", block)
            if stray:
                self._invalid = True
            block = _PADDED_SOFT_BREAK.sub(b"=", block)
        return binascii.a2b_qp(block)

    def decode(self, buffer: bytes, start: int, end: int) -> list[bytes | memoryview]:
        block = self._carry + buffer[start:end]
        cut = len(block)
        last = block.rfind(b"=", max(cut - _OPEN_ESCAPE_LENGTH, 0))
        if last >= 0 and _OPEN_ESCAPE.fullmatch(block, last) is not None:
            cut = last
            self._carry = block[cut:]
            block = block[:cut]
        else:
            self._carry = b""
        return [self._decode_block(block)] if block else []

    def finish(self, report: Report) -> bytes:
        rest, self._carry = self._carry, b""
        if _FINAL_SOFT_BREAK.fullmatch(rest) is not None:
            rest = b""
        decoded = self._decode_block(rest) if rest else b""
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
    the decoded bytes come back exactly, and no line is longer than 76 characters.

    ``b2a_qp`` ends its soft breaks with CRLF when the data's first LF follows a CR and with a
    bare LF otherwise; since it escapes every CR and LF of the data here, the line ends in its
    output are all soft breaks, and each is written as CRLF whichever it chose. It also lets a
    line reach 77 characters when a character ends it just before an LF of the data (it counts
    on a hard line break there, which is escaped here instead): such output is wrapped again.
    """
    encoded = binascii.b2a_qp(data, quotetabs=True, istext=False)
    encoded = encoded.replace(b"=\r\n", b"=\n").replace(b"=\n", b"=\r\n")
    if max(map(len, encoded.split(b"\r\n"))) > _QP_LINE:
        return _wrap_quoted_printable(encoded.replace(b"=\r\n", b""))
    return encoded


#: The longest quoted-printable line, its soft break's "=" included (RFC 2045).
_QP_LINE = 76


def _wrap_quoted_printable(logical: bytes) -> bytes:
    """Quoted-printable without line breaks cut into lines of at most 76 characters (75 and
    the soft break's "="), never inside an escape: every "=" in it starts one of three."""
    lines = []
    start, end = 0, len(logical)
    while end - start > _QP_LINE:
        cut = start + _QP_LINE - 1
        if logical[cut - 1] == 0x3D:
            cut -= 1
        elif logical[cut - 2] == 0x3D:
            cut -= 2
        lines.append(logical[start:cut])
        start = cut
    lines.append(logical[start:])
    return b"=\r\n".join(lines)
