"""The public API is typed precisely: ``reply()`` gives the paired response class, ``decode``
with ``expect=`` gives the expected class (and refuses any other), ``Client.send`` gives the
request's response or its error response."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

import mm7codec
from mm7codec import (
    MESSAGE_TYPES,
    DecodeError,
    Decoder,
    DeliverReq,
    DeliveryReportReq,
    Fault,
    Recipients,
    Request,
    SubmitReq,
    SubmitRsp,
)
from mm7codec.__main__ import SAMPLES
from mm7codec.client import Client

from .typecheck import assert_mypy_catches

_REQUESTS = [cls for cls in MESSAGE_TYPES.values() if issubclass(cls, Request)]

# Every line assigns to an annotated variable: mypy fails the snippet if a type is imprecise.
_SNIPPET = """
from mm7codec import (
    Decoder, DeliverReq, DeliverRsp, DeliveryReportReq, Fault, Message, Recipients, Request,
    Response, RSErrorRsp, SubmitReq, SubmitRsp, VASPErrorRsp, decode, decode_http,
    extendedCancelReq, extendedCancelRsp,
)
from mm7codec.client import Client

submit = SubmitReq(recipients=Recipients(["15551234567"]))
accepted: SubmitRsp = submit.reply(message_id="abc")
refused: Fault = submit.fault(4004)
cancelled: extendedCancelRsp = extendedCancelReq(cancel_id="x").reply()

def answer(request: Request) -> Response:
    return request.reply()

def receive(body: bytes, content_type: str) -> DeliverRsp:
    delivered: DeliverReq = decode(body, content_type, expect=DeliverReq)
    return delivered.reply()

def receive_either(body: bytes, content_type: str) -> DeliverReq | DeliveryReportReq:
    return decode(body, content_type, expect=(DeliverReq, DeliveryReportReq))

def receive_any(body: bytes, content_type: str) -> Message:
    return decode(body, content_type)

def stream(content_type: str, chunks: list[bytes]) -> DeliverReq:
    decoder = Decoder(content_type, expect=DeliverReq)
    for chunk in chunks:
        decoder.feed(chunk)
    return decoder.close()

def captured(data: bytes) -> SubmitReq:
    return decode_http(data, expect=SubmitReq)

def send(client: Client, request: SubmitReq) -> SubmitRsp | RSErrorRsp:
    return client.send(request)

def send_mo(client: Client, request: DeliverReq) -> DeliverRsp | VASPErrorRsp:
    return client.send(request)
