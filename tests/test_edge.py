"""The HTTP edge over real sockets on 127.0.0.1: http_answer and faults, the WSGI app under
wsgiref, the ASGI app under uvicorn, the client against the fake MMSC, and push with retries."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec import asgi, wsgi
from mm7codec._receiving import Receiver
from mm7codec.client import Client, FaultError, TransportError
from mm7codec.strategies import messages
from mm7codec.testing import FakeMMSC, FakeVASP

from .conftest import SAMPLES
from .test_samples import EXPECTED

BUNDLED = Path(mm7codec.__file__).with_name("samples")
AUTH = ("api-key", "s3cret")


def _report(transaction_id: str = "dr-1") -> mm7codec.DeliveryReportReq:
    return mm7codec.DeliveryReportReq(
        transaction_id=transaction_id,
        message_id="m-1",
        recipient=mm7codec.Address("15553199144"),
        sender=mm7codec.Address("12345", "ShortCode"),
        date=datetime(2026, 1, 1, tzinfo=UTC),
        mm_status="Retrieved",
    )


def _submit(transaction_id: str = "sub-1") -> mm7codec.SubmitReq:
    return mm7codec.SubmitReq(
        transaction_id=transaction_id,
        vasp_id="api-key",
        vas_id="12345",
        sender_address=mm7codec.Address("12345", "ShortCode"),
        recipients=mm7codec.Recipients(to=["15553199144"]),
        content=mm7codec.Part.from_text("hello"),
    )


# -- http_answer and DecodeError.fault --------------------------------------------------------


def test_http_answer_for_a_response_a_fault_and_a_request() -> None:
    request = _report()
    answer = mm7codec.http_answer(request.reply())
    assert (answer.status, answer.reason) == (200, "OK")
    assert answer.header("content-length") == str(len(answer.body))
    assert (
        answer.header(
            "Content-Type",
        )
        == 'text/xml; charset="utf-8"'
    )
    assert answer.header("SOAPAction") is None
    fault = mm7codec.http_answer(request.fault(4004))
    assert fault.status == 500
    sent = mm7codec.http_answer(request)
    assert sent.status is None
    assert sent.header("SOAPAction") == '""'
    assert mm7codec.http_answer(request, soap_action="urn:mm7").header("SOAPAction") == '"urn:mm7"'


@pytest.mark.parametrize("action", ['a"b', "a\\b", "a\r\nX-Injected: 1", "é"])
def test_http_answer_refuses_a_soap_action_a_peer_would_misread(action: str) -> None:
    with pytest.raises(mm7codec.EncodeError):
        mm7codec.http_answer(_report(), soap_action=action)


@pytest.mark.parametrize("header", ["Basic é", "Basic ###", "Basic " + "QQ" * 3, "Digest x"])
def test_malformed_credentials_are_refused_not_raised(header: str) -> None:
    assert isinstance(Receiver(auth=AUTH).begin("POST", "text/xml", header), mm7codec.HttpAnswer)


def test_decode_error_fault_by_side_with_a_clean_reason() -> None:
    with pytest.raises(mm7codec.DecodeError) as raised:
        mm7codec.decode(b"<not-xml", "text/xml")
    error = raised.value
    for side, detail_type in (("vasp", mm7codec.VASPErrorRsp), ("rs", mm7codec.RSErrorRsp)):
        fault = error.fault(side)  # type: ignore[arg-type]
        assert isinstance(fault.detail, detail_type)
        assert fault.faultcode == "Client"
        assert fault.status is not None
        assert fault.status.code == error.status_code == 2007
        assert fault.status.details == error.reason
        assert "byte" not in (fault.status.details or "")
        decoded = mm7codec.decode(mm7codec.encode(fault)[1], "text/xml")
        assert isinstance(decoded, mm7codec.Fault)


REL5 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-3"


def test_decode_error_fault_echoes_what_the_peer_showed_of_itself() -> None:
    report = dataclasses.replace(_report("echo-me"), version="5.6.0", namespace=REL5)
    body = mm7codec.encode(report)[1].replace(b"<MessageID>m-1</MessageID>", b"")
    with pytest.raises(mm7codec.DecodeError) as raised:
        mm7codec.decode(body, "text/xml")
    fault = raised.value.fault()
    assert (fault.transaction_id, fault.version, fault.namespace) == ("echo-me", "5.6.0", REL5)
    assert fault.detail is not None
    assert (fault.detail.transaction_id, fault.detail.namespace) == ("echo-me", REL5)
    # Strict mode refuses a message it could read: the Fault still answers in its terms.
    sloppy = mm7codec.encode(report)[1].replace(b">echo-me<", b"> echo-me <")
    with pytest.raises(mm7codec.DeviationError) as strict:
        mm7codec.decode(sloppy, "text/xml", strict=True)
    fault = strict.value.fault("rs")
    assert (fault.transaction_id, fault.version, fault.namespace) == ("echo-me", "5.6.0", REL5)
    assert isinstance(fault.detail, mm7codec.RSErrorRsp)


ODD_TEXT = st.text(
    st.characters(codec="utf-8", exclude_characters="<&\x00"), min_size=0, max_size=80
) | st.just("x" * 70_000)


@settings(max_examples=150, deadline=None)
@given(
    messages(version="6.8.0", message_type="DeliveryReportReq", content=False),
    st.sampled_from(["namespace", "version", "transaction", "element"]),
    ODD_TEXT,
)
def test_the_receiver_answers_whatever_the_peer_wrote(
    message: mm7codec.Message, where: str, odd: str
) -> None:
    """Whatever a peer puts where it echoes from (namespace, version, TransactionID) or names
    (elements), the receiver answers with bytes that decode: never an exception."""
    _, body = mm7codec.encode(message)
    text = body.decode("utf-8")
    escaped = odd.replace('"', "&quot;")
    if where == "namespace":
        text = text.replace(message.namespace, escaped)
    elif where == "version":
        text = text.replace(f"<MM7Version>{message.version}<", f"<MM7Version>{escaped}<")
    elif where == "transaction":
        text = text.replace(f">{message.transaction_id}</", f">{escaped}</", 1)
    else:
        name = "".join(c for c in odd if c.isalnum()) or "x"
        text = text.replace("<MM7Version>", f"<{name}/><MM7Version>", 1)
    receiver = Receiver()
    begun = receiver.begin("POST", "text/xml", None)
    assert not isinstance(begun, mm7codec.HttpAnswer)
    begun.feed(text.encode("utf-8"))
    outcome = begun.close()
    answer = outcome if isinstance(outcome, mm7codec.HttpAnswer) else receiver.answer(outcome, None)
    decoded = mm7codec.decode(answer.body, answer.header("Content-Type") or "")
    assert isinstance(decoded, (mm7codec.Response, mm7codec.Fault))


# -- serving ----------------------------------------------------------------------------------


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@contextlib.contextmanager
def wsgi_served(application: wsgi.Application) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, application, server_class=_Server, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/mm7"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def asgi_served(application: asgi.Application) -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn", reason="uvicorn (the test extra) runs the ASGI app")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(application, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])))
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.025)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/mm7"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


SERVERS: dict[str, Callable[..., contextlib.AbstractContextManager[str]]] = {
    "wsgi": lambda handler, **options: wsgi_served(wsgi.app(handler, **options)),
    "asgi": lambda handler, **options: asgi_served(asgi.app(handler, **options)),
}


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    chunked: bool = False,
) -> tuple[int, dict[str, str], bytes]:
    host, port = url.split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("POST", "/mm7")
        for name, value in headers.items():
            connection.putheader(name, value)
        if chunked:
            connection.putheader("Transfer-Encoding", "chunked")
        else:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        if chunked:
            for start in range(0, len(body), 700):
                piece = body[start : start + 700]
                connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            connection.send(b"0\r\n\r\n")
        else:
            connection.send(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _captures() -> Iterator[tuple[str, str, bytes]]:
    """(name, content type, body) for every bundled request sample and every peer capture."""
    for path in sorted(BUNDLED.glob("*.http")):
        capture = mm7codec.split_http(path.read_bytes())
        yield path.name, capture.content_type, capture.body
    if SAMPLES.is_dir():
        for name, (content_type, _expected) in sorted(EXPECTED.items()):
            data = (SAMPLES / name).read_bytes()
            if content_type == "http":
                capture = mm7codec.split_http(data)
                content_type, data = capture.content_type, capture.body
            yield name, content_type, data


def _check_answer(
    status: int, headers: dict[str, str], body: bytes, sent: bytes, content_type: str
) -> None:
    """A decodable request gets 200 and its response with the same TransactionID; anything
    else gets 500 and a Fault."""
    answer = mm7codec.decode(body, headers["Content-Type"])
    assert headers["Content-Length"] == str(len(body))
    try:
        request = mm7codec.decode(sent, content_type)
    except mm7codec.DecodeError:
        request = None
    if isinstance(request, mm7codec.Request):
        assert status == 200, body
        assert isinstance(answer, request.response_type)
        assert answer.transaction_id == request.transaction_id
        assert answer.status.code == 1000
    else:
        assert status == 500
        assert isinstance(answer, mm7codec.Fault)


@pytest.mark.parametrize("kind", sorted(SERVERS))
def test_every_sample_and_capture_is_answered(kind: str) -> None:
    received: list[mm7codec.Request] = []
    with SERVERS[kind](lambda request: received.append(request)) as url:
        captures = list(_captures())
        for _name, content_type, body in captures:
            status, headers, answer = post(url, body, {"Content-Type": content_type})
            _check_answer(status, headers, answer, body, content_type)
        # A chunked request body is read as it streams in, with the same outcome.
        _name, content_type, body = captures[0]
        status, headers, answer = post(url, body, {"Content-Type": content_type}, chunked=True)
        _check_answer(status, headers, answer, body, content_type)
    assert received, "no sample reached the handler"


def _raw_status(url: str, head: bytes, body: bytes) -> int:
    """POST hand-framed bytes; the HTTP status of the answer."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"POST /mm7 HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n" + body)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def test_wsgi_reads_chunked_bodies_by_the_capture_rules() -> None:
    content_type, body = mm7codec.encode(_report())
    framed = f"{len(body):x}".encode() + b"\r\n" + body + b"\r\n"
    head = f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n".encode()
    with wsgi_served(wsgi.app(lambda request: None)) as url:
        assert _raw_status(url, head, framed + b"0\r\nX-Trailer: 1\r\n\r\n") == 200
        # Transfer-Encoding wins over a Content-Length that would cut the body short.
        assert _raw_status(url, head + b"Content-Length: 5\r\n", framed + b"0\r\n\r\n") == 200
        for broken in (
            b"0\r\nnot a trailer\r\n\r\n",  # a trailer line that is no field
            b"-4\r\n",  # not hex digits
        ):
            assert _raw_status(url, head, framed + broken) == 500
        bad_extension = f"{len(body):x};\x01\r\n".encode() + body + b"\r\n0\r\n\r\n"
        assert _raw_status(url, head, bad_extension) == 500


