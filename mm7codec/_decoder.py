"""The incremental decoder: HTTP body chunks in, one typed MM7 message out.

``Decoder(content_type)`` routes the body: ``text/xml`` goes straight to the SOAP reader,
``multipart/related`` through the MIME push parser, whose part events build ``Part`` objects
(large bodies spooled to an anonymous temporary file). At ``close()`` the root part is decoded
as the SOAP envelope and its ``Content href`` is resolved to a part. The result never depends
on how the body was split into chunks.
"""

from __future__ import annotations

import os
from typing import Any, Generic, TypeAlias, TypeVar, cast, overload
from urllib.parse import unquote

from ._deviations import DeviationLog
from ._errors import DecodeError, DeviationError, LimitExceeded, UsageError
from ._limits import DEFAULT_LIMITS, Limits
from ._messages import Message, build_decoded
from ._mime.headers import parse_content_type, strip_angle_brackets
from ._mime.parser import MultipartParser
from ._mime.transfer import TransferDecoder
from ._part_fields import read_part_head, read_part_ids
from ._parts import (
    BytesBody,
    ChunksBody,
    Part,
    SpooledBody,
    SpoolFile,
    decoded_body,
    decoded_part,
)
from ._soap_decode import decode_envelope
from ._whole_body import read_whole_body

__all__ = ["Decoder", "Expected", "decode"]

_M = TypeVar("_M", bound=Message)
_M1 = TypeVar("_M1", bound=Message)
_M2 = TypeVar("_M2", bound=Message)
_M3 = TypeVar("_M3", bound=Message)
_M4 = TypeVar("_M4", bound=Message)

#: What ``expect=`` takes: a message class, or a tuple of them.
Expected: TypeAlias = type[Message] | tuple[type[Message], ...]


def _expected_classes(expect: Expected | None) -> tuple[type[Message], ...] | None:
    """``expect`` as a tuple of message classes, checked now rather than at the end of a body
    (``TypeError`` for anything that is not a message class)."""
    if expect is None:
        return None
    classes = expect if isinstance(expect, tuple) else (expect,)
    if not classes or not all(
        isinstance(cls, type) and issubclass(cls, Message) for cls in classes
    ):
        raise TypeError(f"expect= takes a message class or a tuple of them, not {expect!r}")
    return classes


def check_expected(
    message_type: type[Message], expect: tuple[type[Message], ...] | None, fields: dict[str, Any]
) -> None:
    """Refuse a message of another type than ``expect`` with status 4003 (unsupported
    operation), keeping what the peer showed of itself so ``error.fault()`` answers it."""
    if expect is None or issubclass(message_type, expect):
        return
    wanted = " or ".join(cls.__name__ for cls in expect)
    raise DecodeError(
        f"expected {wanted}, but a {message_type.__name__} arrived",
        where="Body",
        status_code=4003,
        transaction_id=fields.get("transaction_id"),
        version=fields.get("version") or None,
        namespace=fields.get("namespace") or None,
    )


_SOAP_TYPES = ("text/xml", "application/xml", "application/soap+xml")


class _Context:
    """What every part builder of one decode shares: the limits, the log, the part count, the
    bytes of part bodies held in memory, and the one spool file (made when first needed)."""

    __slots__ = ("limits", "log", "spool", "spool_dir", "part_count", "held", "spool_file")

    def __init__(
        self, limits: Limits, log: DeviationLog, spool: bool, spool_dir: str | None
    ) -> None:
        self.limits = limits
        self.log = log
        self.spool = spool
        self.spool_dir = spool_dir
        self.part_count = 0
        self.held = 0
        self.spool_file: SpoolFile | None = None

    def release_spool(self) -> None:
        """A failed or abandoned decode: free the spool file now."""
        spool_file, self.spool_file = self.spool_file, None
        if spool_file is not None:
            spool_file.close()


