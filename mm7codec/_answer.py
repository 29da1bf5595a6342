"""A message as HTTP: the status line, the headers and the body, per the SOAP 1.1 HTTP binding.

Still sans-IO: this only decides what to send. A response goes out with 200, a SOAP Fault with
500 (SOAP 1.1 section 6.2: a server that could not process the request answers 500 with a
Fault); a request carries the ``SOAPAction`` header that SOAP 1.1 makes mandatory on a POST
(empty and quoted unless the peer wants a value). Content-Type and Content-Length are always set,
because MM7 peers read the body by its declared length.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from ._encoder import encode
from ._errors import EncodeError
from ._messages import Fault, Message, Request

__all__ = ["HttpAnswer", "http_answer", "soap_action_header"]


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    """What to send over HTTP for one message.

    ``status`` is the HTTP status code of an answer (200, or 500 for a SOAP Fault); a request,
    which a client POSTs, has no status (``None``). ``headers`` are (name, value) pairs in the
    order to send them.
    """

    status: int | None
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def reason(self) -> str:
        """The reason phrase for ``status`` ("OK", "Internal Server Error"), or "" for none."""
        if self.status is None:
            return ""
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def http_answer(message: Message, *, soap_action: str | None = None) -> HttpAnswer:
    """Encode ``message`` and say how it goes over HTTP.

    ``soap_action`` is the SOAPAction value for a request (default: empty, sent as ``""``,
    which every MM7 peer accepts); it is ignored for responses, which carry none.
    """
    action = soap_action_header(soap_action)
    content_type, body = encode(message)
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    status: int | None
    if isinstance(message, Request):
        status = None
        headers.append(("SOAPAction", action))
    elif isinstance(message, Fault):
        status = Fault.http_status
    else:
        status = int(HTTPStatus.OK)
    return HttpAnswer(status, tuple(headers), body)


def soap_action_header(soap_action: str | None) -> str:
    """The SOAPAction header value: ``soap_action`` quoted (empty by default). Refused unless
    it is printable ASCII without quotes or backslashes, so it can never end the header early
    or be read differently by the peer."""
    action = soap_action or ""
    if not all(" " <= char <= "~" and char not in '"\\' for char in action):
        raise EncodeError(
            "a SOAPAction must be printable ASCII without quotes or backslashes",
            where="SOAPAction",
        )
    return f'"{action}"'