@pytest.mark.parametrize("kind", sorted(SERVERS))
def test_garbage_gets_a_fault_and_other_methods_405(kind: str) -> None:
    with SERVERS[kind](lambda request: None) as url:
        status, headers, body = post(url, b"\x00garbage<<", {"Content-Type": "text/xml"})
        fault = mm7codec.decode(body, headers["Content-Type"])
        assert status == 500
        assert isinstance(fault, mm7codec.Fault)
        assert isinstance(fault.detail, mm7codec.VASPErrorRsp)
        status, _headers, _body = post(url, b"x", {"Content-Type": "image/gif"})
        assert status == 500
        host, port = url.split("//")[1].split("/")[0].split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/mm7")
        response = connection.getresponse()
        assert (response.status, response.getheader("Allow")) == (405, "POST")
        connection.close()


@pytest.mark.parametrize("kind", sorted(SERVERS))
def test_basic_auth(kind: str) -> None:
    content_type, body = mm7codec.encode(_report())
    with SERVERS[kind](lambda request: None, auth=AUTH) as url:
        status, headers, _ = post(url, body, {"Content-Type": content_type})
        assert status == 401
        assert headers["WWW-Authenticate"].startswith("Basic realm=")
        wrong = "Basic " + base64.b64encode(b"api-key:guess").decode()
        status, _, _ = post(url, body, {"Content-Type": content_type, "Authorization": wrong})
        assert status == 401
        right = "Basic " + base64.b64encode(b"api-key:s3cret").decode()
        status, _, _ = post(url, body, {"Content-Type": content_type, "Authorization": right})
        assert status == 200