class _BodyStore:
    """Decoded body bytes: in memory up to the spool threshold (and while the bytes held by all
    parts stay within ``max_memory_held``), then in the decode's spool file."""

    __slots__ = ("ctx", "where", "chunks", "size", "offset")

    def __init__(self, ctx: _Context, where: str) -> None:
        self.ctx = ctx
        self.where = where
        self.chunks: list[bytes | memoryview] = []
        self.size = 0
        self.offset = -1  # where the body starts in the spool file, once spooled

    def write(self, data: bytes | memoryview) -> None:
        if not data:
            return
        self.size += len(data)
        ctx = self.ctx
        limits = ctx.limits
        if self.size > limits.max_part_size:
            self.drop()
            raise LimitExceeded(
                "max_part_size", limits.max_part_size, where=self.where, status_code=2004
            )
        if self.offset >= 0:
            assert ctx.spool_file is not None
            ctx.spool_file.write(data)
            return
        # Slices of the fed buffer are kept as they are until the part ends.
        self.chunks.append(data)
        ctx.held += len(data)
        if ctx.spool and (self.size > limits.spool_threshold or ctx.held > limits.max_memory_held):
            self._spool()

    def _spool(self) -> None:
        ctx = self.ctx
        if ctx.spool_file is None:
            ctx.spool_file = SpoolFile(ctx.spool_dir)
        self.offset = ctx.spool_file.end
        for chunk in self.chunks:
            ctx.spool_file.write(chunk)
        ctx.held -= self.size
        self.chunks = []

    def finish(self) -> BytesBody | ChunksBody | SpooledBody:
        if self.offset >= 0:
            assert self.ctx.spool_file is not None
            return SpooledBody(self.ctx.spool_file, self.offset, self.size)
        chunks, self.chunks = self.chunks, []
        return decoded_body(chunks, self.size)

    def drop(self) -> None:
        """After an error: forget what was held (the spool file goes with the decode)."""
        self.ctx.held -= sum(len(chunk) for chunk in self.chunks)
        self.chunks = []


class _PartBuilder:
    """Builds one part from its headers and body chunks; a multipart feeds a nested parser."""

    __slots__ = (
        "ctx",
        "where",
        "headers",
        "media_type",
        "params",
        "transfer",
        "store",
        "children",
    )

    def __init__(self, ctx: _Context, headers: list[tuple[str, str]], depth: int, where: str):
        self.ctx = ctx
        self.where = where
        self.headers, self.media_type, self.params, self.transfer = read_part_head(
            headers, self._report
        )
        self.store: _BodyStore | None = None
        self.children: _Collector | None = None
        if self.media_type.startswith("multipart/"):
            if depth >= ctx.limits.max_part_depth:
                raise LimitExceeded("max_part_depth", ctx.limits.max_part_depth, where=where)
            self.children = _Collector(ctx, depth + 1, self.params.get("boundary", ""), where)
        else:
            self.store = _BodyStore(ctx, where)

    def _report(self, code: str, detail: str) -> None:
        self.ctx.log.report(code, detail, self.where)

    def data(self, buffer: bytes, start: int, end: int) -> None:
        if self.children is not None and type(self.transfer) is TransferDecoder:
            # A nested multipart sent as it is: its parser reads the region in place.
            self.children.parser.feed_region(buffer, start, end)
            return
        for decoded in self.transfer.decode(buffer, start, end):
            if self.children is not None:
                self.children.parser.feed(decoded)
            else:
                assert self.store is not None
                self.store.write(decoded)

    def finish(self) -> Part:
        tail = self.transfer.finish(self._report)
        params = self.params  # parsed for this part alone: no copy needed
        params.pop("boundary", None)
        content_id, location = read_part_ids(self.headers, self._report)
        # A multipart has parts and no source, a leaf the other way round (Part's defaults).
        parts: tuple[Part, ...] = ()
        source = None
        if self.children is not None:
            if tail:
                self.children.parser.feed(tail)
            parts = self.children.close()
        else:
            assert self.store is not None
            if tail:
                self.store.write(tail)
            source = self.store.finish()
        return decoded_part(
            self.media_type, params, content_id, location, self.headers, parts, source
        )


