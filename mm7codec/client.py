"""Sending MM7 requests over HTTP with the standard library's ``http.client``.

    >>> client = Client("https://mmsc.example/mm7", auth=("api-key", "secret"))  # doctest: +SKIP
    >>> response = client.send(submit)                                           # doctest: +SKIP

``send`` streams the encoded request (attachments are read as they are written, with a
Content-Length whenever every size is known), decodes the answer as it arrives, and checks it
is the answer to this request: the same TransactionID and the request's response type (or its
error response). MM7 error statuses come back as responses, since they are answers; a SOAP
Fault raises ``FaultError`` and anything that is not MM7 at all (a 401 or 503 page, a reset
connection, a timeout) raises ``TransportError``. Both are ``MM7Error`` subclasses.
"""

from __future__ import annotations

import base64
import http.client
import ssl
from typing import overload
from urllib.parse import urlsplit

from ._answer import HttpAnswer, soap_action_header
from ._decoder import Decoder
from ._encoder import encode_stream
from ._errors import DecodeError, MM7Error
from ._limits import DEFAULT_LIMITS, Limits
from ._messages import (
    CancelReq,
    CancelRsp,
    DeliverReq,
    DeliverRsp,
    DeliveryReportReq,
    DeliveryReportRsp,
    Fault,
    ReadReplyReq,
    ReadReplyRsp,
    ReplaceReq,
    ReplaceRsp,
    Request,
    Response,
    RSErrorRsp,
    SubmitReq,
    SubmitRsp,
    VASPErrorRsp,
    extendedCancelReq,
    extendedCancelRsp,
    extendedReplaceReq,
    extendedReplaceRsp,
)

__all__ = ["Client", "FaultError", "TransportError"]

_READ_SIZE = 64 * 1024
#: What ``http.client`` raises when no usable HTTP answer comes: socket and TLS errors, and
#: answers that are not HTTP at all (a bad status line, a header line too long, a cut body).
_NO_ANSWER = (OSError, http.client.HTTPException)
_BODY_START = 512


class TransportError(MM7Error):
    """The peer did not answer in MM7: ``http_status`` (None when no HTTP answer came at all)
    and ``body_start``, the first bytes of what it sent, say what happened instead."""

    default_status_code = 3000

    def __init__(self, reason: str, *, http_status: int | None = None, body_start: bytes = b""):
        self.http_status = http_status
        self.body_start = body_start
        super().__init__(reason)


class FaultError(MM7Error):
    """The peer refused the request with a SOAP Fault; ``fault`` is the decoded Fault, and
    ``status_code`` the status in its detail when it has one."""

    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        status = fault.status
        super().__init__(
            f"SOAP Fault {fault.faultcode}: {fault.faultstring}",
            status_code=None if status is None else status.code,
        )