@pytest.mark.parametrize("kind", sorted(SERVERS))
def test_a_failing_handler_becomes_a_server_fault(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    def handler(request: mm7codec.Request) -> None:
        raise RuntimeError("database down")

    content_type, body = mm7codec.encode(_report("boom"))
    with SERVERS[kind](handler) as url:
        status, headers, answer = post(url, body, {"Content-Type": content_type})
    fault = mm7codec.decode(answer, headers["Content-Type"])
    assert status == 500
    assert isinstance(fault, mm7codec.Fault)
    assert (fault.faultcode, fault.transaction_id) == ("Server", "boom")
    assert fault.status is not None and fault.status.code == 3000
    assert "database" not in answer.decode()  # the peer learns nothing of our internals
    assert "DeliveryReportReq 'boom'" in caplog.text  # the operator learns all of it
    assert "database down" in caplog.text


def test_the_asgi_app_awaits_a_coroutine_handler() -> None:
    async def handler(request: mm7codec.Request) -> mm7codec.Response:
        await asyncio.sleep(0)
        return request.reply(2002)

    content_type, body = mm7codec.encode(_report())
    with asgi_served(asgi.app(handler)) as url:
        status, headers, answer = post(url, body, {"Content-Type": content_type})
    response = mm7codec.decode(answer, headers["Content-Type"])
    assert status == 200
    assert isinstance(response, mm7codec.DeliveryReportRsp)
    assert response.status.code == 2002


# -- the client against the fake MMSC ---------------------------------------------------------


def test_client_success_returns_the_submit_response() -> None:
    with FakeMMSC() as mmsc:
        response = Client(mmsc.url).send(_submit())
        assert isinstance(response, mm7codec.SubmitRsp)
        assert response.status.code == 1000
        assert response.message_id
        assert [type(r).__name__ for r in mmsc.received] == ["SubmitReq"]
        assert mmsc.received[0].transaction_id == "sub-1"


def test_client_returns_error_statuses_and_raises_on_faults() -> None:
    with FakeMMSC() as mmsc:
        mmsc.respond_with(lambda request: request.reply(2002, message_id="m-2002"))
        response = Client(mmsc.url).send(_submit())
        assert response.status.code == 2002
        mmsc.respond_with(lambda request: request.fault(3001))
        with pytest.raises(FaultError) as raised:
            Client(mmsc.url).send(_submit())
        assert raised.value.status_code == 3001
        assert isinstance(raised.value.fault.detail, mm7codec.RSErrorRsp)


def test_client_raises_transport_errors_for_what_is_not_mm7() -> None:
    page = b"<html><body>Service Unavailable</body></html>"
    unavailable = mm7codec.HttpAnswer(
        503, (("Content-Type", "text/html"), ("Content-Length", str(len(page)))), page
    )
    with FakeMMSC(auth=AUTH) as mmsc:
        with pytest.raises(TransportError) as raised:
            Client(mmsc.url).send(_submit())
        assert raised.value.http_status == 401
        client = Client(mmsc.url, auth=AUTH)
        assert client.send(_submit()).status.code == 1000
        mmsc.respond_with(unavailable)
        with pytest.raises(TransportError) as raised:
            client.send(_submit())
        assert raised.value.http_status == 503
        assert raised.value.body_start == page
    with pytest.raises(TransportError) as raised:  # nobody listens there any more
        Client(mmsc.url, timeout=2).send(_submit())
    assert raised.value.http_status is None


def test_client_checks_the_answer_belongs_to_the_request() -> None:
    with FakeMMSC() as mmsc:
        mmsc.respond_with(
            lambda request: mm7codec.SubmitRsp(transaction_id="someone-else", message_id="m")
        )
        with pytest.raises(mm7codec.DecodeError, match="TransactionID"):
            Client(mmsc.url).send(_submit())
        mmsc.respond_with(lambda request: mm7codec.DeliverRsp(transaction_id="sub-1"))
        with pytest.raises(mm7codec.DecodeError, match="answered with DeliverRsp"):
            Client(mmsc.url).send(_submit())


def test_a_sloppy_peer_is_read_leniently() -> None:
    with FakeMMSC(sloppy=True) as mmsc:
        response = Client(mmsc.url).send(_submit())
    assert isinstance(response, mm7codec.SubmitRsp)
    assert response.status.code == 1000
    codes = {deviation.code for deviation in response.deviations}
    assert "padded-transaction-id" in codes
    assert "soap-content-type" in codes


# -- pushing to a VASP ------------------------------------------------------------------------


def test_push_retries_until_the_vasp_answers_1000() -> None:
    calls: list[str] = []

    def flaky(request: mm7codec.Request) -> None:
        calls.append(request.transaction_id)
        if len(calls) <= 2:
            raise RuntimeError("not yet")

    with wsgi_served(wsgi.app(flaky)) as url, FakeMMSC() as mmsc:
        delivery = mmsc.push(_report("push-1"), url, retries=5, retry_interval=0.01)
    assert [attempt.outcome for attempt in delivery.attempts] == ["fault", "fault", "delivered"]
    assert delivery.delivered
    assert isinstance(delivery.response, mm7codec.DeliveryReportRsp)
    assert calls == ["push-1"] * 3


def test_push_gives_up_after_the_retries() -> None:
    with FakeVASP() as vasp, FakeMMSC() as mmsc:
        vasp.respond_with(lambda request: request.reply(3000))
        delivery = mmsc.push(_report(), vasp.url, retries=2, retry_interval=0)
    assert [attempt.outcome for attempt in delivery.attempts] == ["status"] * 3
    assert not delivery.delivered
    assert len(vasp.received) == 3


def test_fake_peers_record_what_they_receive() -> None:
    with FakeVASP() as vasp, FakeMMSC() as mmsc:
        assert mmsc.push(_report("r-1"), vasp.url).delivered
    assert [request.transaction_id for request in vasp.received] == ["r-1"]


# -- the pytest plugin ------------------------------------------------------------------------


def test_the_pytest_fixtures(pytester: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(
        """
        import mm7codec
        from mm7codec.client import Client

        def test_send(mm7_mmsc, mm7_vasp):
            request = mm7codec.SubmitReq(
                recipients=mm7codec.Recipients(to=["15553199144"]), vasp_id="k"
            )
            assert Client(mm7_mmsc.url).send(request).status.code == 1000
            assert mm7_mmsc.received == [request]
            assert mm7_vasp.url.startswith("http://127.0.0.1:")
        """
    )
    result = pytester.runpytest("-p", "mm7codec.pytest_plugin")
    result.assert_outcomes(passed=1)


def test_the_plugin_is_registered_for_pytest() -> None:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        entry_points = distribution("mm7codec").entry_points
    except PackageNotFoundError:
        pytest.skip("mm7codec is not installed as a distribution here (run from a source tree)")
    names = {(ep.group, ep.value) for ep in entry_points}
    assert ("pytest11", "mm7codec.pytest_plugin") in names
