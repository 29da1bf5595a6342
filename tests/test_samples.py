"""The real peer messages in ../shared/mm7/samples: each decodes (or fails with a typed error).

The samples belong to their authors and are read from beside the project, never copied into it;
a clone without that folder skips these tests and says why.
"""

from __future__ import annotations

from typing import Any

import pytest

import mm7codec

from .conftest import SAMPLES
from .helpers import resolve, same

pytestmark = pytest.mark.skipif(
    not SAMPLES.is_dir(),
    reason=f"peer samples not found at {SAMPLES} (they live beside the project, not in it)",
)

NS = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/"

# file -> (content type to decode with, or "http" for a capture; expectations)
INSTANTCOM = (
    'multipart/related; type="text/xml"; start="</cmvt256/mm7-deliver>"; '
    'boundary="NextPart_000_0125_01C19839.7237929064"'
)
NOKIA = (
    'multipart/related; type="text/xml"; start="<CQU221G4-EG1S-00389C87>"; '
    'boundary="Nokia-mm-messageHandler-BoUnDaRy-=_-735647067"'
)

EXPECTED: dict[str, tuple[str, dict[str, Any]]] = {
    "vnesek+instantcom-mm7__fault.xml": (
        "text/xml",
        {
            "type": "Fault",
            "transaction_id": "123456",
            "version": "6.8.0",
            "fields": {
                "faultcode": "Client",
                "detail.__class__.__name__": "RSErrorRsp",
                "detail.status.code": 4002,
            },
            "deviations": ["unprefixed-faultcode"],
        },
    ),
    "vnesek+instantcom-mm7__fault_02.xml": (
        "text/xml",
        {
            "type": "Fault",
            "transaction_id": "0_1500103103727",
            "version": "5.3.0",
            "fields": {"detail.status.code": 2002, "namespace": NS + "REL-5-MM7-1-3"},
            "deviations": ["version-namespace-mismatch", "qualified-fault-children"],
        },
    ),
    "vnesek+instantcom-mm7__submit-rsp.xml": (
        "text/xml",
        {
            "type": "SubmitRsp",
            "transaction_id": "vas00001-sub",
            "version": "6.7.0",
            "fields": {
                "status.code": 1000,
                "message_id": "041502073667",
                "applic_id": "ifx.com.neon.downloadedPackage.MAFIA",
                "namespace": NS + "REL-6-MM7-6-7",
            },
            "deviations": ["padded-transaction-id", "unknown-namespace", "unknown-element"],
        },
    ),
    "vvscode+docs__sinch-mm7__deliveryreport-req.xml": (
        "text/xml",
        {
            "type": "DeliveryReportReq",
            "transaction_id": "10000001",
            "version": "6.8.0",
            "fields": {
                "message_id": "369500617770864640",
                "recipient.value": "16175550123",
                "mm_status": "Retrieved",
                "ua_capabilities.ua_prof": "Samsung Galaxy",
                "date": "2015-03-16 14:03:51.749000+00:00",
            },
            "deviations": [],
        },
    ),
    "vvscode+docs__sinch-mm7__submit-rsp-success.xml": (
        "text/xml",
        {
            "type": "SubmitRsp",
            "transaction_id": "1000001",
            "version": "6.8.0",
            "fields": {"status.code": 1000, "message_id": "369500617770864640"},
            "deviations": [],
        },
    ),
    "vvscode+docs__sinch-mm7__submit-rsp-fault.xml": (
        "text/xml",
        {
            "type": "Fault",
            "transaction_id": "1000001",
            "version": "6.8.0",
            "fields": {
                "detail.status.code": 2007,
                "detail.status.details": "Message format corrupt",
            },
            "deviations": ["qualified-fault-children"],
        },
    ),
    "vnesek+instantcom-mm7__deliver-req-post.txt": (
        "http",
        {
            "type": "DeliverReq",
            "transaction_id": "vas00324-dlvr",
            "version": "6.7.0",
            "fields": {
                "vasp_id": "TNN",
                "vas_id": "Reminder",
                "sender.kind": "RFC2822Address",
                "subject": "Weather Forecast",
                "content.body": "Los Angeles, Calif, USA ",
                "content.content_id": "forecast-location2000102-86453",
            },
            "deviations": [
                "bare-lf",
                "padded-transaction-id",
                "version-namespace-mismatch",
                "out-of-order",
                "href-fallback",
            ],
        },
    ),
    "vnesek+instantcom-mm7__deliver-req1.txt": (
        INSTANTCOM,
        {
            "type": "DeliverReq",
            "transaction_id": "vas00324-dlvr",
            "version": "6.7.0",
            "fields": {"content.body": "Los Angeles, Calif, USA ", "linked_id": "wthr8391"},
            "deviations": [
                "bare-lf",
                "padded-transaction-id",
                "version-namespace-mismatch",
                "out-of-order",
            ],
        },
    ),
    "vnesek+instantcom-mm7__deliver-req2.txt": (
        INSTANTCOM,
        {
            "type": "DeliverReq",
            "transaction_id": "vas00324-dlvr",
            "fields": {
                "content.content_type": "multipart/mixed",
                "content.content_id": "SaturnPics-01020930@news.tnn.com",
                "content.parts.0.text": "Science news, new Saturn pictures...\n",
                "content.parts.1.content_type": "image/gif",
                "content.parts.1.size": 57,
            },
            "deviations": [
                "bare-lf",
                "bare-lf",
                "empty-parameter",
                "padded-transaction-id",
                "version-namespace-mismatch",
                "out-of-order",
                "href-fallback",
            ],
        },
    ),
    "vnesek+instantcom-mm7__deliver-req3.txt": (
        NOKIA,
        {
            "type": "DeliverReq",
            "transaction_id": "4E073C7AQ479306TW26785I371H3M1HA",
            "version": "6.8.0",
            "fields": {
                "sender.value": "+3859100010010",
                "recipients.to.0.value": "88888",
                "content.params.start": "<AAAA>",
                "content.parts.0.content_id": "AAAA",
                "content.parts.1.content_location": "Bomb.gif",
                "content.parts.1.size": 4148,
                "mms_relay_server_id": "Nokia MMS Center MC5.0",
            },
            "deviations": [
                "bare-lf",
                "bare-lf",
                "address-type-suffix",
                "address-type-suffix",
                "content-text",
            ],
        },
    ),
    "vnesek+instantcom-mm7__deliver-req5.txt": (
        'multipart/related; type="text/xml"; boundary="----=_Part_15_16023213.1346680532641"',
        {
            "type": "DeliverReq",
            "transaction_id": "11398c6a2e9f00000010",
            "version": "6.8.0",
            "fields": {
                "content.content_id": "content_15",
                "content.parts.1.content_type": "image/jpeg",
                "recipients.to.0.kind": "ShortCode",
                "vasp_id": "xmmc",
            },
            "deviations": [
                "missing-start",
                "content-id-without-brackets",
                "qualified-attribute",
                "href-whitespace",
            ],
        },
    ),
    "vnesek+instantcom-mm7__PR1__deliver-req6-hw.txt": (
        NOKIA.replace(' start="<CQU221G4-EG1S-00389C87>";', ""),
        {
            "type": "DeliverReq",
            "transaction_id": "713808",
            "version": "5.2.0",
            "fields": {
                "sender.value": "13951900000",
                "recipients.cc.0.value": "13900000003",
                "recipients.bcc.0.value": "13900000002",
                "priority": "Low",
                "reply_charging_id": "333",
                "content.parts.1.size": 4148,
            },
            "deviations": [
                "missing-start",
                "bare-lf",
                "bare-lf",
                "unsupported-version",
                "unexpected-wrapper",
                "unknown-element",
                "legacy-address",
                "out-of-order",
                "unknown-element",
            ],
        },
    ),
    "vnesek+instantcom-mm7__PR1__caixin.txt": (
        'multipart/related; type="text/xml"; boundary="--NextPart_0_9094_20600"',
        {
            "type": "DeliverReq",
            "transaction_id": "1220000002841151119175558001",
            "version": "6.3.0",
            "fields": {
                "sender.value": "+8618703815655",
                "recipients.to.0.value": "10085",
                "content.parts.1.content_type": "image/jpeg",
                "content.parts.1.size": 87839,
                "content.parts.2.text": "524测试\r\n",
            },
            "deviations": [
                "missing-start",
                "content-id-without-brackets",
                "legacy-address",
                "out-of-order",
            ],
        },
    ),
    "vvscode+docs__sinch-mm7__submit-req-full-http.txt": (
        "http",
        {
            "type": "SubmitReq",
            "transaction_id": "555e29f8879be",
            "version": "6.8.0",
            "fields": {
                "vasp_id": "spUsdstW2u6GbvnMOsdseXrBa7NNLwTdKL",
                "vas_id": "61295",
                "delivery_report": True,
                "allow_adaptations": False,
                "content.params.start": "<mms.smil>",
                "content.parts.0.text": "MM7 Test Text",
                "expiry_date": "2015-05-24 18:54:48+00:00",
            },
            "deviations": [
                "content-length-mismatch",
                "bare-lf",
                "bare-lf",
                "no-namespace",
                "out-of-order",
            ],
        },
    ),
    "svinson1121+vectorcore-mmsc__submit_req.multipart": (
        "multipart/related; boundary=soap-boundary",
        {
            "type": "SubmitReq",
            "transaction_id": "txn-fixture",
            "version": "5.3.0",
            "fields": {
                "vasp_id": "vasp-001",
                "sender_address.value": "12345",
                "recipients.to.0.value": "+12025550101",
                "content.body": "hello from fixture",
            },
            # REL-5-MM7-1-0 holds SenderAddress as plain text (SCHEMA.md D16); this peer sends
            # the typed element of later namespaces, which is read and recorded.
            "deviations": [
                "missing-start",
                "missing-type",
                "bare-lf",
                "mixed-qualification",
                "not-in-version",
            ],
        },
    ),
}