class _Collector:
    """The sink for one multipart level: turns parser events into a list of parts."""

    __slots__ = ("ctx", "depth", "where", "parts", "current", "parser")

    def __init__(self, ctx: _Context, depth: int, boundary: str, where: str) -> None:
        self.ctx = ctx
        self.depth = depth
        self.where = where
        self.parts: list[Part] = []
        self.current: _PartBuilder | None = None
        self.parser = MultipartParser(
            boundary,
            self,
            ctx.limits,
            lambda code, detail: ctx.log.report(code, detail, where),
            where,
        )

    def begin(self, headers: list[tuple[str, str]]) -> None:
        self.ctx.part_count += 1
        if self.ctx.part_count > self.ctx.limits.max_part_count:
            raise LimitExceeded("max_part_count", self.ctx.limits.max_part_count, where=self.where)
        where = f"{self.where}/part[{len(self.parts) + 1}]"
        self.current = _PartBuilder(self.ctx, headers, self.depth, where)

    def data(self, buffer: bytes, start: int, end: int) -> None:
        assert self.current is not None
        self.current.data(buffer, start, end)

    def end(self) -> None:
        assert self.current is not None
        self.parts.append(self.current.finish())
        self.current = None

    def close(self) -> tuple[Part, ...]:
        self.parser.close()
        if not self.parts:
            raise DecodeError("the multipart body has no parts", where=self.where)
        return tuple(self.parts)

    def abandon(self) -> None:
        """After an error: remove the half-written spool file, drop what was decoded, and
        break the parser's reference cycle, so nothing outlives the failed decode."""
        self.parser.abandon()
        self.parts = []
        current, self.current = self.current, None
        if current is not None:
            if current.store is not None:
                current.store.drop()
            if current.children is not None:
                current.children.abandon()