"""

# Each must be refused: the types are not merely ``Any``.
_WRONG = {
    "a SubmitReq's reply is no DeliverRsp": "wrong: DeliverRsp = submit.reply()",
    "expect= decides the type": (
        "def f(body: bytes) -> SubmitReq:\n    return decode(body, 'text/xml', expect=DeliverReq)"
    ),
    "send may answer with an RSErrorRsp": (
        "def g(client: Client, request: SubmitReq) -> SubmitRsp:\n    return client.send(request)"
    ),
}


def test_types_are_precise_under_mypy_strict(tmp_path: Path) -> None:
    assert_mypy_catches(tmp_path, _SNIPPET, _WRONG, saying="Incompatible")


def test_reply_overloads_match_the_runtime_pairing() -> None:
    """The typing overloads name, per request class, the response ``reply()`` really builds."""
    declared = {}
    for overload in typing.get_overloads(Request.reply):
        hints = typing.get_type_hints(overload)
        declared[hints["self"]] = hints["return"]
    for request in _REQUESTS:
        assert declared[request] is request.response_type, request.__name__


def test_send_overloads_match_the_runtime_pairing() -> None:
    declared = {}
    for overload in typing.get_overloads(Client.send):
        hints = typing.get_type_hints(overload)
        declared[hints["request"]] = set(typing.get_args(hints["return"]))
    for request in _REQUESTS:
        expected = {request.response_type, request.error_response_type}
        assert declared[request] == expected, request.__name__


def _mo_photo() -> tuple[str, bytes]:
    capture = mm7codec.split_http((SAMPLES / "mo-photo.http").read_bytes())
    return capture.content_type, capture.body


def test_expect_accepts_the_expected_class_and_tuples() -> None:
    content_type, body = _mo_photo()
    plain = mm7codec.decode(body, content_type)
    assert mm7codec.decode(body, content_type, expect=DeliverReq) == plain
    assert mm7codec.decode(body, content_type, expect=(DeliveryReportReq, DeliverReq)) == plain
    assert mm7codec.decode(body, content_type, expect=Request) == plain
    decoder = Decoder(content_type, expect=DeliverReq)
    decoder.feed(body)
    assert decoder.close() == plain


def test_expect_refuses_another_message_with_4003_naming_it() -> None:
    content_type, body = _mo_photo()
    with pytest.raises(DecodeError) as caught:
        mm7codec.decode(body, content_type, expect=(SubmitReq, DeliveryReportReq))
    error = caught.value
    assert error.status_code == 4003
    assert "DeliverReq arrived" in error.reason
    assert "SubmitReq or DeliveryReportReq" in error.reason
    plain = mm7codec.decode(body, content_type)
    # What the peer showed of itself is kept, so the Fault answers it in its own terms.
    assert error.transaction_id == plain.transaction_id
    fault = error.fault("vasp")
    assert fault.version == plain.version and fault.namespace == plain.namespace
    assert fault.status is not None and fault.status.code == 4003


def test_expect_refuses_a_fault_unless_it_is_expected() -> None:
    fault = SubmitReq(recipients=Recipients(["15551234567"])).fault(3001)
    content_type, body = mm7codec.encode(fault)
    with pytest.raises(DecodeError, match="a Fault arrived"):
        mm7codec.decode(body, content_type, expect=SubmitRsp)
    assert mm7codec.decode(body, content_type, expect=(SubmitRsp, Fault)) == fault


def test_decode_http_takes_expect() -> None:
    data = (SAMPLES / "mo-photo.http").read_bytes()
    assert isinstance(mm7codec.decode_http(data, expect=DeliverReq), DeliverReq)
    with pytest.raises(DecodeError) as caught:
        mm7codec.decode_http(data, expect=SubmitReq)
    assert caught.value.status_code == 4003


@pytest.mark.parametrize("bad", [Recipients(["15551234567"]), int, (), "DeliverReq"])
def test_expect_must_be_message_classes(bad: object) -> None:
    content_type, _ = _mo_photo()
    with pytest.raises(TypeError, match="expect="):
        Decoder(content_type, expect=bad)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "function",
    [mm7codec.decode, mm7codec.decode_http, mm7codec.split_http, Decoder.__init__, Client.send],
)
def test_public_signatures_resolve_and_name_no_private_type(function: object) -> None:
    """``typing.get_type_hints`` works on them (documentation tools call it), and every
    mm7codec class they mention is one the package exports."""
    seen: set[type] = set()

    def collect(hint: object) -> None:
        if isinstance(hint, type):
            seen.add(hint)
        for argument in typing.get_args(hint):
            collect(argument)

    for overload in [*typing.get_overloads(function), function]:  # type: ignore[arg-type]
        for hint in typing.get_type_hints(overload).values():
            collect(hint)
    exported = {id(getattr(mm7codec, name)) for name in mm7codec.__all__}
    private = [
        cls.__qualname__
        for cls in seen
        if cls.__module__.startswith("mm7codec") and id(cls) not in exported
    ]
    assert private == []


def test_split_http_reports_its_liberties_on_the_capture() -> None:
    data = (SAMPLES / "mo-photo.http").read_bytes()
    head, _, body = data.partition(b"\r\n\r\n")
    lying = head.replace(b"Content-Length: ", b"Content-Length: 1") + b"\r\n\r\n" + body
    capture = mm7codec.split_http(lying)
    assert [d.code for d in capture.deviations] == ["content-length-mismatch"]
    assert mm7codec.split_http(data).deviations == ()
    with pytest.raises(mm7codec.DeviationError, match="content-length-mismatch"):
        mm7codec.split_http(lying, strict=True)
