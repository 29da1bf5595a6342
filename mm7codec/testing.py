"""Test peers: a fake MMSC and a fake VASP serving real HTTP on 127.0.0.1.

    >>> with FakeMMSC() as mmsc:                                   # doctest: +SKIP
    ...     Client(mmsc.url).send(submit)                          # a SubmitRsp, status 1000
    ...     mmsc.received                                          # [the SubmitReq]

Each peer is a context manager that serves ``mm7codec.wsgi.app`` on an ephemeral port in a
background thread, records every decoded request in ``received`` and answers with
``request.reply()`` (a SubmitRsp with a fresh MessageID) unless told otherwise by
``respond_with``. ``sloppy=True`` answers the way
many real peers do (``SLOPPY_DIALECTS``: another SOAP prefix, line breaks between elements, a
padded TransactionID, ``application/xml``), all within what a lenient decoder must read.
``FakeMMSC.push`` delivers an MO message or a delivery report to a VASP the way an aggregator
does, retries included.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Self, TypeAlias
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import wsgi
from ._answer import HttpAnswer, http_answer
from ._dialects import DIALECTS, WireMessage, apply
from ._errors import MM7Error
from ._limits import Limits
from ._messages import Fault, Request, Response
from ._receiving import Auth, HandlerResult, Side, default_reply
from .client import Client

__all__ = [
    "DIALECTS",
    "Attempt",
    "Delivery",
    "FakeMMSC",
    "FakePeer",
    "FakeVASP",
    "Responder",
    "WireMessage",
]

#: What ``respond_with`` takes: a fixed answer, or a function of the request.
Responder: TypeAlias = Response | Fault | HttpAnswer | Callable[[Request], HandlerResult]

_log = logging.getLogger("mm7codec.testing")
_SUCCESS = 1000


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    # Closing waits for the requests in flight, so a peer stopped right after answering (a
    # test, ``--requests N``) never cuts an answer short; the handler's timeout bounds it.
    daemon_threads = False
    block_on_close = True


class _QuietHandler(WSGIRequestHandler):
    timeout = 30  # seconds a silent client may hold a connection

    def log_message(self, format: str, *args: object) -> None:
        _log.debug("%s " + format, self.address_string(), *args)


class FakePeer:
    """A served MM7 endpoint that records what it receives."""

    side: Side
    path = "/mm7"

    def __init__(
        self,
        *,
        auth: Auth | None = None,
        sloppy: bool = False,
        limits: Limits | None = None,
        port: int = 0,
    ) -> None:
        self.received: list[Request] = []
        self.sloppy = sloppy
        self._responder: Responder | None = None
        self._lock = threading.Lock()
        application = wsgi.app(self._handle, auth=auth, limits=limits, side=self.side)
        self._server = make_server(
            "127.0.0.1",
            port,
            application,
            server_class=_ThreadingServer,
            handler_class=_QuietHandler,
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.path}"

    def respond_with(self, answer: Responder | None) -> None:
        """Answer every later request with ``answer`` (``None``: back to the default)."""
        with self._lock:
            self._responder = answer

    def __enter__(self) -> Self:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _handle(self, request: Request) -> HandlerResult:
        with self._lock:
            self.received.append(request)
            responder = self._responder
        if responder is None:
            result = None
        elif callable(responder):
            result = responder(request)
        else:
            result = responder
        if self.sloppy and not isinstance(result, HttpAnswer):
            return _sloppy(http_answer(default_reply(request) if result is None else result))
        return result


class FakeMMSC(FakePeer):
    """A fake MMSC (or aggregator): takes SubmitReq and the other VASP requests, answers each
    with success (a SubmitRsp carries a fresh MessageID), and can ``push`` MO messages and
    delivery reports to a VASP."""

    side: Side = "rs"

    def push(
        self,
        message: Request,
        url: str,
        *,
        timeout: float = 10.0,
        retries: int = 5,
        retry_interval: float = 300.0,
        auth: tuple[str, str] | None = None,
    ) -> Delivery:
        """Deliver ``message`` (a DeliverReq, DeliveryReportReq or ReadReplyReq) to the VASP at
        ``url`` as an aggregator does: delivered only on HTTP 200 with the matching response,
        the same TransactionID and status 1000; otherwise tried again, up to ``retries`` more
        times, ``retry_interval`` seconds apart. Every attempt is recorded."""
        client = Client(url, auth=auth, timeout=timeout)
        attempts: list[Attempt] = []
        for number in range(1, retries + 2):
            if number > 1:
                time.sleep(retry_interval)
            attempt = _attempt(client, message, number)
            attempts.append(attempt)
            if attempt.delivered:
                break
        return Delivery(message, tuple(attempts))


class FakeVASP(FakePeer):
    """A fake VASP: takes DeliverReq, DeliveryReportReq and ReadReplyReq and answers each with
    success."""

    side: Side = "vasp"


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at delivering: its ``outcome`` (``"delivered"``, ``"status"`` for an MM7
    error status, ``"fault"``, ``"transport"`` for an answer that was not MM7 or none,
    ``"mismatch"`` for a wrong response type or TransactionID), the HTTP status when one came,
    the response when one was decoded, and a ``detail`` a person can read."""

    number: int
    outcome: str
    detail: str
    http_status: int | None = None
    response: Response | None = None

    @property
    def delivered(self) -> bool:
        return self.outcome == "delivered"


@dataclass(frozen=True, slots=True)
class Delivery:
    """The attempts at delivering ``request``, in order."""

    request: Request
    attempts: tuple[Attempt, ...]

    @property
    def delivered(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].delivered

    @property
    def response(self) -> Response | None:
        """The response to the last attempt, when it was an MM7 response."""
        return self.attempts[-1].response if self.attempts else None


def _attempt(client: Client, message: Request, number: int) -> Attempt:
    from .client import FaultError, TransportError

    try:
        response = client.send(message)
    except FaultError as error:
        return Attempt(number, "fault", str(error), http_status=500)
    except TransportError as error:
        return Attempt(number, "transport", str(error), http_status=error.http_status)
    except MM7Error as error:
        return Attempt(number, "mismatch", str(error), http_status=200)
    if response.status.code != _SUCCESS:
        detail = f"status {response.status.code} {response.status.text or ''}".rstrip()
        return Attempt(number, "status", detail, 200, response)
    return Attempt(number, "delivered", "status 1000", 200, response)


#: The dialect of ``sloppy=True``: what many MMSCs write, and a lenient reader must read.
SLOPPY_DIALECTS = (
    "padded-transaction-id",
    "element-whitespace",
    "soap-content-type",
    "soap-prefix",
)


def _sloppy(answer: HttpAnswer) -> HttpAnswer:
    content_type = answer.header("Content-Type") or ""
    content_type, body = apply(SLOPPY_DIALECTS, content_type, answer.body)
    headers = tuple(
        (name, content_type)
        if name == "Content-Type"
        else (name, str(len(body)))
        if name == "Content-Length"
        else (name, value)
        for name, value in answer.headers
    )
    return replace(answer, headers=headers, body=body)
