"""End to end over real HTTP on loopback: a receiver built only on http.server and mm7codec
answers MO messages and delivery reports with reply(); a sender posts with http.client."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import mm7codec

RECEIVED: list[mm7codec.Message] = []


class _VaspHandler(BaseHTTPRequestHandler):
    """A VASP endpoint: decode as the body streams in, answer with reply() or a Fault."""

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        try:
            decoder = mm7codec.Decoder(self.headers["Content-Type"])
            while length:
                chunk = self.rfile.read(min(length, 16 * 1024))
                length -= len(chunk)
                decoder.feed(chunk)
            request = decoder.close()
            assert isinstance(request, mm7codec.Request)
            RECEIVED.append(request)
            answer: mm7codec.Message = request.reply()
            status = 200
        except mm7codec.DecodeError as error:
            answer = mm7codec.VASPErrorRsp(
                transaction_id=error.transaction_id or "unknown",
                status=mm7codec.Status.of(error.status_code, details=str(error)),
            )
            status = 500
        content_type, body = mm7codec.encode(answer)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _VaspHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
        RECEIVED.clear()


def _post(address: tuple[str, int], message: mm7codec.Message) -> tuple[int, mm7codec.Message]:
    encoded = mm7codec.encode_stream(message)
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.putrequest("POST", "/mm7")
        connection.putheader("Content-Type", encoded.content_type)
        connection.putheader("Content-Length", str(encoded.content_length))
        connection.putheader("SOAPAction", '""')
        connection.endheaders()
        for chunk in encoded.chunks():
            connection.send(chunk)
        response = connection.getresponse()
        return response.status, mm7codec.decode(
            response.read(), response.getheader("Content-Type", "")
        )
    finally:
        connection.close()


def test_mo_message_with_attachments(server: tuple[str, int]) -> None:
    image = bytes(range(256)) * 300
    mo = mm7codec.DeliverReq(
        transaction_id="mo-e2e-1",
        version="6.8.0",
        sender=mm7codec.Address("15553199144"),
        recipients=mm7codec.Recipients(to=[mm7codec.Address("12345", "ShortCode")]),
        subject="photo",
        content=mm7codec.Part.multipart(
            [
                mm7codec.Part.from_bytes(b"<smil/>", "application/smil", content_id="smil"),
                mm7codec.Part.from_text("look!", content_id="text"),
                mm7codec.Part.from_bytes(image, "image/jpeg", content_id="img"),
            ],
            "related",
            content_id="mms",
            params={"type": "application/smil", "start": "<smil>"},
        ),
    )
    status, answer = _post(server, mo)
    assert status == 200
    assert isinstance(answer, mm7codec.DeliverRsp)
    assert answer.transaction_id == "mo-e2e-1"
    assert answer.status.code == 1000
    [received] = RECEIVED
    assert received == mo
    assert received.content.parts[2].body == image  # type: ignore[attr-defined]


def test_delivery_report(server: tuple[str, int]) -> None:
    report = mm7codec.DeliveryReportReq(
        transaction_id="dr-e2e-1",
        version="5.3.0",
        message_id="msg-1",
        recipient=mm7codec.Address("15553199144"),
        sender=mm7codec.Address("12345", "ShortCode"),
        date=datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
        mm_status="Retrieved",
    )
    status, answer = _post(server, report)
    assert status == 200
    assert isinstance(answer, mm7codec.DeliveryReportRsp)
    assert (answer.transaction_id, answer.version, answer.namespace) == (
        "dr-e2e-1",
        "5.3.0",
        report.namespace,
    )
    assert [report] == RECEIVED


def test_garbage_gets_a_typed_error_response(server: tuple[str, int]) -> None:
    connection = http.client.HTTPConnection(*server, timeout=10)
    try:
        connection.request(
            "POST", "/mm7", body=b"<not-soap/>", headers={"Content-Type": "text/xml"}
        )
        response = connection.getresponse()
        answer = mm7codec.decode(response.read(), response.getheader("Content-Type", ""))
    finally:
        connection.close()
    assert response.status == 500
    assert isinstance(answer, mm7codec.VASPErrorRsp)
    assert answer.status.code == 2007