class Decoder(Generic[_M]):
    """Incremental MM7 decoder for one HTTP body.

    >>> decoder = Decoder(request.headers["Content-Type"])   # doctest: +SKIP
    >>> for chunk in body_chunks:                              # doctest: +SKIP
    ...     decoder.feed(chunk)
    >>> message = decoder.close()                              # doctest: +SKIP

    ``strict`` turns every tolerated deviation into a ``DeviationError``; ``limits`` bounds
    what the decode may consume; part bodies above ``limits.spool_threshold``, and all parts
    once ``limits.max_memory_held`` bytes are held in memory, are written to one anonymous
    temporary file in ``spool_dir`` (the system temporary directory by default), unless
    ``spool=False`` keeps every part in memory. The file has no name on disk (POSIX), so a
    decoder dropped without ``close()``, or a killed process, leaves nothing behind; the space
    is freed with the last part that uses it. ``Part.save`` keeps a part in a file of your own.

    ``expect`` (a message class, or a tuple of them) is what the caller can handle: any other
    message is a ``DecodeError`` with status 4003 naming what arrived, and ``close()`` is typed
    as the expected class(es).
    """

    @overload
    def __init__(
        self: Decoder[Message],
        content_type: str,
        *,
        strict: bool = ...,
        limits: Limits = ...,
        spool: bool = ...,
        spool_dir: str | os.PathLike[str] | None = ...,
        expect: None = ...,
    ) -> None: ...
    @overload
    def __init__(
        self: Decoder[_M1],
        content_type: str,
        *,
        strict: bool = ...,
        limits: Limits = ...,
        spool: bool = ...,
        spool_dir: str | os.PathLike[str] | None = ...,
        expect: type[_M1] | tuple[type[_M1]],
    ) -> None: ...
    @overload
    def __init__(
        self: Decoder[_M1 | _M2],
        content_type: str,
        *,
        strict: bool = ...,
        limits: Limits = ...,
        spool: bool = ...,
        spool_dir: str | os.PathLike[str] | None = ...,
        expect: tuple[type[_M1], type[_M2]],
    ) -> None: ...
    @overload
    def __init__(
        self: Decoder[_M1 | _M2 | _M3],
        content_type: str,
        *,
        strict: bool = ...,
        limits: Limits = ...,
        spool: bool = ...,
        spool_dir: str | os.PathLike[str] | None = ...,
        expect: tuple[type[_M1], type[_M2], type[_M3]],
    ) -> None: ...
    @overload
    def __init__(
        self: Decoder[_M1 | _M2 | _M3 | _M4],
        content_type: str,
        *,
        strict: bool = ...,
        limits: Limits = ...,
        spool: bool = ...,
        spool_dir: str | os.PathLike[str] | None = ...,
        expect: tuple[type[_M1], type[_M2], type[_M3], type[_M4]],
    ) -> None: ...
    @overload
    def __init__(
        self: Decoder[Message],
        content_type: str,
        *,
        strict: bool = ...,
        limits: Limits = ...,
        spool: bool = ...,
        spool_dir: str | os.PathLike[str] | None = ...,
        expect: Expected | None = ...,
    ) -> None: ...
    def __init__(
        self,
        content_type: str,
        *,
        strict: bool = False,
        limits: Limits = DEFAULT_LIMITS,
        spool: bool = True,
        spool_dir: str | os.PathLike[str] | None = None,
        expect: Expected | None = None,
    ) -> None:
        self._expect = _expected_classes(expect)
        self._log = DeviationLog(strict, limits.max_deviations)
        self._ctx = _Context(
            limits, self._log, spool, None if spool_dir is None else os.fspath(spool_dir)
        )
        self._received = 0
        self._closed = False
        self._soap: list[bytes] | None = None
        self._collector: _Collector | None = None
        self._start: str | None = None
        if len(content_type) > limits.max_header_line:
            raise LimitExceeded("max_header_line", limits.max_header_line, where="Content-Type")
        media_type, params = parse_content_type(content_type, self._report_http)
        if media_type in _SOAP_TYPES:
            if media_type != "text/xml":
                self._report_http("soap-content-type", f"SOAP sent as {media_type}")
            self._soap = []
        elif media_type.startswith("multipart/"):
            if media_type != "multipart/related":
                self._report_http("not-multipart-related", f"attachments sent as {media_type}")
            self._check_related_params(params)
            self._collector = _Collector(self._ctx, 1, params.get("boundary", ""), "body")
        else:
            raise DecodeError(
                f"Content-Type {media_type!r} is neither text/xml nor multipart/related",
                where="Content-Type",
            )

    def _report_http(self, code: str, detail: str) -> None:
        self._log.report(code, detail, "Content-Type")

    def _check_related_params(self, params: dict[str, str]) -> None:
        start = params.get("start")
        if start is None:
            self._report_http("missing-start", "multipart/related without a start parameter")
        else:
            self._start, bracketed = strip_angle_brackets(start)
            if not bracketed:
                self._report_http("start-without-brackets", f"start={start!r} lacks <>")
        if "type" not in params:
            self._report_http("missing-type", "multipart/related without a type parameter")

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Take the next chunk of the body, of any size."""
        try:
            self._feed(data)
        except BaseException:
            self._abandon()
            raise

    def _decode_whole(self, body: bytes | bytearray | memoryview) -> _M:
        """``feed(body)`` then ``close()`` on a fresh decoder (``decode``): a SOAP body is
        decoded as it is, without the chunk list; a multipart kept in memory is read in one
        pass when it is as usual (``read_whole_body``), by the push parser otherwise."""
        if self._received or self._closed or self._soap:
            self.feed(body)
            return self.close()
        try:
            self._take(_byte_count(body))
            data = body if isinstance(body, bytes) else bytes(body)
            if self._soap is not None:
                self._closed = True
                return cast("_M", self._build_soap(data))
            assert self._collector is not None
            parts = None
            if not self._ctx.spool:
                parts = read_whole_body(data, self._collector.parser.boundary, self._ctx.limits)
            if parts is None:
                self._parse(data)
                return self.close()
            self._collector.abandon()  # unused: break its parser's reference cycle now
            self._closed = True
            return cast("_M", self._from_parts(parts))
        except BaseException:
            self._abandon()
            raise

    def close(self) -> _M:
        """End of the body: return the decoded message or raise ``DecodeError``."""
        try:
            # _build checked the class against ``expect``, which the overloads tie to _M.
            return cast("_M", self._close())
        except BaseException:
            self._abandon()
            raise

    def _abandon(self) -> None:
        self._closed = True
        if self._collector is not None:
            self._collector.abandon()
            self._collector = None
        self._ctx.release_spool()

    def __del__(self) -> None:
        # Dropped before close() (a client that disconnected mid-body): free the spool file
        # and break the parser's reference cycle now rather than at the next collection. The
        # file is anonymous, so nothing would be left on disk either way.
        if not getattr(self, "_closed", True):
            self._abandon()

    def _feed(self, data: bytes | bytearray | memoryview) -> None:
        if self._closed:
            raise UsageError("feed() after close()")
        self._take(_byte_count(data))
        self._parse(data)

    def _parse(self, data: bytes | bytearray | memoryview) -> None:
        """Take ``data``, already counted against the limits."""
        if self._soap is not None:
            self._soap.append(bytes(data))
            return
        assert self._collector is not None
        try:
            self._collector.parser.feed(data)
        except RecursionError:
            # Each nesting level is a nested parser; a depth limit set beyond what the
            # interpreter's stack allows ends here rather than in a crash.
            self._closed = True
            raise LimitExceeded("max_part_depth", self._ctx.limits.max_part_depth) from None

    def _take(self, size: int) -> None:
        """Count ``size`` more bytes of body against the limits."""
        self._received += size
        limits = self._ctx.limits
        if self._received > limits.max_total_size:
            self._closed = True
            raise LimitExceeded(
                "max_total_size",
                limits.max_total_size,
                offset=limits.max_total_size,
                status_code=2004,
            )
        if self._soap is not None and self._received > limits.max_envelope_size:
            self._closed = True
            raise LimitExceeded("max_envelope_size", limits.max_envelope_size)

    def _close(self) -> Message:
        if self._closed:
            raise UsageError("close() called twice, or after an error")
        self._closed = True
        if self._soap is not None:
            return self._build_soap(b"".join(self._soap))
        assert self._collector is not None
        return self._from_parts(self._collector.close())

    def _from_parts(self, parts: tuple[Part, ...]) -> Message:
        """The message whose body parts are ``parts``: the root is the envelope."""
        root_index = self._root_index(parts)
        root = parts[root_index]
        if root.is_multipart:
            raise DecodeError("the SOAP root part is itself a multipart", where="body/part[1]")
        size = root.size or 0
        if size > self._ctx.limits.max_envelope_size:
            raise LimitExceeded("max_envelope_size", self._ctx.limits.max_envelope_size)
        others = parts[:root_index] + parts[root_index + 1 :]
        return self._build(root.body, others)

    def _build_soap(self, envelope: bytes) -> Message:
        if not envelope or envelope.isspace():  # what strip() would leave empty, uncopied
            raise DecodeError("the body is empty", offset=0)
        return self._build(envelope, ())

    def _root_index(self, parts: tuple[Part, ...]) -> int:
        if self._start is not None:
            for index, part in enumerate(parts):
                if part.content_id == self._start:
                    self._check_root_type(part)
                    return index
            self._log.report(
                "start-unmatched",
                f"start {self._start!r} names no part; the first is the root",
                "body",
            )
        self._check_root_type(parts[0])
        return 0

    def _check_root_type(self, part: Part) -> None:
        if part.content_type != "text/xml":
            self._log.report(
                "root-content-type", f"the SOAP part is labelled {part.content_type}", "body"
            )

    def _build(self, envelope: bytes, attachments: tuple[Part, ...]) -> Message:
        try:
            decoded = decode_envelope(envelope, self._log, self._ctx.limits)
        except RecursionError:  # a depth limit set beyond the interpreter's stack
            raise LimitExceeded("max_xml_depth", self._ctx.limits.max_xml_depth) from None
        fields = decoded.fields
        check_expected(decoded.message_type, self._expect, fields)
        if "content" in fields or attachments:
            content = _resolve_content(decoded.content_href, attachments, self._log)
            if "content" in decoded.message_type.__dataclass_fields__:
                fields["content"] = content
            elif content is not None:
                self._log.report(
                    "unexpected-attachment",
                    f"{decoded.message_type.__name__} carries no content; attachment dropped",
                    "body",
                )
        try:
            self._log.check()
        except DeviationError as error:  # strict: the message was read, so say whose it was
            error.transaction_id = fields.get("transaction_id")
            error.version = fields.get("version") or None
            error.namespace = fields.get("namespace") or None
            raise
        fields["deviations"] = self._log.records
        return build_decoded(decoded.message_type, fields)


def _byte_count(data: bytes | bytearray | memoryview) -> int:
    """The bytes in ``data``: a memoryview's length counts its items, which may be wider."""
    return data.nbytes if isinstance(data, memoryview) else len(data)


