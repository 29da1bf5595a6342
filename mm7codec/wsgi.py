"""An MM7 endpoint as a WSGI application (PEP 3333), for any WSGI server.

    >>> from mm7codec import wsgi
    >>> application = wsgi.app(lambda request: None)   # answers every request with reply()

The handler gets each decoded request and returns the response, a Fault, a ready
``HttpAnswer``, or ``None`` for ``request.reply()`` (with a fresh MessageID where the response
needs one). The body streams into a ``Decoder``
as it is read, chunked request bodies included, so a large MO is never held twice; input that
cannot be decoded and handlers that raise are answered with SOAP Faults, and missing or wrong
Basic credentials with 401.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeAlias

from ._answer import HttpAnswer
from ._errors import DecodeError, LimitExceeded
from ._http import check_trailer_line, chunk_size
from ._limits import DEFAULT_LIMITS, Limits
from ._receiving import Auth, Exchange, Handler, Receiver, Side

__all__ = ["app"]

Environ: TypeAlias = dict[str, Any]
StartResponse: TypeAlias = Callable[..., Any]
Application: TypeAlias = Callable[[Environ, StartResponse], Iterable[bytes]]

_READ_SIZE = 64 * 1024
#: How much of a refused request's body is still read (and dropped) before answering.
_DRAIN_LIMIT = 1024 * 1024


def app(
    handler: Handler,
    *,
    auth: Auth | None = None,
    limits: Limits | None = None,
    side: Side = "vasp",
    strict: bool = False,
    spool_dir: str | os.PathLike[str] | None = None,
) -> Application:
    """A WSGI application answering MM7 requests with ``handler``.

    ``auth`` is a (user, password) pair or a function checking one (HTTP Basic); ``limits``
    bound each decode; ``side`` says whose error response goes in Faults (``"vasp"`` for a VASP
    receiving MO messages and reports, ``"rs"`` for an MMSC receiving submissions).
    """
    receiver = Receiver(auth, limits or DEFAULT_LIMITS, side, strict, spool_dir)

    def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        answer = _exchange(receiver, handler, environ)
        status = f"{answer.status} {answer.reason}".rstrip()
        start_response(status, list(answer.headers))
        return [answer.body]

    return application


def _exchange(receiver: Receiver, handler: Handler, environ: Environ) -> HttpAnswer:
    begun = receiver.begin(
        environ.get("REQUEST_METHOD", ""),
        environ.get("CONTENT_TYPE"),
        environ.get("HTTP_AUTHORIZATION"),
    )
    if isinstance(begun, HttpAnswer):
        _read_body(None, environ, receiver.limits)
        return begun
    refused = _read_body(begun, environ, receiver.limits)
    if refused is not None:
        return receiver.refuse(refused)
    outcome = begun.close()
    if isinstance(outcome, HttpAnswer):
        return outcome
    try:
        result = handler(outcome)
    except Exception:
        return receiver.failed(outcome)
    return receiver.answer(outcome, result)


def _read_body(exchange: Exchange | None, environ: Environ, limits: Limits) -> DecodeError | None:
    """Feed the request body to ``exchange``; a framing error is returned, not raised.

    Once the input is refused (or with no exchange at all: a 401 or 405), up to
    ``_DRAIN_LIMIT`` more bytes are read and dropped, so that a client still sending gets to
    read the answer: a server that closes with unread bytes makes TCP reset the connection,
    and the client sees the reset instead of the 401 or the Fault.
    """
    stream: IO[bytes] = environ["wsgi.input"]
    dropped = 0
    try:
        for chunk in _body_chunks(stream, environ, limits):
            if exchange is not None and exchange.refused is None:
                exchange.feed(chunk)
                continue
            dropped += len(chunk)
            if dropped > _DRAIN_LIMIT:
                break
    except DecodeError as error:
        return error
    return None


def _body_chunks(stream: IO[bytes], environ: Environ, limits: Limits) -> Iterator[bytes]:
    length = environ.get("CONTENT_LENGTH") or ""
    codings = environ.get("HTTP_TRANSFER_ENCODING", "").lower().split(",")
    if codings[-1].strip() == "chunked" and not environ.get("wsgi.input_terminated"):
        # Transfer-Encoding wins over Content-Length (RFC 9112 section 6.3): a server that
        # passes a chunked body through undecoded leaves its framing to us.
        yield from _dechunked(stream, limits)
    elif length:
        if not length.isascii() or not length.isdigit():
            raise DecodeError(f"Content-Length {length[:40]!r} is not a number")
        yield from _exactly(stream, int(length))
    elif environ.get("wsgi.input_terminated"):
        while chunk := stream.read(_READ_SIZE):
            yield chunk


def _exactly(stream: IO[bytes], length: int) -> Iterator[bytes]:
    remaining = length
    while remaining:
        chunk = stream.read(min(remaining, _READ_SIZE))
        if not chunk:
            raise DecodeError(f"the body ended {remaining} bytes before its Content-Length")
        remaining -= len(chunk)
        yield chunk


def _dechunked(stream: IO[bytes], limits: Limits) -> Iterator[bytes]:
    """Read a ``Transfer-Encoding: chunked`` body from the raw stream (servers such as
    wsgiref pass it through undecoded), by the rules ``decode_http`` reads captures with:
    hex sizes only, extensions and trailers checked, lines and total bounded."""
    total = 0
    while True:
        size, _padded = chunk_size(_line(stream, limits).rstrip(b"\r\n"))
        if size == 0:
            break
        total += size
        if total > limits.max_total_size:
            raise LimitExceeded("max_total_size", limits.max_total_size, status_code=2004)
        yield from _exactly(stream, size)
        if _line(stream, limits).strip():
            raise DecodeError("a chunk is longer than its size line says")
    count = 0
    while line := _line(stream, limits).rstrip(b"\r\n"):  # trailer fields, then the blank line
        count = check_trailer_line(line, count, limits)


def _line(stream: IO[bytes], limits: Limits) -> bytes:
    line = stream.readline(limits.max_header_line + 1)
    if len(line) > limits.max_header_line:
        raise LimitExceeded("max_header_line", limits.max_header_line)
    if not line.endswith(b"\n"):
        raise DecodeError("the chunked body ended early")
    return line
