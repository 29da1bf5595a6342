"""Reading a whole HTTP request or response captured to a file (request line and headers in
front of the body), as test tools and logs keep them. The core stays sans-IO: this only splits
bytes that are already in hand.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ._decoder import decode
from ._deviations import DeviationLog
from ._errors import DecodeError, DeviationError, LimitExceeded
from ._limits import DEFAULT_LIMITS, Limits
from ._messages import Message
from ._parts import Headers

__all__ = ["HttpCapture", "decode_http", "looks_like_http", "split_http"]

_START_LINE = re.compile(rb"^\s*(?:[A-Z]+ \S+ HTTP/\d\.\d|HTTP/\d\.\d \d{3}[^\r\n]*)\r?\n")


def looks_like_http(data: bytes) -> bool:
    """Whether ``data`` starts with an HTTP request or status line."""
    return _START_LINE.match(data[:2048]) is not None


class HttpCapture:
    """The parts of a captured HTTP message."""

    __slots__ = ("start_line", "headers", "body")

    def __init__(self, start_line: str, headers: Headers, body: bytes) -> None:
        self.start_line = start_line
        self.headers = headers
        self.body = body

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def split_http(
    data: bytes, log: DeviationLog | None = None, limits: Limits = DEFAULT_LIMITS
) -> HttpCapture:
    """Split a captured HTTP message into start line, headers and (de-chunked) body.

    Folded header lines are unfolded; a Content-Length that does not match the body is
    reported, not trusted.
    """
    match = _START_LINE.match(data[:2048])
    if match is None:
        raise DecodeError("not an HTTP message: no request or status line", offset=0)
    position = match.end()
    start_line = match.group().strip().decode("latin-1")
    headers: list[tuple[str, str]] = []
    while True:
        newline = data.find(b"\n", position)
        if newline < 0:
            raise DecodeError("the HTTP headers never end", offset=position)
        line = data[position:newline].rstrip(b"\r")
        if len(line) > limits.max_header_line:
            raise LimitExceeded("max_header_line", limits.max_header_line, offset=position)
        position = newline + 1
        if not line:
            break
        if line[:1] in b" \t" and headers:
            last_name, last_value = headers[-1]
            headers[-1] = (last_name, f"{last_value} {line.strip().decode('latin-1')}")
            continue
        name, colon, value = line.partition(b":")
        if not colon:
            raise DecodeError(f"malformed HTTP header line {line[:60]!r}", offset=position)
        if len(headers) >= limits.max_header_count:
            raise LimitExceeded("max_header_count", limits.max_header_count, offset=position)
        headers.append((name.strip().decode("latin-1"), value.strip().decode("latin-1")))
    fields = Headers(headers)
    body = data[position:]
    if fields.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(body)
    declared = fields.get("content-length")
    if log is not None and declared is not None and declared.strip() != str(len(body)):
        log.report(
            "content-length-mismatch",
            f"Content-Length {declared} but the body has {len(body)} bytes",
            "HTTP",
        )
    return HttpCapture(start_line, fields, body)


def _dechunk(data: bytes) -> bytes:
    pieces: list[bytes] = []
    position = 0
    while True:
        newline = data.find(b"\n", position)
        if newline < 0:
            raise DecodeError("truncated chunked body", offset=position)
        size_text = data[position:newline].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise DecodeError(f"bad chunk size {size_text[:20]!r}", offset=position) from None
        position = newline + 1
        if size == 0:
            return b"".join(pieces)
        if position + size > len(data):
            raise DecodeError("truncated chunked body", offset=position)
        pieces.append(data[position : position + size])
        position += size
        if data[position : position + 2] == b"\r\n":
            position += 2
        elif data[position : position + 1] == b"\n":
            position += 1


def decode_http(
    data: bytes,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    spool_dir: str | None = None,
) -> Message:
    """Decode a captured HTTP request or response: the Content-Type comes from its headers."""
    log = DeviationLog(strict)
    capture = split_http(data, log, limits)
    if not capture.content_type:
        raise DecodeError("the captured HTTP message has no Content-Type header", where="HTTP")
    try:
        message = decode(
            capture.body, capture.content_type, strict=strict, limits=limits, spool_dir=spool_dir
        )
    except DeviationError as error:
        raise DeviationError((*log.records, *error.deviations)) from None
    log.check()
    if not log.records:
        return message
    return replace(message, deviations=(*log.records, *message.deviations))