def _resolve_content(
    href: str | None, attachments: tuple[Part, ...], log: DeviationLog
) -> Part | None:
    """The part ``href`` names: by Content-ID, then Content-Location, then the single
    attachment; each fallback is reported."""
    if href is None:
        if not attachments:
            return None
        log.report("attachment-without-reference", "attachments but no Content href", "body")
        return attachments[0] if len(attachments) == 1 else Part.multipart(attachments)
    raw = href.strip()
    if raw.lower().startswith("cid:"):
        cid = raw[4:]
    else:
        cid = raw
        log.report("href-without-cid", f"href {href!r} lacks the cid: scheme", "Content")
    if cid != cid.strip():
        log.report("href-whitespace", f"href {href!r} has white space in it", "Content")
    cid, bracketed = strip_angle_brackets(cid)
    if bracketed:
        log.report("href-brackets", f"href {href!r} has angle brackets", "Content")
    cid = unquote(cid)
    chosen: Part | None = None
    for part in attachments:
        if part.content_id == cid:
            chosen = part
            break
    if chosen is None:
        for part in attachments:
            if part.content_location in (cid, raw):
                log.report("href-by-location", f"href {href!r} matched a Content-Location", "body")
                chosen = part
                break
    if chosen is None:
        if len(attachments) == 1:
            log.report(
                "href-fallback",
                f"href {href!r} matches no part; the single attachment is used",
                "body",
            )
            chosen = attachments[0]
        elif attachments:
            log.report(
                "href-unresolved",
                f"href {href!r} matches none of {len(attachments)} attachments; all are kept",
                "body",
            )
            return Part.multipart(attachments)
        else:
            log.report(
                "href-unresolved", f"href {href!r} but the message has no attachment", "body"
            )
            return None
    extra = [part for part in attachments if part is not chosen]
    if extra:
        log.report(
            "unreferenced-part",
            f"{len(extra)} attachment(s) besides the referenced content are not kept",
            "body",
        )
    return chosen