class Client:
    """An MM7 client for one peer URL (``http://`` or ``https://``).

    ``auth`` is the (user, password) pair for HTTP Basic (aggregators use the account's API
    key); ``timeout`` bounds each socket operation in seconds; ``ssl_context`` overrides the
    default certificate checks for https; ``soap_action`` is the SOAPAction a peer wants
    (empty by default); ``limits`` bound the decode of answers.
    """

    def __init__(
        self,
        url: str,
        *,
        auth: tuple[str, str] | None = None,
        timeout: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
        soap_action: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"an MM7 peer URL is http:// or https://, not {url!r}")
        self.url = url
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.soap_action = soap_action
        self.limits = limits
        self._authorization = None
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            self._authorization = f"Basic {token}"

    @overload
    def send(self, request: SubmitReq) -> SubmitRsp | RSErrorRsp: ...
    @overload
    def send(self, request: DeliverReq) -> DeliverRsp | VASPErrorRsp: ...
    @overload
    def send(self, request: CancelReq) -> CancelRsp | RSErrorRsp: ...
    @overload
    def send(self, request: ReplaceReq) -> ReplaceRsp | RSErrorRsp: ...
    @overload
    def send(self, request: extendedCancelReq) -> extendedCancelRsp | RSErrorRsp: ...
    @overload
    def send(self, request: extendedReplaceReq) -> extendedReplaceRsp | RSErrorRsp: ...
    @overload
    def send(self, request: DeliveryReportReq) -> DeliveryReportRsp | VASPErrorRsp: ...
    @overload
    def send(self, request: ReadReplyReq) -> ReadReplyRsp | VASPErrorRsp: ...
    @overload
    def send(self, request: Request) -> Response: ...
    def send(self, request: Request) -> Response:
        """Send ``request``; return the peer's response (whatever its status).

        The answer is the request's own response (``SubmitRsp`` for a ``SubmitReq``) or the
        error response a peer uses to refuse a request outright (``RSErrorRsp`` for what a
        VASP sends, ``VASPErrorRsp`` for what a relay/server sends), and is typed as exactly
        that union; ``isinstance`` narrows it.
        """
        connection = self._connect()
        try:
            http_status, message = self._exchange(connection, request)
        except _NO_ANSWER as error:  # refused, reset, timed out, TLS failure, not HTTP
            raise TransportError(f"no MM7 answer from {self.url}: {error!r}") from error
        finally:
            connection.close()
        if isinstance(message, Fault):
            raise FaultError(message)
        if http_status != 200:
            raise TransportError(
                f"HTTP {http_status} with a {type(message).__name__}", http_status=http_status
            )
        expected = (request.response_type, request.error_response_type)
        if not isinstance(message, expected):
            raise DecodeError(
                f"{type(request).__name__} was answered with {type(message).__name__}",
                status_code=4003,
                transaction_id=message.transaction_id,
            )
        if message.transaction_id != request.transaction_id:
            raise DecodeError(
                f"the answer's TransactionID {message.transaction_id!r} is not the request's "
                f"{request.transaction_id!r}",
                transaction_id=message.transaction_id,
            )
        return message

    def post(self, content_type: str, body: bytes) -> HttpAnswer:
        """POST ``body`` as it is (a capture to replay, a fuzzer's mutation) and return the
        answer as it came, undecoded; ``TransportError`` when no HTTP answer comes."""
        connection = self._connect()
        try:
            self._start(connection, content_type, len(body))
            connection.send(body)
            answer = connection.getresponse()
            data = answer.read(self.limits.max_total_size + 1)
        except _NO_ANSWER as error:
            raise TransportError(f"no answer from {self.url}: {error!r}") from error
        finally:
            connection.close()
        return HttpAnswer(answer.status, tuple(answer.getheaders()), data)

    def _connect(self) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=self.timeout, context=self.ssl_context
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)

    def _exchange(
        self, connection: http.client.HTTPConnection, request: Request
    ) -> tuple[int, Response | Fault]:
        encoded = encode_stream(request)
        self._start(connection, encoded.content_type, encoded.content_length)
        for chunk in encoded.chunks():
            if encoded.content_length is None:
                connection.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            else:
                connection.send(chunk)
        if encoded.content_length is None:
            connection.send(b"0\r\n\r\n")
        answer = connection.getresponse()
        return answer.status, self._read_answer(answer)

    def _start(
        self, connection: http.client.HTTPConnection, content_type: str, length: int | None
    ) -> None:
        """The request line and headers: chunked when the length is not known in advance."""
        soap_action = soap_action_header(self.soap_action)
        connection.putrequest("POST", self._target)
        connection.putheader("Content-Type", content_type)
        if length is not None:
            connection.putheader("Content-Length", str(length))
        else:
            connection.putheader("Transfer-Encoding", "chunked")
        connection.putheader("SOAPAction", soap_action)
        if self._authorization is not None:
            connection.putheader("Authorization", self._authorization)
        connection.endheaders()

    def _read_answer(self, answer: http.client.HTTPResponse) -> Response | Fault:
        content_type = answer.getheader("Content-Type") or ""
        start = b""
        try:
            decoder = Decoder(content_type, limits=self.limits)
            while chunk := answer.read(_READ_SIZE):
                if len(start) < _BODY_START:
                    start += chunk[: _BODY_START - len(start)]
                decoder.feed(chunk)
            message = decoder.close()
        except DecodeError as error:
            start += answer.read(_BODY_START - len(start)) if len(start) < _BODY_START else b""
            raise TransportError(
                f"HTTP {answer.status} {answer.reason!r}: not an MM7 answer ({error.reason})",
                http_status=answer.status,
                body_start=start,
            ) from error
        if not isinstance(message, (Response, Fault)):
            raise TransportError(
                f"HTTP {answer.status}: the peer answered with a request, {type(message).__name__}",
                http_status=answer.status,
                body_start=start,
            )
        return message
