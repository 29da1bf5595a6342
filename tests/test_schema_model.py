"""The model follows the MM7 schema structures: Recipients as a repeated To/Cc/Bcc choice, Status
as an xs:all with a required StatusText, the StatusCode-only Status, the per-namespace
differences of Release 5 (SenderAddress as text, DistributionProtection, no DeliverRsp
ServiceCode), xs:ID address ids, positive integers, and the corrected enumerations."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings

import mm7codec
from mm7codec import (
    Address,
    DeliverReq,
    DeliverRsp,
    DeliveryReportReq,
    Duration,
    EncodeError,
    ReadReplyReq,
    Recipients,
    ReplyCharging,
    Status,
    SubmitReq,
    SubmitRsp,
    UACapabilities,
    extendedCancelReq,
    extendedCancelRsp,
    extendedReplaceReq,
    extendedReplaceRsp,
)
from mm7codec.strategies import messages

NS = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/"
REL6 = NS + "REL-6-MM7-1-4"
ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>'
    '<mm7:TransactionID xmlns:mm7="{ns}" env:mustUnderstand="1">t-1</mm7:TransactionID>'
    '</env:Header><env:Body><{name} xmlns="{ns}"><MM7Version>{version}</MM7Version>{inner}'
    "</{name}></env:Body></env:Envelope>"
)
SENDER_ID = "<SenderIdentification><VASPID>sp</VASPID></SenderIdentification>"
RECIPIENT = "<Recipients><To><Number>15551230000</Number></To></Recipients>"


def envelope(name: str, inner: str, version: str = "6.8.0", tail: str = "REL-6-MM7-1-4") -> bytes:
    return ENVELOPE.format(name=name, inner=inner, version=version, ns=NS + tail).encode()


def decode(data: bytes, strict: bool = False) -> Any:
    return mm7codec.decode(data, "text/xml", strict=strict)


def codes(message: mm7codec.Message) -> list[str]:
    return [d.code for d in message.deviations]


def soap(message: mm7codec.Message) -> str:
    content_type, body = mm7codec.encode(message)
    assert content_type.startswith("text/xml")
    return body.decode()


# -- Recipients: a repeated choice of To, Cc and Bcc ---------------------------------------------


def test_recipients_in_any_order_and_repeated_decode_without_deviation() -> None:
    inner = (
        SENDER_ID + "<Recipients><Cc><Number>15550000001</Number></Cc>"
        "<To><Number>15550000002</Number><ShortCode>1234</ShortCode></To>"
        "<To><RFC2822Address>a@b.example</RFC2822Address></To></Recipients>"
    )
    message = decode(envelope("SubmitReq", inner), strict=True)
    recipients = message.recipients
    assert codes(message) == []
    assert [kind for kind, _ in recipients.groups] == ["Cc", "To", "To"]
    assert [a.value for a in recipients.to] == ["15550000002", "1234", "a@b.example"]
    assert [a.value for a in recipients.cc] == ["15550000001"]
    assert recipients.bcc == ()
    # Iteration keeps its documented order: every To, then Cc, then Bcc.
    assert [a.value for a in recipients] == ["15550000002", "1234", "a@b.example", "15550000001"]
    # Re-encoding keeps the groups as they came.
    assert "<Recipients><Cc><Number>15550000001</Number></Cc><To><Number>" in soap(message)
    assert mm7codec.encode(message) == mm7codec.encode(decode(mm7codec.encode(message)[1]))


def test_recipients_keyword_form_still_builds_one_group_per_kind() -> None:
    recipients = Recipients(to=["15550000001", "15550000002"], bcc=[Address("42", "ShortCode")])
    assert recipients.groups == (
        ("To", (Address("15550000001"), Address("15550000002"))),
        ("Bcc", (Address("42", "ShortCode"),)),
    )
    assert recipients.to == (Address("15550000001"), Address("15550000002"))
    assert recipients.cc == ()
    assert list(recipients) == [*recipients.to, *recipients.bcc]
    assert recipients == Recipients.of_groups(
        [("To", ["15550000001", "15550000002"]), ("Bcc", [Address("42", "ShortCode")])]
    )
    assert not Recipients() and Recipients(cc=["15550000001"])
    # A single string is one address, not a list of characters.
    assert Recipients(to="15550000001").to == (Address("15550000001"),)


def test_recipient_groups_need_a_kind_and_an_address() -> None:
    with pytest.raises(ValueError, match="at least one address"):
        Recipients.of_groups([("To", [])])
    with pytest.raises(ValueError, match="To, Cc or Bcc"):
        Recipients.of_groups([("From", ["1555"])])  # type: ignore[list-item]


def test_empty_recipient_group_is_recorded() -> None:
    inner = SENDER_ID + "<Recipients><To/><Cc><Number>15550000001</Number></Cc></Recipients>"
    message = decode(envelope("SubmitReq", inner))
    assert codes(message) == ["empty-recipient-group"]
    assert message.recipients.groups == (("Cc", (Address("15550000001"),)),)


# -- Status: xs:all, StatusText required; the StatusCode-only Status -------------------------------


def test_status_children_in_any_order_decode_without_deviation() -> None:
    inner = (
        "<Status><Details>d</Details><StatusText>Fine</StatusText><StatusCode>1000</StatusCode>"
        "</Status><MessageID>m</MessageID>"
    )
    message = decode(envelope("SubmitRsp", inner), strict=True)
    assert message.status == Status(1000, "Fine", "d")
    assert codes(message) == []


def test_encoder_writes_the_standard_status_text_when_none_is_given() -> None:
    body = soap(SubmitRsp(status=Status(2005), message_id="m"))
    assert "<Status><StatusCode>2005</StatusCode><StatusText>Message ID Not found</StatusText>" in (
        body
    )
    vendor = soap(SubmitRsp(status=Status(2531), message_id="m"))
    assert "<StatusCode>2531</StatusCode><StatusText>Client error</StatusText>" in vendor


def test_missing_status_text_is_recorded_and_strict_refuses_it() -> None:
    data = envelope(
        "SubmitRsp", "<Status><StatusCode>1000</StatusCode></Status><MessageID>m</MessageID>"
    )
    message = decode(data)
    assert codes(message) == ["missing-element"]
    assert message.status == Status(1000)
    with pytest.raises(mm7codec.DeviationError):
        decode(data, strict=True)


@pytest.mark.parametrize(
    "response",
    [
        extendedCancelRsp(status=Status(1000, "Success")),
        extendedCancelRsp(status=Status(1000, details="why")),
        extendedReplaceRsp(message_id="m", status=Status(2000, "Client error")),
    ],
)
def test_status_code_only_refuses_text_and_details(response: mm7codec.Response) -> None:
    with pytest.raises(EncodeError, match="StatusCode only"):
        mm7codec.encode(response)


def test_status_code_only_responses_encode_the_code_alone() -> None:
    request = extendedCancelReq(cancel_id="c-1", vasp_id="sp")
    reply = request.reply(2005)
    assert reply.status == Status(2005)
    assert "<Status><StatusCode>2005</StatusCode></Status>" in soap(reply)
    assert "<Status><StatusCode>1000</StatusCode></Status>" in soap(extendedCancelRsp())
    replace = extendedReplaceReq(replace_id="r-1").reply(message_id="m-2")
    assert "<MessageID>m-2</MessageID><Status><StatusCode>1000</StatusCode></Status>" in soap(
        replace
    )


def test_text_in_a_status_code_only_status_is_kept_and_recorded() -> None:
    inner = "<Status><StatusCode>1000</StatusCode><StatusText>ok</StatusText></Status>"
    message = decode(envelope("extendedCancelRsp", inner))
    assert codes(message) == ["status-code-only"]
    assert message.status == Status(1000, "ok")


# -- required MessageID --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        SubmitRsp(),
        extendedReplaceRsp(),
        SubmitReq(recipients=Recipients(to=["15550001555"])).reply(),
    ],
)
def test_message_id_is_required_when_encoding(response: mm7codec.Response) -> None:
    with pytest.raises(EncodeError, match="message_id"):
        mm7codec.encode(response)


@pytest.mark.parametrize(
    ("name", "inner"),
    [
        ("SubmitRsp", "<Status><StatusCode>2000</StatusCode><StatusText>x</StatusText></Status>"),
        ("extendedReplaceRsp", "<Status><StatusCode>2000</StatusCode></Status>"),
    ],
)
def test_missing_message_id_is_recorded_on_decode(name: str, inner: str) -> None:
    message = decode(envelope(name, inner))
    assert message.message_id is None
    assert codes(message) == ["missing-element"]
    with pytest.raises(mm7codec.DeviationError):
        decode(envelope(name, inner), strict=True)


# -- extendedReplaceReq, extendedCancelReq -------------------------------------------------------


def test_extended_replace_req_has_vaspid_and_vasid_directly() -> None:
    message = extendedReplaceReq(
        vasp_id="sp", vas_id="svc", service_code="sc", replace_id="r", delivery_report=True
    )
    assert (
        "<MM7Version>6.8.0</MM7Version><VASPID>sp</VASPID><VASID>svc</VASID>"
        "<ServiceCode>sc</ServiceCode><ReplaceID>r</ReplaceID><DeliveryReport>true</DeliveryReport>"
    ) in soap(message)
    fields = {f.name for f in dataclasses.fields(extendedReplaceReq)}
    assert "sender_address" not in fields and "distribution_indicator" not in fields
    assert "applic_id" not in {f.name for f in dataclasses.fields(extendedCancelReq)}
    # ReplaceID is optional.
    assert "<ReplaceID>" not in soap(extendedReplaceReq())


def test_sender_identification_in_extended_replace_req_is_read_and_recorded() -> None:
    inner = SENDER_ID + "<ReplaceID>r</ReplaceID>"
    message = decode(envelope("extendedReplaceReq", inner))
    assert message.vasp_id == "sp" and message.replace_id == "r"
    assert codes(message) == ["unexpected-wrapper"]


# -- enumerations --------------------------------------------------------------------------------

REPORT = {
    "message_id": "m",
    "recipient": Address("15550000001"),
    "sender": Address("1234", "ShortCode"),
}
STAMP = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_read_reply_status_is_its_own_enumeration() -> None:
    for value in ("Indeterminate", "Read", "Deleted"):
        assert f"<MMStatus>{value}</MMStatus>" in soap(
            ReadReplyReq(**REPORT, time_stamp=STAMP, mm_status=value)
        )
    with pytest.raises(EncodeError, match="ReadStatus"):
        mm7codec.encode(ReadReplyReq(**REPORT, time_stamp=STAMP, mm_status="Retrieved"))
    for value in ("Read", "Deleted", "Unreachable"):
        with pytest.raises(EncodeError, match="MMStatus"):
            mm7codec.encode(DeliveryReportReq(**REPORT, date=STAMP, mm_status=value))
    assert "DeliveryConditionNotMet" in soap(
        DeliveryReportReq(**REPORT, date=STAMP, mm_status="DeliveryConditionNotMet")
    )


def test_delivery_status_outside_the_enumeration_is_kept_and_recorded() -> None:
    inner = (
        "<MessageID>m</MessageID><Recipient><Number>15550000001</Number></Recipient>"
        "<Sender><ShortCode>1234</ShortCode></Sender><Date>2026-01-02T03:04:05Z</Date>"
        "<MMStatus>Read</MMStatus><MMStatusExtension>Bounced</MMStatusExtension>"
    )
    message = decode(envelope("DeliveryReportReq", inner))
    assert (message.mm_status, message.mm_status_extension) == ("Read", "Bounced")
    assert codes(message) == ["unknown-enum-value", "unknown-enum-value"]


def test_mm_status_extension_is_an_enumeration() -> None:
    ok = DeliveryReportReq(
        **REPORT, date=STAMP, mm_status="Rejected", mm_status_extension="RejectionByOtherRS"
    )
    assert "<MMStatusExtension>RejectionByOtherRS</MMStatusExtension>" in soap(ok)
    with pytest.raises(EncodeError, match="MMStatusExtension"):
        mm7codec.encode(dataclasses.replace(ok, mm_status_extension="Spam"))


# -- address id: xs:ID ---------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["", "1abc", "a b", "a:b", "-x", "x\u00a0"])
def test_address_id_must_be_an_ncname(identifier: str) -> None:
    message = SubmitReq(recipients=Recipients(to=[Address("15550000001", id=identifier)]))
    with pytest.raises(EncodeError, match="NCName"):
        mm7codec.encode(message)


def test_address_id_must_be_unique_within_the_message() -> None:
    message = DeliverReq(
        sender=Address("15550000001", id="a1"),
        recipients=Recipients(
            to=[Address("15550000002", id="a2"), Address("1234", "ShortCode", id="a1")]
        ),
    )
    with pytest.raises(EncodeError, match="used twice"):
        mm7codec.encode(message)
    fine = dataclasses.replace(message, sender=Address("15550000001", id="_a.1-\u00e9"))
    assert 'id="_a.1-\u00e9"' in soap(fine)


def test_bad_and_repeated_address_ids_are_kept_and_recorded() -> None:
    inner = (
        '<Sender><Number id="9x">15550000001</Number></Sender>'
        '<Recipients><To><Number id="r">15550000002</Number><Number id="r">15550000003</Number>'
        "</To></Recipients>"
    )
    message = decode(envelope("DeliverReq", inner))
    assert codes(message) == ["invalid-id", "duplicate-id"]
    assert message.sender.id == "9x" and [a.id for a in message.recipients.to] == ["r", "r"]


# -- positive integers, relative-or-absolute dates -----------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [{"delivery_condition": (1, 0)}, {"reply_charging": ReplyCharging(size=0)}],
)
def test_zero_is_not_a_positive_integer(fields: dict[str, Any]) -> None:
    message = SubmitReq(recipients=Recipients(to=["15550000001"]), **fields)
    with pytest.raises(EncodeError, match="positive"):
        mm7codec.encode(message)


def test_zero_where_a_positive_integer_belongs_is_kept_and_recorded() -> None:
    inner = (
        SENDER_ID + RECIPIENT + '<ReplyCharging replyChargingSize="0"/>'
        "<DeliveryCondition><DC>0</DC></DeliveryCondition>"
    )
    message = decode(envelope("SubmitReq", inner))
    assert codes(message) == ["not-positive", "not-positive"]
    assert message.reply_charging.size == 0 and message.delivery_condition == (0,)


def test_capability_time_stamp_and_previously_sent_dates_may_be_durations() -> None:
    message = DeliverReq(
        sender=Address("15550000001"),
        previouslysentdateandtime=(Duration(days=1), STAMP),
        ua_capabilities=UACapabilities("http://p.example/ua.xml", Duration(hours=2)),
    )
    body = soap(message)
    assert '<DateTime sequence="1">P1D</DateTime>' in body
    assert 'TimeStamp="PT2H"' in body
    assert decode(body.encode(), strict=True) == message


# -- Release 5 namespaces: D16, D17, D18 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "tail"), [("5.3.0", "REL-5-MM7-1-0"), ("5.4.0", "REL-5-MM7-1-1")]
)
def test_sender_address_is_plain_text_in_rel5_1_0_and_1_1(version: str, tail: str) -> None:
    message = SubmitReq(
        version=version,
        sender_address=Address("15550000009"),
        recipients=Recipients(to=["15550000001"]),
    )
    assert message.namespace == NS + tail
    body = soap(message)
    assert "<SenderAddress>15550000009</SenderAddress>" in body
    assert decode(body.encode(), strict=True) == message
    for kind, value in (("ShortCode", "4321"), ("RFC2822Address", "vasp@sp.example")):
        typed = dataclasses.replace(message, sender_address=Address(value, kind))  # type: ignore[arg-type]
        assert decode(mm7codec.encode(typed)[1], strict=True) == typed
    with pytest.raises(EncodeError, match="plain text"):
        mm7codec.encode(
            dataclasses.replace(message, sender_address=Address("15550000009", display_only=True))
        )


def test_typed_sender_address_in_rel5_1_0_is_read_and_recorded() -> None:
    inner = (
        "<SenderIdentification><SenderAddress><Number>15550000009</Number></SenderAddress>"
        "</SenderIdentification>" + RECIPIENT
    )
    message = decode(envelope("SubmitReq", inner, "5.3.0", "REL-5-MM7-1-0"))
    assert message.sender_address == Address("15550000009")
    assert codes(message) == ["not-in-version"]


def test_sender_address_is_typed_from_rel5_1_2_on() -> None:
    message = SubmitReq(
        version="5.5.0",
        sender_address=Address("15550000009"),
        recipients=Recipients(to=["15550000001"]),
    )
    assert "<SenderAddress><Number>15550000009</Number></SenderAddress>" in soap(message)
    inner = (
        "<SenderIdentification><SenderAddress>15550000009</SenderAddress></SenderIdentification>"
    )
    bare = decode(envelope("SubmitReq", inner + RECIPIENT, "5.5.0", "REL-5-MM7-1-2"))
    assert codes(bare) == ["legacy-address"]


def test_distribution_indicator_is_distribution_protection_in_rel5_1_0() -> None:
    old = SubmitReq(
        version="5.3.0", recipients=Recipients(to=["15550000001"]), distribution_indicator=False
    )
    body = soap(old)
    assert "<DistributionProtection>false</DistributionProtection>" in body
    assert "DistributionIndicator" not in body
    assert decode(body.encode(), strict=True) == old
    new = dataclasses.replace(old, version="6.8.0", namespace=REL6)
    assert "<DistributionIndicator>false</DistributionIndicator>" in soap(new)
    # The other name in either namespace is read, and recorded.
    inner = SENDER_ID + RECIPIENT + "<DistributionIndicator>true</DistributionIndicator>"
    message = decode(envelope("SubmitReq", inner, "5.3.0", "REL-5-MM7-1-0"))
    assert message.distribution_indicator is True
    assert codes(message) == ["not-in-version"]
    inner = SENDER_ID + RECIPIENT + "<DistributionProtection>true</DistributionProtection>"
    message = decode(envelope("SubmitReq", inner))
    assert message.distribution_indicator is True
    assert codes(message) == ["not-in-version"]


def test_deliver_rsp_has_no_service_code_in_rel5_1_0() -> None:
    with pytest.raises(EncodeError, match="not in the schema"):
        mm7codec.encode(DeliverRsp(version="5.3.0", service_code="sc"))
    assert "<ServiceCode>sc</ServiceCode>" in soap(DeliverRsp(version="5.4.0", service_code="sc"))
    inner = "<Status><StatusCode>1000</StatusCode><StatusText>ok</StatusText></Status>"
    message = decode(
        envelope("DeliverRsp", inner + "<ServiceCode>sc</ServiceCode>", "5.3.0", "REL-5-MM7-1-0")
    )
    assert message.service_code == "sc"
    assert codes(message) == ["not-in-version"]


def test_submit_rsp_applic_fields_end_before_rel6_1_4() -> None:
    with pytest.raises(EncodeError, match="not in the schema"):
        mm7codec.encode(SubmitRsp(message_id="m", applic_id="app"))
    assert "<ApplicID>app</ApplicID>" in soap(
        SubmitRsp(version="6.6.0", message_id="m", applic_id="app")
    )


# -- the strategies generate schema-valid values -------------------------------------------------


def _addresses(message: mm7codec.Message) -> list[Address]:
    found: list[Address] = []
    for field in dataclasses.fields(message):
        value = getattr(message, field.name)
        if isinstance(value, Address):
            found.append(value)
        elif isinstance(value, Recipients):
            found.extend(value)
        elif isinstance(value, tuple):
            found.extend(item for item in value if isinstance(item, Address))
    return found


@settings(max_examples=150)
@given(messages("6.8.0", content=False))
def test_generated_ids_are_unique_ncnames_and_integers_positive(message: mm7codec.Message) -> None:
    ids = [a.id for a in _addresses(message) if a.id is not None]
    assert len(ids) == len(set(ids))
    assert all(mm7codec._values.is_ncname(i) for i in ids)
    assert 0 not in (getattr(message, "delivery_condition", None) or ())
    charging = getattr(message, "reply_charging", None)
    assert charging is None or charging.size is None or charging.size > 0
    if isinstance(message, mm7codec.Response) and not message.status_code_only:
        assert message.status.text is not None