@overload
def decode(
    body: bytes | bytearray | memoryview,
    content_type: str,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: None = ...,
) -> Message: ...
@overload
def decode(
    body: bytes | bytearray | memoryview,
    content_type: str,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: type[_M1] | tuple[type[_M1]],
) -> _M1: ...
@overload
def decode(
    body: bytes | bytearray | memoryview,
    content_type: str,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: tuple[type[_M1], type[_M2]],
) -> _M1 | _M2: ...
@overload
def decode(
    body: bytes | bytearray | memoryview,
    content_type: str,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: tuple[type[_M1], type[_M2], type[_M3]],
) -> _M1 | _M2 | _M3: ...
@overload
def decode(
    body: bytes | bytearray | memoryview,
    content_type: str,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: tuple[type[_M1], type[_M2], type[_M3], type[_M4]],
) -> _M1 | _M2 | _M3 | _M4: ...
@overload
def decode(
    body: bytes | bytearray | memoryview,
    content_type: str,
    *,
    strict: bool = ...,
    limits: Limits = ...,
    spool_dir: str | os.PathLike[str] | None = ...,
    expect: Expected | None = ...,
) -> Message: ...
def decode(
    body: bytes | bytearray | memoryview,
    content_type: str,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    spool_dir: str | os.PathLike[str] | None = None,
    expect: Expected | None = None,
) -> Message:
    """Decode one whole HTTP body (the one-shot form of ``Decoder``).

    The caller already holds the body in memory, so decoded parts stay in memory too (no
    temporary files, nothing to clean up); give ``spool_dir`` to spool parts above
    ``limits.spool_threshold`` there. For bounded memory on large bodies, feed a ``Decoder``.
    ``expect`` (a message class or a tuple of them) refuses any other message with a
    ``DecodeError`` of status 4003, and types the result as the expected class(es).
    """
    decoder: Decoder[Message] = Decoder(
        content_type,
        strict=strict,
        limits=limits,
        spool=spool_dir is not None,
        spool_dir=spool_dir,
        expect=expect,
    )
    return decoder._decode_whole(body)
