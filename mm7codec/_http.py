"""Reading a whole HTTP request or response captured to a file (request line and headers in
front of the body), as test tools and logs keep them. The core stays sans-IO: this only splits
bytes that are already in hand.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import TypeVar, overload

from ._decoder import Expected, decode
from ._deviations import Deviation, DeviationLog
from ._errors import DecodeError, DeviationError, LimitExceeded
from ._limits import DEFAULT_LIMITS, Limits
from ._messages import Message
from ._parts import Headers

__all__ = ["HttpCapture", "decode_http", "looks_like_http", "split_http"]

_M1 = TypeVar("_M1", bound=Message)
_M2 = TypeVar("_M2", bound=Message)
_M3 = TypeVar("_M3", bound=Message)
_M4 = TypeVar("_M4", bound=Message)

_START_LINE = re.compile(rb"^\s*(?:[A-Z]+ \S+ HTTP/\d\.\d|HTTP/\d\.\d \d{3}[^\r\n]*)\r?\n")


def looks_like_http(data: bytes) -> bool:
    """Whether ``data`` starts with an HTTP request or status line."""
    return _START_LINE.match(data[:2048]) is not None


class HttpCapture:
    """The parts of a captured HTTP message; ``deviations`` lists the liberties the HTTP
    framing took (a Content-Length that does not match, bare LFs in the chunked coding, ...)."""

    __slots__ = ("start_line", "headers", "body", "deviations")

    def __init__(
        self,
        start_line: str,
        headers: Headers,
        body: bytes,
        deviations: tuple[Deviation, ...] = (),
    ) -> None:
        self.start_line = start_line
        self.headers = headers
        self.body = body
        self.deviations = deviations

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def split_http(
    data: bytes, limits: Limits = DEFAULT_LIMITS, *, strict: bool = False
) -> HttpCapture:
    """Split a captured HTTP message into start line, headers and (de-chunked) body.

    Folded header lines are unfolded (each field at most ``max_header_line`` long, at most
    ``max_header_count`` fields); a Content-Length that does not match the body is reported,
    not trusted. What the framing tolerated is in ``capture.deviations``; ``strict=True``
    raises one ``DeviationError`` listing it instead.
    """
    log = DeviationLog(strict, limits.max_deviations)
    capture = _split_http(data, log, limits)
    log.check()
    capture.deviations = log.records
    return capture


def _split_http(data: bytes, log: DeviationLog | None, limits: Limits) -> HttpCapture:
    """``split_http``, reporting to ``log``."""
    match = _START_LINE.match(data[:2048])
    if match is None:
        raise DecodeError("not an HTTP message: no request or status line", offset=0)
    position = match.end()
    start_line = match.group().strip().decode("latin-1")
    names: list[bytes] = []
    values: list[list[bytes]] = []  # each field's value, one piece per physical line
    length = 0  # of the last field, unfolded
    while True:
        line, next_position, _ = _line(data, position, limits, "the HTTP headers never end")
        if not line:
            position = next_position
            break
        if line[:1] in (b" ", b"\t") and names:
            piece = line.strip(b" \t")
            length += 1 + len(piece)
            if length > limits.max_header_line:
                raise LimitExceeded("max_header_line", limits.max_header_line, offset=position)
            values[-1].append(piece)
        else:
            name, colon, value = line.partition(b":")
            if not colon:
                raise DecodeError(f"malformed HTTP header line {line[:60]!r}", offset=position)
            if len(names) >= limits.max_header_count:
                raise LimitExceeded("max_header_count", limits.max_header_count, offset=position)
            names.append(name.strip())
            values.append([value.strip()])
            length = len(line)
        position = next_position
    fields = Headers(
        [
            (name.decode("latin-1"), b" ".join(value).decode("latin-1"))
            for name, value in zip(names, values, strict=True)
        ]
    )
    body = data[position:]
    coding = fields.get("transfer-encoding")
    if coding is not None:
        codings = [token.strip().lower() for token in coding.split(",")]
        if codings == ["chunked"]:
            body = _dechunk(body, log, limits)
        elif codings != ["identity"]:
            raise DecodeError(f"unsupported HTTP Transfer-Encoding {coding[:60]!r}", where="HTTP")
    declared = fields.get("content-length")
    if log is not None and declared is not None and declared.strip() != str(len(body)):
        log.report(
            "content-length-mismatch",
            f"Content-Length {declared} but the body has {len(body)} bytes",
            "HTTP",
        )
    return HttpCapture(start_line, fields, body)


def _line(data: bytes, start: int, limits: Limits, unended: str) -> tuple[bytes, int, bool]:
    """The line at ``start`` without its line end, where the next line starts, and whether
    it ended in a bare LF. A line longer than ``max_header_line`` is refused without searching
    past that length, so a line end that never comes costs no more than the bound."""
    bound = limits.max_header_line
    newline = data.find(b"\n", start, start + bound + 2)
    if newline < 0:
        if len(data) - start > bound + 1:
            raise LimitExceeded("max_header_line", bound, offset=start)
        raise DecodeError(unended, offset=start)
    end, bare = (
        (newline - 1, False) if newline > start and data[newline - 1] == _CR else (newline, True)
    )
    if end - start > bound:
        raise LimitExceeded("max_header_line", bound, offset=start)
    return data[start:end], newline + 1, bare


_CR = ord("\r")
_SEMICOLON = ord(";")
_EQUALS = ord("=")
_HEX_DIGITS = re.compile(rb"[0-9A-Fa-f]+")
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# What no chunk-size line may hold: control characters other than TAB (a stray CR included).
_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
# More hex digits than this (leading zeros aside) is a size no limit allows.
_MAX_SIZE_DIGITS = 15


def _dechunk(data: bytes, log: DeviationLog | None, limits: Limits) -> bytes:
    """The body of the chunked transfer coding (RFC 9112, section 7.1).

    A hand parser, one pass: each chunk size is hex digits only (``int(text, 16)`` would also
    take ``-4``, ``+5``, ``0x5`` and ``1_0``), chunk extensions are checked and ignored, the
    trailer fields after the last chunk are checked and dropped, and the sizes add up to at
    most ``max_total_size``. Lines end in CRLF; a bare LF, white space around a chunk size, a
    missing last empty line and bytes after the body are read and recorded; every other
    malformation is a ``DecodeError``.
    """
    pieces: list[bytes] = []
    total = 0
    position = 0
    liberties: dict[str, str] = {}
    while True:
        line, after, bare = _line(data, position, limits, "truncated chunked body")
        if bare:
            liberties["bare-lf"] = "the chunked framing has lines that end in a bare LF"
        size, padded = chunk_size(line, position)
        if padded:
            liberties["chunk-size-padding"] = "a chunk size has white space around it"
        position = after
        if size == 0:
            break
        if size > limits.max_total_size - total:
            raise LimitExceeded("max_total_size", limits.max_total_size, offset=position)
        end = position + size
        if end > len(data):
            raise DecodeError(
                f"truncated chunked body: a chunk of {size} bytes, {len(data) - position} left",
                offset=position,
            )
        pieces.append(data[position:end])
        total += size
        if data[end : end + 2] == b"\r\n":
            position = end + 2
        elif data[end : end + 1] == b"\n":
            liberties["bare-lf"] = "the chunked framing has lines that end in a bare LF"
            position = end + 1
        elif end == len(data):
            raise DecodeError("truncated chunked body: no line end after a chunk", offset=end)
        else:
            raise DecodeError(
                "a chunk is not followed by a line end: its size is wrong", offset=end
            )
    position = _skip_trailer(data, position, limits, liberties)
    if position < len(data):
        liberties["data-after-chunked-body"] = (
            f"{len(data) - position} bytes after the end of the chunked body were ignored"
        )
    if log is not None:
        for code, detail in liberties.items():
            log.report(code, detail, "HTTP")
    return b"".join(pieces)


def chunk_size(line: bytes, offset: int = 0) -> tuple[int, bool]:
    """The size a chunk-size line gives, and whether white space surrounded it."""
    start = _after_spaces(line, 0)
    digits = _HEX_DIGITS.match(line, start)
    if digits is None:
        raise DecodeError(f"bad chunk size {line[:20]!r}: not hex digits", offset=offset)
    significant = digits.group().lstrip(b"0")
    if len(significant) > _MAX_SIZE_DIGITS:
        raise DecodeError(f"chunk size {line[:20]!r}... is impossibly large", offset=offset)
    rest = _after_spaces(line, digits.end())
    if rest < len(line) and (_CONTROL.search(line) or not _extensions_are_valid(line, rest)):
        raise DecodeError(f"bad chunk size line {line[:40]!r}", offset=offset)
    padded = start > 0 or (rest == len(line) and rest > digits.end())
    return int(significant or b"0", 16), padded


def _after_spaces(line: bytes, position: int) -> int:
    """The first position from ``position`` on that holds no space or TAB."""
    while position < len(line) and line[position] in b" \t":
        position += 1
    return position


def _extensions_are_valid(line: bytes, position: int) -> bool:
    """Whether ``line[position:]`` is chunk extensions: ``; name`` or ``; name=value`` (a
    token or a quoted string), with optional white space around each piece."""
    end = len(line)
    while position < end:
        if line[position] != _SEMICOLON:
            return False
        name = _TOKEN.match(line, _after_spaces(line, position + 1))
        if name is None:
            return False
        position = _after_spaces(line, name.end())
        if position < end and line[position] == _EQUALS:
            value_start = _after_spaces(line, position + 1)
            token = _TOKEN.match(line, value_start)
            value_end = token.end() if token else _quoted_end(line, value_start)
            if value_end < 0:
                return False
            position = _after_spaces(line, value_end)
    return True


def _quoted_end(line: bytes, start: int) -> int:
    """Where the quoted string at ``start`` ends (after its closing quote), or -1.

    Searched by hand, not by a regular expression: each ``find`` resumes where the last one
    stopped, so a long run of backslash pairs, or a quote that never closes, is one pass."""
    if line[start : start + 1] != b'"':
        return -1
    position = start + 1
    quote = line.find(b'"', position)
    while quote >= 0:
        backslash = line.find(b"\\", position, quote)
        if backslash < 0:
            return quote + 1
        position = backslash + 2  # the escaped character, whatever it is, is skipped
        if position > quote:
            quote = line.find(b'"', position)
    return -1


def check_trailer_line(line: bytes, count: int, limits: Limits, offset: int = 0) -> int:
    """Check one trailer line (a field, or the fold of the one before) after the last chunk;
    return how many trailer lines there are with it."""
    name, colon, _ = line.partition(b":")
    folded = line[:1] in (b" ", b"\t") and count > 0
    if not folded and (not colon or _TOKEN.fullmatch(name) is None):
        raise DecodeError(f"malformed chunked trailer line {line[:60]!r}", offset=offset)
    if count + 1 > limits.max_header_count:
        raise LimitExceeded("max_header_count", limits.max_header_count, offset=offset)
    return count + 1


def _skip_trailer(data: bytes, position: int, limits: Limits, liberties: dict[str, str]) -> int:
    """Read past the trailer fields and the empty line that end a chunked body."""
    count = 0
    while position < len(data):
        line, after, bare = _line(data, position, limits, "truncated chunked body trailer")
        if bare:
            liberties["bare-lf"] = "the chunked framing has lines that end in a bare LF"
        if not line:
            return after
        count = check_trailer_line(line, count, limits, position)
        position = after
    liberties["chunked-body-unterminated"] = (
        "the chunked body ends without the empty line after the last chunk"
    )
    return position


@overload
def decode_http(
    data: bytes,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: None = ...,
) -> Message: ...
@overload
def decode_http(
    data: bytes,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: type[_M1] | tuple[type[_M1]],
) -> _M1: ...
@overload
def decode_http(
    data: bytes,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: tuple[type[_M1], type[_M2]],
) -> _M1 | _M2: ...
@overload
def decode_http(
    data: bytes,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: tuple[type[_M1], type[_M2], type[_M3]],
) -> _M1 | _M2 | _M3: ...
@overload
def decode_http(
    data: bytes,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: tuple[type[_M1], type[_M2], type[_M3], type[_M4]],
) -> _M1 | _M2 | _M3 | _M4: ...
@overload
def decode_http(
    data: bytes,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: Expected | None = ...,
) -> Message: ...
def decode_http(
    data: bytes,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    spool_dir: str | os.PathLike[str] | None = None,
    expect: Expected | None = None,
) -> Message:
    """Decode a captured HTTP request or response: the Content-Type comes from its headers.
    ``expect`` is as for ``decode``."""
    log = DeviationLog(strict, limits.max_deviations)
    capture = _split_http(data, log, limits)
    if not capture.content_type:
        raise DecodeError("the captured HTTP message has no Content-Type header", where="HTTP")
    try:
        message = decode(
            capture.body,
            capture.content_type,
            strict=strict,
            limits=limits,
            spool_dir=spool_dir,
            expect=expect,
        )
    except DeviationError as error:
        raise DeviationError((*log.records, *error.deviations)) from None
    log.check()
    if not log.records:
        return message
    return replace(message, deviations=(*log.records, *message.deviations))
