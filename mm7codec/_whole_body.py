"""A whole multipart body held in memory (``decode()``), read in one pass.

The push parser and its part builders take a body in pieces of any size: states, kept tails,
one event per part step, a store per part. A body held whole needs none of that when it is
as MM7 encoders write it, and most are: this reads such a body straight from the buffer
(``split_whole``, then each part from its headers and body region) into the parts the push
parser would build.

It reads only what the push parser reads without a word: the first thing the push parser
would report, refuse or bound (a deviation of any kind, a limit reached, a multipart sent
base64) ends it with None, and the caller decodes the body through the push parser, which
says what it is. So a message decodes the same either way; tests hold the two paths to
the same messages, deviations and errors.
"""

from __future__ import annotations

from ._limits import Limits
from ._mime.headers import decode_words, parse_content_type, strip_angle_brackets
from ._mime.parser import split_whole
from ._mime.transfer import TransferDecoder, make_decoder
from ._parts import Headers, Part, decoded_body, decoded_part

__all__ = ["read_whole_body"]


#: The deepest nesting read here. Below it both readers recurse well within the interpreter's
#: stack; past it (a ``max_part_depth`` raised that far) the push parser decides, since
#: where the stack ends depends on the caller.
_DEEPEST = 32


class _UnusualError(Exception):
    """Something the push parser would report or refuse: this reader stops."""


def _stop(_code: str, _detail: str) -> None:
    raise _UnusualError


class _Reading:
    """What every level of one body shares: the buffer, the limits, the parts counted."""

    __slots__ = ("buffer", "limits", "part_count")

    def __init__(self, buffer: bytes, limits: Limits) -> None:
        self.buffer = buffer
        self.limits = limits
        self.part_count = 0

    def level(self, start: int, end: int, boundary: str, depth: int) -> tuple[Part, ...]:
        """The parts of the multipart level in ``buffer[start:end]``."""
        found = split_whole(self.buffer, start, end, boundary, self.limits)
        if found is None:
            raise _UnusualError
        self.part_count += len(found)
        if self.part_count > self.limits.max_part_count:
            raise _UnusualError
        return tuple(self.part(*each, depth) for each in found)

    def part(self, fields: list[tuple[str, str]], start: int, end: int, depth: int) -> Part:
        """One part, as ``_PartBuilder`` builds it from the same headers and body."""
        headers = Headers(fields)
        if headers.repeats_a_name():
            raise _UnusualError
        media_type, params = parse_content_type(headers.get("content-type", "text/plain"), _stop)
        transfer = make_decoder(headers.get("content-transfer-encoding"), _stop)
        content_id = headers.get("content-id")
        if content_id is not None:
            content_id, bracketed = strip_angle_brackets(content_id)
            if not bracketed:
                raise _UnusualError
        location = headers.get("content-location")
        if location is not None:
            location = decode_words(location, _stop)
        boundary = params.pop("boundary", "")
        if media_type.startswith("multipart/"):
            if (
                depth >= min(self.limits.max_part_depth, _DEEPEST)
                or type(transfer) is not TransferDecoder
            ):
                raise _UnusualError
            children = self.level(start, end, boundary, depth + 1)
            return decoded_part(media_type, params, content_id, location, headers, children, None)
        if end - start > self.limits.max_part_size:
            # No transfer encoding makes a body longer, so a body within the limit is held to
            # it before it is decoded; one past it may still be, and the push parser decides.
            raise _UnusualError
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
    try:
        return _Reading(buffer, limits).level(0, len(buffer), boundary, 1)
    except (_UnusualError, RecursionError):  # the push parser bounds a depth beyond the stack
        return None
