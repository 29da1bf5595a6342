"""A push parser for one level of a multipart body.

``feed`` takes chunks cut anywhere; the parser hands part headers, body slices and part ends to
a sink, in stream order, and never rescans bytes it has already searched (the kept tail is at
most one delimiter long). Body data is handed over as (buffer, start, end) of the fed bytes,
and a fresh parser given one region works on the caller's buffer in place, so a one-shot
decode copies nothing. Nested multiparts are the sink's business: it feeds a part's body to
another parser.

Lenient where real peers are sloppy (bare LF line ends, padding after a boundary, a part whose
headers run straight into its body), and every such liberty is reported. A CR that ends no
line (a bare CR inside a header line) is read as a space and reported, so no header value ever
holds a line-break character.

``read_header_block``, ``delimiter_of`` and ``longest_header_block`` are shared with the
one-pass reader of bodies held whole (``_whole_body``), so both find the same parts.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from .._errors import DecodeError, LimitExceeded, UsageError
from .._limits import Limits
from . import Report

__all__ = [
    "MultipartParser",
    "PartSink",
    "delimiter_of",
    "longest_header_block",
    "read_header_block",
]


class PartSink(Protocol):
    def begin(self, headers: list[tuple[str, str]]) -> None: ...

    def data(self, buffer: bytes, start: int, end: int) -> None: ...

    def end(self) -> None: ...


class _ClosedSink:
    """What a parser points at once closed: dropping the real sink breaks the reference cycle
    (sink -> parser -> sink) that would keep every decoded part alive until a GC pass."""

    def begin(self, headers: list[tuple[str, str]]) -> None:
        raise UsageError("the multipart parser is closed")

    def data(self, buffer: bytes, start: int, end: int) -> None:
        raise UsageError("the multipart parser is closed")

    def end(self) -> None:
        raise UsageError("the multipart parser is closed")


_CLOSED = _ClosedSink()


class _State(Enum):
    PREAMBLE = "preamble"
    DELIMITER_LINE = "delimiter line"
    HEADERS = "headers"
    BODY = "body"
    EPILOGUE = "epilogue"


_LINE_PADDING = b" \t\r"


# Bytes a header field name may hold (RFC 5322: printable ASCII but the colon).
_NAME_BYTES = bytes(range(33, 127)).replace(b":", b"")


def _is_header_name(name: bytes) -> bool:
    return bool(name) and not name.translate(None, _NAME_BYTES)


#: How far back from a chunk's cut the body state looks for a line end (a MIME line is at
#: most 998 bytes; base64 lines are 78).
_LINE_SEARCH = 1000


class MultipartParser:
    """Splits one multipart body at its boundary; see the module docstring."""

    def __init__(
        self,
        boundary: str,
        sink: PartSink,
        limits: Limits,
        report: Report,
        location: str = "multipart",
    ) -> None:
        if not boundary:
            raise DecodeError("multipart Content-Type without a boundary", where=location)
        if len(boundary) > limits.max_boundary_length:
            raise LimitExceeded("max_boundary_length", limits.max_boundary_length, where=location)
        if len(boundary) > 70:
            report(
                "long-boundary", f"the boundary has {len(boundary)} characters; RFC 2046 allows 70"
            )
        self.boundary = boundary
        delimiter = delimiter_of(boundary)
        if delimiter is None:
            raise DecodeError(
                "the boundary holds a lone surrogate, which no body can contain", where=location
            )
        self._delimiter = delimiter
        self._search = b"\n" + self._delimiter
        self._sink = sink
        self._limits = limits
        self._report = report
        self._location = location
        self._state = _State.PREAMBLE
        self._at_stream_start = True  # a delimiter may open the body with no line break before
        self._buffer = b""
        self._position = 0
        self._end = 0  # the parser's data is _buffer[_position:_end]
        self._scan_from = 0  # where the next search starts: nothing before it is searched again
        self._block_scan = 0  # the same, for the end of a header block
        # The last search for a blank line: (start, stop, what it found), see _blank_line.
        self._blank_search = (0, 0, -1)
        self._origin = 0  # absolute stream offset of _buffer[0], for error offsets
        self._fed = 0
        self._headers: list[tuple[str, str]] = []
        # The folded lines of the last header, joined when it is complete (joining each line
        # as it comes would copy the growing value once per line).
        self._folded: list[str] = []
        self._folded_length = 0
        self._reported: set[str] = set()

    # -- public ---------------------------------------------------------------------------

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        raw = data if isinstance(data, bytes) else bytes(data)
        self.feed_region(raw, 0, len(raw))

    def feed_region(self, buffer: bytes, start: int, end: int) -> None:
        """Feed ``buffer[start:end]`` without the caller having to slice it."""
        if start >= end:
            return
        if self._fed == 0:
            # First data: work on the caller's buffer in place.
            self._buffer, self._position, self._end = buffer, start, end
            self._scan_from = start
            self._origin = -start
        else:
            # Keep one byte before the current position: a delimiter's leading line break may
            # be the last byte already consumed (headers ending exactly at a chunk edge).
            keep = max(self._position - 1, 0)
            kept = self._buffer[keep : self._end]
            self._buffer = kept + buffer[start:end]
            self._origin += keep
            self._position -= keep
            self._scan_from = max(self._scan_from - keep, 0)
            self._block_scan = max(self._block_scan - keep, 0)
            self._blank_search = (0, 0, -1)  # of the buffer just replaced
            self._end = len(self._buffer)
        self._fed += end - start
        self._run()

    def close(self) -> None:
        """End of input: anything but a finished multipart is an error."""
        self._sink = _CLOSED
        self._buffer = b""
        if self._state is _State.EPILOGUE:
            return
        if self._state is _State.PREAMBLE:
            raise DecodeError(
                f"the boundary {self._delimiter[2:]!r} never appears", where=self._location
            )
        raise DecodeError(
            f"the multipart body ends in its {self._state.value} without the closing "
            f"boundary (truncated?)",
            where=self._location,
            offset=self._origin + self._end,
        )

    def abandon(self) -> None:
        """Stop without checking anything (the decode already failed)."""
        self._sink = _CLOSED
        self._buffer = b""

    # -- states ---------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            state = self._state
            if state is _State.BODY:
                progressed = self._body()
            elif state is _State.HEADERS:
                progressed = (not self._headers and self._header_block()) or self._header_line()
            elif state is _State.DELIMITER_LINE:
                progressed = self._delimiter_line()
            elif state is _State.PREAMBLE:
                progressed = self._preamble()
            else:
                self._position = self._end
                return
            if not progressed:
                return

    def _note(self, code: str, detail: str) -> None:
        if code not in self._reported:
            self._reported.add(code)
            self._report(code, detail)

    def _find_delimiter(self, start: int) -> tuple[int, bool | None] | None:
        """Find the next real delimiter from ``start``: (index of its leading LF, closing?).

        ``closing`` is None when a delimiter may stand at that index but the bytes after it,
        which decide, have not arrived yet; the result is None when there is none at all.
        """
        buffer = self._buffer
        search = self._search
        end = self._end
        index = buffer.find(search, max(start, 0), end)
        while index >= 0:
            after = index + len(search)
            if after >= end:
                return index, None
            following = buffer[after]
            if following == 0x2D:  # "-": a closing delimiter, or a longer boundary-like string
                if after + 1 >= end:
                    return index, None
                if buffer[after + 1] == 0x2D:
                    return index, True
            elif following in b" \t\r\n":
                return index, False
            index = buffer.find(search, index + 1, end)
        return None

    def _opening_delimiter(self) -> tuple[int, bool | None] | None:
        """A delimiter at the very start of the body, reported as if a line break stood
        before it (one byte before), so the rest of the parser needs no special case."""
        buffer = self._buffer
        delimiter = self._delimiter
        begin = self._position
        virtual = begin - 1
        if not buffer.startswith(delimiter, begin, self._end):
            if delimiter.startswith(buffer[begin : self._end]):
                return virtual, None  # too short to tell yet
            return None
        after = begin + len(delimiter)
        if self._end < after + 2:
            return virtual, None
        following = buffer[after]
        if following == 0x2D:
            return (virtual, True) if buffer[after + 1] == 0x2D else None
        return (virtual, False) if following in b" \t\r\n" else None

    def _preamble(self) -> bool:
        if self._at_stream_start:
            opening = self._opening_delimiter()
            if opening is not None:
                if opening[1] is None:
                    return False
                self._at_stream_start = False
                return self._after_delimiter(opening[0], opening[1])
            self._at_stream_start = False
        found = self._find_delimiter(self._scan_from)
        if found is None:
            # Drop the preamble but keep a tail that may hold the start of a delimiter.
            self._position = max(self._position, self._end - len(self._search))
            self._scan_from = self._position
            return False
        index, closing = found
        if closing is None:
            self._position = self._scan_from = index
            return False
        return self._after_delimiter(index, closing)

    def _after_delimiter(self, index: int, closing: bool) -> bool:
        if closing:
            self._state = _State.EPILOGUE
            self._position = self._end
            return False
        self._position = self._scan_from = index + len(self._search)
        self._state = _State.DELIMITER_LINE
        return True

    def _delimiter_line(self) -> bool:
        """Skip transport padding after a boundary up to the end of its line."""
        buffer = self._buffer
        newline = buffer.find(b"\n", max(self._position, self._scan_from), self._end)
        if newline < 0:
            self._scan_from = self._end
            if self._end - self._position > self._limits.max_header_line:
                raise LimitExceeded(
                    "max_header_line", self._limits.max_header_line, where=self._location
                )
            return False
        if newline - self._position > self._limits.max_header_line:
            raise LimitExceeded(
                "max_header_line", self._limits.max_header_line, where=self._location
            )
        padding = buffer[self._position : newline]
        if padding.strip(_LINE_PADDING):
            self._note("boundary-line-junk", f"text after a boundary: {padding[:40]!r}")
        if not padding.endswith(b"\r"):
            self._note("bare-lf", "lines end with LF instead of CRLF")
        self._position = newline + 1
        self._state = _State.HEADERS
        self._headers = []
        self._scan_from = self._block_scan = self._position
        return True

    def _header_block(self) -> bool:
        """A whole, well-formed CRLF header block already in the buffer, split in one go
        (``read_header_block``); anything else, or the block not complete yet, returns False
        and the line-by-line path, which reports and refuses precisely, takes over from the
        same place."""
        buffer = self._buffer
        start = self._position
        if buffer.startswith(b"\r\n", start, self._end):
            self._position = start + 2
            self._start_body()
            return True
        blank = self._blank_line(
            max(start, self._block_scan),
            min(self._end, start + longest_header_block(self._limits) + 4),
        )
        if blank < 0:
            self._block_scan = max(start, self._end - 3)
            return False
        headers = read_header_block(buffer[start:blank], self._limits)
        if headers is None:
            return False
        self._headers = headers
        self._position = blank + 4
        self._start_body()
        return True

    def _blank_line(self, start: int, stop: int) -> int:
        """``buffer.find(b"\\r\\n\\r\\n", start, stop)``, not searching again what the last
        search in this buffer covered: a part whose block is not read whole (its blank line a
        bare LF, say) has the next part's search start inside the same stretch, and searched
        afresh each time, parts of a few bytes made the parser quadratic. (A new feed starts
        afresh: what one search in it can scan is then bounded by the piece.)"""
        searched_from, searched_to, found = self._blank_search
        if searched_from <= start:
            if found >= start:  # the first blank line after ``start`` too
                return found if found + 4 <= stop else -1
            if found < 0:  # none that ends before searched_to
                if stop <= searched_to:
                    return -1
                blank = self._buffer.find(b"\r\n\r\n", max(start, searched_to - 3), stop)
                self._blank_search = (start, stop, blank)
                return blank
        blank = self._buffer.find(b"\r\n\r\n", start, stop)
        self._blank_search = (start, stop, blank)
        return blank

    def _header_line(self) -> bool:
        buffer = self._buffer
        start = self._position
        newline = buffer.find(b"\n", max(start, self._scan_from), self._end)
        if newline < 0:
            self._scan_from = self._end
            # Too long only past the limit and a CR: a line of the limit's length may yet end
            # with CRLF, as one that arrived whole is read.
            if self._end - start > self._limits.max_header_line + 1:
                raise LimitExceeded(
                    "max_header_line",
                    self._limits.max_header_line,
                    where=self._location,
                    offset=self._origin + start,
                )
            return False
        # Check the length before slicing, so a hostile 10 MB line is never copied.
        if newline - start > self._limits.max_header_line + 1:
            raise LimitExceeded(
                "max_header_line",
                self._limits.max_header_line,
                where=self._location,
                offset=self._origin + start,
            )
        line = buffer[start:newline]
        if line.endswith(b"\r"):
            line = line[:-1]
        else:
            self._note("bare-lf", "lines end with LF instead of CRLF")
        if b"\r" in line:
            self._note("bare-cr", f"a CR that ends no line, read as a space: {line[:40]!r}")
            line = line.replace(b"\r", b" ")
        if len(line) > self._limits.max_header_line:
            raise LimitExceeded(
                "max_header_line",
                self._limits.max_header_line,
                where=self._location,
                offset=self._origin + start,
            )
        if not line:
            self._position = newline + 1
            self._end_header()
            self._start_body()
            return True
        if line[:1] in (b" ", b"\t") and self._headers:
            piece = _text(line).strip()
            self._folded_length += 1 + len(piece)
            if len(self._headers[-1][1]) + self._folded_length > self._limits.max_header_line:
                raise LimitExceeded(
                    "max_header_line", self._limits.max_header_line, where=self._location
                )
            self._folded.append(piece)
            self._position = newline + 1
            return True
        name, colon, value = line.partition(b":")
        if not colon or not _is_header_name(name.strip(b" \t")):
            # Headers that run straight into the body (no blank line): read the body from here.
            self._report(
                "no-blank-line-after-headers",
                f"part headers are not followed by a blank line; body starts at {line[:40]!r}",
            )
            self._end_header()
            self._start_body()
            return True
        self._end_header()
        if len(self._headers) >= self._limits.max_header_count:
            raise LimitExceeded(
                "max_header_count",
                self._limits.max_header_count,
                where=self._location,
                offset=self._origin + start,
            )
        self._headers.append((_text(name.strip(b" \t")), _text(value).strip()))
        self._position = newline + 1
        return True

    def _end_header(self) -> None:
        """Join the folded lines of the last header to its value."""
        if self._folded:
            name, value = self._headers[-1]
            self._headers[-1] = (name, " ".join([value, *self._folded]))
            self._folded = []
            self._folded_length = 0

    def _start_body(self) -> None:
        self._sink.begin(self._headers)
        self._state = _State.BODY
        # A delimiter right at the body start uses the line break that ended the headers.
        self._scan_from = self._position - 1

    def _body(self) -> bool:
        buffer = self._buffer
        start = self._position
        found = self._find_delimiter(max(self._scan_from, start - 1))
        if found is None or found[1] is None:  # no delimiter, or one not yet decidable
            # Hand over what cannot belong to a delimiter; keep a possible "\r\n--boundary".
            keep_from = self._end - len(self._search) - 1
            if found is not None:
                keep_from = min(keep_from, found[0] - 1)
            if keep_from > start:
                # Cut after the last line end near the cut, if there is one: the rest of that
                # line waits for the next piece, so a base64 part's decoder mostly gets whole
                # lines (its fast path) rather than two partial ones from every chunk.
                line_end = buffer.rfind(b"\n", max(start, keep_from - _LINE_SEARCH), keep_from)
                if line_end >= 0:
                    keep_from = line_end + 1
                self._sink.data(buffer, start, keep_from)
                self._position = keep_from
            self._scan_from = max(self._position - 1, 0)
            return False
        index, closing = found[0], bool(found[1])
        end = index
        if end > start and buffer[end - 1] == 0x0D:
            end -= 1
        if end > start:
            self._sink.data(buffer, start, end)
        self._sink.end()
        return self._after_delimiter(index, closing)


def delimiter_of(boundary: str) -> bytes | None:
    """``--boundary`` as bytes (a byte the header could not decode, kept as a surrogate
    escape, is that byte again), or None when it holds a surrogate that stands for no byte
    (an RFC 2231 value in UTF-7 can make one)."""
    try:
        return b"--" + boundary.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return None


def longest_header_block(limits: Limits) -> int:
    """The longest header block the limits allow: no search (or copy) goes further."""
    return limits.max_header_count * (limits.max_header_line + 2)


def read_header_block(block: bytes, limits: Limits) -> list[tuple[str, str]] | None:
    """The fields of a header block (without its blank line) when it is as every encoder
    writes one: CRLF lines (long ones folded), UTF-8, within the limits, every name plain
    ASCII; None for anything else, which the line-by-line path reads, reports and refuses
    precisely."""
    breaks = block.count(b"\r\n")
    if (
        block.count(b"\n") != breaks  # a bare LF
        or block.count(b"\r") != breaks  # a bare CR
        or breaks >= limits.max_header_count
        or (
            len(block) > limits.max_header_line
            and max(map(len, block.split(b"\r\n"))) > limits.max_header_line
        )
    ):
        return None
    try:
        # Decoded once for the block: CRLF and ":" are ASCII, so each line decodes alike.
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return None  # the line path falls back to Latin-1 line by line
    headers: list[tuple[str, str]] = []
    # The pieces of each folded field, by its index, joined once at the end (joining each
    # line as it comes would copy the growing value once per line).
    folds: dict[int, list[str]] = {}
    for line in text.split("\r\n"):
        name, colon, value = line.partition(":")
        # Only trailing blanks are cut, so a line starting with one (a fold) is no field.
        name = name.rstrip(" \t")
        if not colon or not name or " " in name or not name.isascii() or not name.isprintable():
            if line[:1] not in (" ", "\t") or not headers:
                return None
            # A fold: joined to its field with one space, as the line path joins it.
            index = len(headers) - 1
            folds.setdefault(index, [headers[index][1]]).append(line.strip())
            continue
        headers.append((name, value.strip()))
    for index, pieces in folds.items():
        value = " ".join(pieces)
        if len(value) > limits.max_header_line:
            return None
        headers[index] = (headers[index][0], value)
    return headers


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
