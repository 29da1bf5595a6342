"""One version type (``MM7Version`` is the version text) and no silent hybrids: a known
MM7Version is encoded in its own namespace unless the pairing is one a peer sent."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given, settings

import mm7codec
from mm7codec import MM7Version, SubmitReq
from mm7codec.strategies import messages

BASE = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/"


def _submit(**fields: object) -> SubmitReq:
    return SubmitReq(recipients=mm7codec.Recipients(to=["+491701234567"]), **fields)  # type: ignore[arg-type]


def test_supported_and_latest_are_one_type_that_equals_its_text() -> None:
    assert "5.3.0" in mm7codec.SUPPORTED_VERSIONS
    assert "5.2.0" not in mm7codec.SUPPORTED_VERSIONS
    assert type(mm7codec.LATEST_VERSION) is MM7Version
    assert {type(v) for v in mm7codec.SUPPORTED_VERSIONS} == {MM7Version}
    assert mm7codec.LATEST_VERSION == "6.8.0" == mm7codec.SUPPORTED_VERSIONS[-1]
    assert MM7Version(6, 5, 0) == MM7Version.parse(" 06.5.0") == MM7Version("6.5.0") == "6.5.0"
    assert MM7Version.parse("5.10.0") > "5.9.0" and MM7Version.parse("5.9.0") <= "5.10.0"
    assert {MM7Version.parse("5.3.0"): 1}["5.3.0"] == 1
    assert pickle.loads(pickle.dumps(MM7Version.parse("6.8.0"))).minor == 8
    with pytest.raises(ValueError):
        MM7Version.parse("6.8")


def test_an_mm7version_is_accepted_where_a_version_is_and_stored_as_its_text() -> None:
    message = _submit(version=MM7Version.parse("5.3.0"))
    assert type(message.version) is str and message.version == "5.3.0"
    assert message.namespace == BASE + "REL-5-MM7-1-0"
    assert message.mm7_version == MM7Version(5, 3, 0)
    assert mm7codec.decode(*reversed(mm7codec.encode(message))) == message
    error = mm7codec.DecodeError("unreadable", version=MM7Version.parse("5.3.0"))
    fault = error.fault("rs")
    assert fault.namespace == BASE + "REL-5-MM7-1-0"
    assert mm7codec.encode(fault)
    assert message.for_version(MM7Version.parse("6.8.0")).message.version == "6.8.0"
    # The default is LATEST_VERSION's text.
    assert type(_submit().version) is str and _submit().version == mm7codec.LATEST_VERSION


@pytest.mark.parametrize(("start", "moved"), [("6.8.0", "5.3.0"), ("5.3.0", "6.8.0")])
def test_replacing_the_version_is_refused_not_encoded_as_a_hybrid(start: str, moved: str) -> None:
    message = _submit(version=start)
    hybrid = dataclasses.replace(message, version=moved)
    assert hybrid.namespace == message.namespace  # replace keeps the old namespace...
    with pytest.raises(mm7codec.EncodeError) as refused:  # ...and the encoder says so
        mm7codec.encode(hybrid)
    assert refused.value.field == "version"
    assert "for_version" in str(refused.value)
    # The ways that say what they mean both encode.
    assert mm7codec.encode(message.for_version(moved).message)
    chosen = dataclasses.replace(hybrid, peer_pairing=(moved, message.namespace))
    assert mm7codec.encode(chosen)


def _odd_request() -> bytes:
    namespace = BASE + "REL-6-MM7-1-4"
    return (
        '<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<env:Header><mm7:TransactionID xmlns:mm7="{namespace}">odd-1</mm7:TransactionID>'
        f'</env:Header><env:Body><SubmitReq xmlns="{namespace}"><MM7Version>6.7.0</MM7Version>'
        "<Recipients><To><Number>+491701234567</Number></To></Recipients>"
        "</SubmitReq></env:Body></env:Envelope>"
    ).encode()


def test_replies_to_a_peers_odd_pairing_still_encode() -> None:
    request = mm7codec.decode(_odd_request(), "text/xml")
    assert (request.version, request.namespace) == ("6.7.0", BASE + "REL-6-MM7-1-4")
    assert request.peer_pairing == ("6.7.0", BASE + "REL-6-MM7-1-4")
    assert isinstance(request, SubmitReq)
    for answer in (request.reply(message_id="m-1"), request.fault(4004)):
        content_type, body = mm7codec.encode(answer)
        echoed = mm7codec.decode(body, content_type)
        assert (echoed.version, echoed.namespace) == ("6.7.0", BASE + "REL-6-MM7-1-4")
    # The request itself re-encodes as received; moving it by replace does not.
    assert mm7codec.encode(request)
    with pytest.raises(mm7codec.EncodeError):
        mm7codec.encode(dataclasses.replace(request, version="5.3.0").reply(message_id="m"))


def test_a_decode_error_fault_echoes_the_peers_odd_pairing() -> None:
    broken = _odd_request().replace(b"<Recipients>", b"<Recipients><To></To>", 1)
    broken = broken.replace(b"</SubmitReq>", b"<Priority>Urgent-ish</Priority></SubmitReq>")
    try:
        mm7codec.decode(broken, "text/xml", strict=True)
    except mm7codec.DecodeError as error:
        fault = error.fault("rs")
    else:
        pytest.fail("strict decoding accepted an unknown Priority")
    assert (fault.version, fault.namespace) == ("6.7.0", BASE + "REL-6-MM7-1-4")
    assert mm7codec.encode(fault)


@settings(max_examples=50)
@given(messages())
def test_generated_messages_carry_their_own_pairing(message: mm7codec.Message) -> None:
    own = MM7Version.parse(message.version).namespace if message.version else None
    assert own is None or own == message.namespace