# Malformed as published: must fail, with a typed error, in both modes.
MALFORMED = {"vvscode+docs__sinch-mm7__deliver-req-full-http.txt": "malformed XML"}


def _decode(name: str, content_type: str, strict: bool = False) -> mm7codec.Message:
    data = (SAMPLES / name).read_bytes()
    if content_type == "http":
        return mm7codec.decode_http(data, strict=strict)
    return mm7codec.decode(data, content_type, strict=strict)


def test_every_sample_is_covered() -> None:
    present = {p.name for p in SAMPLES.iterdir() if p.name != "SOURCES.md"}
    assert present == set(EXPECTED) | set(MALFORMED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_decodes(name: str) -> None:
    content_type, expect = EXPECTED[name]
    message = _decode(name, content_type)
    assert type(message).__name__ == expect["type"]
    assert message.transaction_id == expect["transaction_id"]
    if "version" in expect:
        assert message.version == expect["version"]
    for path, value in expect["fields"].items():
        actual = resolve(message, path)
        assert same(actual, value), f"{path}: {actual!r} != {value!r}"
    assert [d.code for d in message.deviations] == expect["deviations"]
    # Whatever we accepted we can answer: the reply or the message itself encodes. A SubmitRsp
    # requires the MessageID the relay gives the message.
    given = {"message_id": "m-1"} if isinstance(message, mm7codec.SubmitReq) else {}
    answer = message.reply(**given) if isinstance(message, mm7codec.Request) else message
    if answer.namespace == message.namespace and isinstance(message, mm7codec.Request):
        content_type_out, body = mm7codec.encode(answer)
        assert mm7codec.decode(body, content_type_out).transaction_id == message.transaction_id


@pytest.mark.parametrize("name", sorted(n for n, (_, e) in EXPECTED.items() if e["deviations"]))
def test_sample_with_quirks_is_refused_in_strict_mode(name: str) -> None:
    content_type, expect = EXPECTED[name]
    with pytest.raises(mm7codec.DeviationError) as raised:
        _decode(name, content_type, strict=True)
    assert [d.code for d in raised.value.deviations] == expect["deviations"]


@pytest.mark.parametrize("name", sorted(n for n, (ct, _) in EXPECTED.items() if ct != "http"))
def test_sample_is_invariant_under_chunking(name: str) -> None:
    content_type, _ = EXPECTED[name]
    data = (SAMPLES / name).read_bytes()
    whole = mm7codec.decode(data, content_type)
    for size in (1, 7, 64, 1000):
        decoder = mm7codec.Decoder(content_type)
        for start in range(0, len(data), size):
            decoder.feed(data[start : start + size])
        chunked = decoder.close()
        assert chunked == whole
        assert chunked.deviations == whole.deviations


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_sample_fails_with_a_typed_error(name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    with pytest.raises(mm7codec.DecodeError) as raised:
        mm7codec.decode_http(data)
    assert MALFORMED[name] in str(raised.value)
    assert raised.value.status_code == 2007
    # Strict mode refuses it too, at the first deviation it meets (the fake Content-Length).
    with pytest.raises(mm7codec.DecodeError):
        mm7codec.decode_http(data, strict=True)


def test_invented_namespace_is_refused_in_strict_mode() -> None:
    with pytest.raises(mm7codec.DeviationError) as raised:
        mm7codec.decode(
            (SAMPLES / "vnesek+instantcom-mm7__submit-rsp.xml").read_bytes(),
            "text/xml",
            strict=True,
        )
    # The padding comes first in the document; without it, the namespace is what strict refuses.
    assert raised.value.deviation.code in {"padded-transaction-id", "unknown-namespace"}
    data = (SAMPLES / "vnesek+instantcom-mm7__submit-rsp.xml").read_bytes()
    data = data.replace(b"\n\t\t\tvas00001-sub\n\t\t", b"vas00001-sub")
    with pytest.raises(mm7codec.DeviationError) as raised:
        mm7codec.decode(data, "text/xml", strict=True)
    assert raised.value.deviation.code == "unknown-namespace"
    assert raised.value.status_code == 4002
