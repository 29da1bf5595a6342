"""What an MM7 receiver does with one HTTP POST, apart from the I/O: the part the WSGI and the
ASGI applications share.

A POST is checked (method, Basic credentials, Content-Type), its body streamed into a
``Decoder`` chunk by chunk (never buffered whole, which is what keeps a large MO within the
peer's 10-second budget), and the decoded request handed to the user's handler; whatever goes
wrong becomes the answer a peer understands: a SOAP Fault for input we cannot read or a handler
that failed, 401 for missing credentials, 405 for another method.
"""

from __future__ import annotations

import base64
import dataclasses
import hmac
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from ._answer import HttpAnswer, http_answer
from ._decoder import Decoder
from ._errors import DecodeError, MM7Error
from ._limits import DEFAULT_LIMITS, Limits
from ._messages import Fault, Message, Request, Response, error_fault

__all__ = [
    "AsyncHandler",
    "Auth",
    "Exchange",
    "Handler",
    "HandlerResult",
    "Receiver",
    "Side",
    "default_reply",
    "log_name",
]

#: What a handler may return: a response or Fault to send, a ready ``HttpAnswer``, or ``None``
#: for ``default_reply(request)`` (status 1000).
HandlerResult: TypeAlias = Response | Fault | HttpAnswer | None
#: A function that answers a decoded request (wsgi.app, testing.FakeVASP).
Handler: TypeAlias = Callable[[Request], HandlerResult]
#: The same, awaited (asgi.app).
AsyncHandler: TypeAlias = Callable[[Request], Awaitable[HandlerResult]]
#: Basic credentials as a (user, password) pair, or a function that checks a pair.
Auth: TypeAlias = tuple[str, str] | Callable[[str, str], bool]
#: Who answers: a VASP ("vasp") puts VASPErrorRsp in its Faults, a relay/server ("rs") RSErrorRsp.
Side: TypeAlias = Literal["vasp", "rs"]

_log = logging.getLogger("mm7codec.receiver")
_SERVER_ERROR = 3000
_UNSUPPORTED_OPERATION = 4003


def default_reply(request: Request) -> Response:
    """``request.reply()`` (status 1000), with a fresh MessageID where the response must carry
    one (SubmitRsp, extendedReplaceRsp): what a receiver answers when its handler has nothing
    to add."""
    if any(field.name == "message_id" for field in dataclasses.fields(request.response_type)):
        return request.reply(message_id=uuid.uuid4().hex)
    return request.reply()


def log_name(message: Message) -> str:
    """A message named for a log line: its type and TransactionID, escaped (both come from
    the peer, and a log line must not carry its control characters)."""
    return f"{type(message).__name__} {message.transaction_id!r}"


def _plain(status: int, text: str, *extra: tuple[str, str]) -> HttpAnswer:
    body = text.encode("ascii") + b"\n"
    headers = (
        ("Content-Type", "text/plain; charset=us-ascii"),
        ("Content-Length", str(len(body))),
        *extra,
    )
    return HttpAnswer(status, headers, body)


@dataclass(frozen=True, slots=True)
class Receiver:
    """The settings of an MM7 endpoint; ``begin()`` starts one exchange."""

    auth: Auth | None = None
    limits: Limits = DEFAULT_LIMITS
    side: Side = "vasp"
    strict: bool = False
    spool_dir: str | os.PathLike[str] | None = None
    realm: str = "mm7"

    def begin(
        self, method: str, content_type: str | None, authorization: str | None
    ) -> Exchange | HttpAnswer:
        """Check what comes before the body; an ``HttpAnswer`` means: answer it, read nothing."""
        if method != "POST":
            return _plain(405, "MM7 takes POST only", ("Allow", "POST"))
        if self.auth is not None and not self._authorized(authorization):
            challenge = ("WWW-Authenticate", f'Basic realm="{self.realm}", charset="UTF-8"')
            return _plain(401, "credentials required", challenge)
        try:
            decoder = Decoder(
                content_type or "",
                strict=self.strict,
                limits=self.limits,
                spool_dir=self.spool_dir,
            )
        except DecodeError as error:
            return self.refuse(error)
        return Exchange(self, decoder)

    def _authorized(self, header: str | None) -> bool:
        scheme, _, encoded = (header or "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, colon, password = (
                base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
            )
        except (ValueError, UnicodeDecodeError):  # binascii.Error, and non-ASCII input
            return False
        if not colon:
            return False
        if callable(self.auth):
            return bool(self.auth(user, password))
        assert self.auth is not None
        expected_user, expected_password = self.auth
        # Compare both in full whatever the first gives, so timing tells nothing.
        same_user = hmac.compare_digest(user.encode(), expected_user.encode())
        same_password = hmac.compare_digest(password.encode(), expected_password.encode())
        return same_user and same_password

    def refuse(self, error: DecodeError) -> HttpAnswer:
        """The Fault answering input we could not read."""
        return self._fault_answer(error.fault(self.side))

    def _fault_answer(self, fault: Fault) -> HttpAnswer:
        """``fault`` on the wire; if what it echoes of the peer cannot be written (a namespace
        no encoder may write, say), the same status without echoing anything."""
        try:
            return http_answer(fault)
        except MM7Error:
            status = fault.status.code if fault.status is not None else _SERVER_ERROR
            return http_answer(error_fault(self.side, status))

    def answer(self, request: Request, result: HandlerResult) -> HttpAnswer:
        """Turn what the handler returned into what goes on the wire."""
        if result is None:
            result = default_reply(request)
        if isinstance(result, HttpAnswer):
            return result
        try:
            return http_answer(result)
        except MM7Error as error:
            _log.error("the answer to %s cannot be encoded: %s", log_name(request), error)
            return self._fault_answer(request.fault(_SERVER_ERROR))

    def failed(self, request: Request) -> HttpAnswer:
        """The Fault answering a request whose handler raised (the peer will retry); called in
        the ``except`` block, it logs the handler's exception with it."""
        _log.exception("the handler failed on %s", log_name(request))
        return self._fault_answer(request.fault(_SERVER_ERROR))

    def not_a_request(self, message: Message) -> HttpAnswer:
        return self._fault_answer(
            error_fault(
                self.side,
                _UNSUPPORTED_OPERATION,
                details=f"{type(message).__name__} is not a request",
                transaction_id=message.transaction_id,
                version=message.version,
                namespace=message.namespace,
            )
        )


class Exchange:
    """One POST being received: ``feed()`` the body's chunks, then ``close()``."""

    __slots__ = ("_decoder", "_receiver", "refused")

    def __init__(self, receiver: Receiver, decoder: Decoder[Message]) -> None:
        self._receiver = receiver
        self._decoder = decoder
        #: Set once the input was refused; reading more of the body is pointless then.
        self.refused: HttpAnswer | None = None

    def feed(self, chunk: bytes) -> None:
        if self.refused is None:
            try:
                self._decoder.feed(chunk)
            except DecodeError as error:
                self.refused = self._receiver.refuse(error)

    def close(self) -> Request | HttpAnswer:
        """The decoded request, or the answer refusing the input."""
        if self.refused is not None:
            return self.refused
        try:
            message = self._decoder.close()
        except DecodeError as error:
            return self._receiver.refuse(error)
        if not isinstance(message, Request):
            return self._receiver.not_a_request(message)
        return message
