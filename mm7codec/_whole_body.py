"""A whole multipart body held in memory (``decode()``), read in one pass.

The push parser and its part builders take a body in pieces of any size: states, kept tails,
one event per part step, a store per part. A body held whole needs none of that when it is
as MM7 encoders write it, and most are: this reads such a body straight from the buffer
(``split_whole``, then each part from its header fields and body region) into the parts the
push parser would build.

It reads only what the push parser reads without a word: the first thing the push parser
would report, refuse or bound (a deviation of any kind, a limit reached, a multipart sent
base64) ends it with None, and the caller decodes the body through the push parser, which
says what it is. So a message decodes the same either way; tests hold the two paths to
the same messages, deviations and errors. Every part's header fields, at every level, are
read before any body is decoded, so a part whose headers deviate (an unbracketed Content-ID,
say) costs no decode of the bodies before it; only a body whose own encoding deviates (stray
base64) is decoded twice.
"""

from __future__ import annotations

from typing import NoReturn

from ._limits import Limits
from ._mime.parser import delimiter_of, longest_header_block, read_header_block
from ._mime.transfer import TransferDecoder
from ._part_fields import read_part_head, read_part_ids
from ._parts import Headers, Part, decoded_body, decoded_part

__all__ = ["read_whole_body", "split_whole"]


#: The deepest nesting read here. Below it both readers recurse well within the interpreter's
#: stack; past it (a ``max_part_depth`` raised that far) the push parser decides, since
#: where the stack ends depends on the caller.
_DEEPEST = 32

#: One part of a multipart level: its header fields, and where its body starts and ends.
_Found = tuple[list[tuple[str, str]], int, int]


def split_whole(
    buffer: bytes, start: int, end: int, boundary: str, limits: Limits
) -> list[_Found] | None:
    """The parts of one complete multipart level in ``buffer[start:end]``, found in one pass,
    as ``MultipartParser`` finds them when it has nothing to report: every delimiter line
    ends right after the boundary with CRLF, every header block is what ``read_header_block``
    reads, the closing delimiter is there. None for anything else (no part at all included):
    the parser then reads the body and says what it is."""
    if (
        not boundary
        or len(boundary) > min(70, limits.max_boundary_length)
        or limits.max_header_line < 1  # a CR after a delimiter is then too long a line
    ):
        return None  # the parser refuses or reports these
    delimiter = delimiter_of(boundary)
    if delimiter is None:
        return None
    search = b"\n" + delimiter
    # A delimiter may open the body with no line break before it: index is where that line
    # break would be, as for every other delimiter.
    if buffer.startswith(delimiter, start, end):
        index = start - 1
    else:
        index = buffer.find(search, start, end)
        if index < 0:
            return None
    longest = longest_header_block(limits) + 4
    parts: list[_Found] = []
    while True:
        after = index + len(search)
        following = buffer[after : min(after + 2, end)]
        if following == b"--":
            return parts or None
        if following != b"\r\n":
            return None  # padding, a bare LF, a longer boundary-like line, or the end
        headers_start = after + 2
        if buffer.startswith(b"\r\n", headers_start, end):
            fields: list[tuple[str, str]] | None = []
            body_start = headers_start + 2
        else:
            blank = buffer.find(b"\r\n\r\n", headers_start, min(end, headers_start + longest))
            if blank < 0:
                return None
            fields = read_header_block(buffer[headers_start:blank], limits)
            body_start = blank + 4
        if fields is None:
            return None
        # The delimiter may use the line break that ended the headers.
        index = buffer.find(search, body_start - 1, end)
        if index < 0:
            return None
        body_end = index
        if body_end > body_start and buffer[body_end - 1] == 0x0D:
            body_end -= 1
        parts.append((fields, body_start, max(body_end, body_start)))


class _UnusualError(Exception):
    """Something the push parser would report or refuse: this reader stops."""


def _stop(_code: str, _detail: str) -> NoReturn:
    raise _UnusualError


#: A part whose header fields are read, and where its body lies (a multipart: its
#: children's heads): headers, media type, parameters, transfer decoder, Content-ID,
#: Content-Location, body start and end, children or None. A plain tuple: made for every
#: part of every message, where a named tuple's constructor would cost a Python call.
_Head = tuple[
    Headers,
    str,
    dict[str, str],
    TransferDecoder,
    "str | None",
    "str | None",
    int,
    int,
    "tuple[_Head, ...] | None",
]


class _Reading:
    """What every level of one body shares: the buffer, the limits, the parts counted."""

    __slots__ = ("buffer", "limits", "part_count")

    def __init__(self, buffer: bytes, limits: Limits) -> None:
        self.buffer = buffer
        self.limits = limits
        self.part_count = 0

    def level(self, start: int, end: int, boundary: str, depth: int) -> tuple[_Head, ...]:
        """The heads of the parts of the multipart level in ``buffer[start:end]``."""
        found = split_whole(self.buffer, start, end, boundary, self.limits)
        if found is None:
            raise _UnusualError
        self.part_count += len(found)
        if self.part_count > self.limits.max_part_count:
            raise _UnusualError
        return tuple(self.head(*each, depth) for each in found)

    def head(self, fields: list[tuple[str, str]], start: int, end: int, depth: int) -> _Head:
        """One part's header fields read, as ``_PartBuilder`` reads them."""
        headers, media_type, params, transfer = read_part_head(fields, _stop)
        content_id, location = read_part_ids(headers, _stop)
        boundary = params.pop("boundary", "")
        children = None
        if media_type.startswith("multipart/"):
            if (
                depth >= min(self.limits.max_part_depth, _DEEPEST)
                or type(transfer) is not TransferDecoder
            ):
                raise _UnusualError
            children = self.level(start, end, boundary, depth + 1)
        elif end - start > self.limits.max_part_size:
            # No transfer encoding makes a body longer, so a body within the limit is held to
            # it before it is decoded; one past it may still be, and the push parser decides.
            raise _UnusualError
        return (headers, media_type, params, transfer, content_id, location, start, end, children)

    def part(self, head: _Head) -> Part:
        """The part ``head`` stands for, its body decoded (or its children built)."""
        headers, media_type, params, transfer, content_id, location, start, end, children = head
        if children is not None:
            parts = tuple(map(self.part, children))
            return decoded_part(media_type, params, content_id, location, headers, parts, None)
        pieces: list[bytes | memoryview]
        if end == start:
            pieces = []
        elif type(transfer) is TransferDecoder:
            pieces = [self.buffer[start:end]]  # the copy the part store makes of a view
        else:
            # Empty pieces are dropped, as the part store drops them.
            pieces = [piece for piece in transfer.decode(self.buffer, start, end) if piece]
            tail = transfer.finish(_stop)
            if tail:
                pieces.append(tail)
        body = decoded_body(pieces, sum(map(len, pieces)))
        return decoded_part(media_type, params, content_id, location, headers, (), body)


def read_whole_body(buffer: bytes, boundary: str, limits: Limits) -> tuple[Part, ...] | None:
    """The top-level parts of the multipart ``buffer``, or None when the push parser must read
    it (see the module docstring)."""
    reading = _Reading(buffer, limits)
    try:
        return tuple(map(reading.part, reading.level(0, len(buffer), boundary, 1)))
    except (_UnusualError, RecursionError):  # the push parser bounds a depth beyond the stack
        return None
