"""The small traps a first week with the library finds, each closed: Faults without a detail,
national numbers, unchecked recipient strings, media types with parameters, timedelta dates,
wrong Python types, the clean error text, and ``Part.text``'s one error type."""

from __future__ import annotations

import codecs
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mm7codec
from mm7codec import (
    Address,
    AddressError,
    DecodeError,
    DeliverReq,
    Duration,
    EncodeError,
    Fault,
    Part,
    Recipients,
    ReplyCharging,
    SubmitReq,
    UACapabilities,
    normalize_number,
)
from mm7codec._spec import SPEC

# -- a decoded Fault without <detail> ----------------------------------------------------------


def _newest_version_per_namespace() -> dict[str, str]:
    newest: dict[str, mm7codec.MM7Version] = {}
    for text, index in SPEC.versions:
        version = mm7codec.MM7Version.parse(text)
        namespace = SPEC.namespaces[index]
        newest[namespace] = max(newest.get(namespace, version), version)
    return {namespace: str(version) for namespace, version in newest.items()}


@pytest.mark.parametrize("version", sorted(set(_newest_version_per_namespace().values())))
def test_a_fault_without_detail_has_a_usable_version_and_round_trips(version: str) -> None:
    fault = Fault(faultcode="Client", faultstring="refused", version=version)
    content_type, body = mm7codec.encode(fault)
    assert b"detail" not in body
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert decoded == fault
    assert str(decoded.mm7_version) == version
    echo_type, echo = mm7codec.encode(decoded)  # it can be echoed
    assert mm7codec.decode(echo, echo_type, strict=True) == fault


@pytest.mark.parametrize(("text", "index"), SPEC.versions)
def test_any_fault_without_detail_keeps_its_namespace(text: str, index: int) -> None:
    content_type, body = mm7codec.encode(Fault(faultstring="no", version=text))
    decoded = mm7codec.decode(body, content_type)
    assert decoded.namespace == SPEC.namespaces[index]
    assert decoded.mm7_version.namespace == SPEC.namespaces[index]


def test_a_fault_in_an_unknown_namespace_gets_the_newest_version() -> None:
    fault = Fault(faultstring="no", namespace="urn:example:mm7")
    content_type, body = mm7codec.encode(fault)
    decoded = mm7codec.decode(body, content_type)
    assert decoded.version == mm7codec.LATEST_VERSION
    assert decoded.namespace == "urn:example:mm7"


# -- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["07700 900123", "+0123 456 789", "00 0123 456 789", "0 15553199144"]
)
def test_national_and_zero_country_numbers_are_refused(text: str) -> None:
    with pytest.raises(AddressError, match="starts with 0"):
        normalize_number(text)


def test_plus_gives_e164_with_a_plus() -> None:
    assert normalize_number("+1 (555) 319-9144", plus=True) == "+15553199144"
    assert normalize_number("0044 7700 900123", plus=True) == "+447700900123"
    assert normalize_number("0044 7700 900123") == "447700900123"


@given(st.from_regex(r"[1-9][0-9]{6,14}", fullmatch=True), st.booleans())
def test_normalize_is_idempotent_for_valid_numbers(digits: str, plus: bool) -> None:
    once = normalize_number(digits, plus=plus)
    assert normalize_number(once, plus=plus) == once
    assert once.lstrip("+") == digits


def test_recipient_strings_are_checked_and_normalised() -> None:
    recipients = Recipients(["+1 555 319 9144"], cc="0044 7700 900123")
    assert recipients.to == (Address("15553199144"),)
    assert recipients.cc == (Address("447700900123"),)
    for bad in ("07700 900123", "12345", "not a number", ""):
        with pytest.raises(AddressError):
            Recipients([bad])
        with pytest.raises(AddressError):
            Recipients.of_groups([("Bcc", [bad])])
    # An Address is sent exactly as written: the deliberate way to send anything else.
    assert Recipients([Address("07700 900123")]).to == (Address("07700 900123"),)
    with pytest.raises(TypeError, match="int"):
        Recipients([15553199144])  # type: ignore[list-item]


# -- parts -------------------------------------------------------------------------------------


def test_from_bytes_takes_parameters_in_the_media_type_and_keeps_them() -> None:
    part = Part.from_bytes(
        b"hi", "Text/Plain; charset=utf-8; format=flowed", params={"x": "1"}, content_id="t"
    )
    assert part.content_type == "text/plain"
    assert dict(part.params) == {"charset": "utf-8", "format": "flowed", "x": "1"}
    assert part.text == "hi"
    content_type, body = mm7codec.encode(
        SubmitReq(recipients=Recipients(["15553199144"]), content=part)
    )
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert isinstance(decoded, SubmitReq) and decoded.content == part
    overridden = Part.from_bytes(b"hi", "text/plain; charset=latin-1", params={"charset": "utf-8"})
    assert overridden.params == {"charset": "utf-8"}


def test_a_multipart_checks_its_media_type_and_leaves_out_a_boundary() -> None:
    """The encoder writes a new boundary in every message: one kept in ``params`` would make
    a part that does not come back equal."""
    leaf = Part.from_bytes(b"hi", "text/plain")
    both = Part.multipart([leaf], "Mixed", params={"boundary": "x", "type": "text/plain"})
    assert (both.content_type, dict(both.params)) == ("multipart/mixed", {"type": "text/plain"})
    for bad in ("", "mixed/x", "mi xed"):
        with pytest.raises(EncodeError, match="type/subtype"):
            Part.multipart([leaf], bad)
    assert Part.multipart([leaf], transfer_encoding="8bit").transfer_encoding == "8bit"


@pytest.mark.parametrize("bad", ["text", "text/plain;", "te xt/plain", "text/plain; charset", ""])
def test_a_malformed_media_type_is_refused_when_the_part_is_made(bad: str) -> None:
    with pytest.raises(EncodeError):
        Part.from_bytes(b"x", bad)


_CHARSETS = st.one_of(
    st.sampled_from(
        ["utf-8", "idna", "punycode", "base64", "rot13", "utf-7", "x-nonsense", "utf-8\x00", ""]
    ),
    st.text(max_size=12),
)


@given(st.binary(max_size=40), _CHARSETS)
def test_part_text_gives_text_or_one_decode_error(data: bytes, charset: str) -> None:
    part = Part.from_bytes(data, "text/plain", params={"charset": charset} if charset else None)
    try:
        text = part.text
    except DecodeError as error:
        assert repr(charset) in error.reason
    else:
        assert isinstance(text, str)
        codecs.lookup(charset or "us-ascii")  # only a known charset gave text


def test_part_text_names_an_unknown_charset() -> None:
    part = Part.from_bytes(b"abc", "text/plain", params={"charset": "x-nonsense"})
    with pytest.raises(DecodeError, match="x-nonsense"):
        _ = part.text
    assert part.body == b"abc"


# -- dates and Python types --------------------------------------------------------------------


def test_timedelta_is_accepted_wherever_a_relative_date_is() -> None:
    submit = SubmitReq(
        recipients=Recipients(["15553199144"]),
        expiry_date=timedelta(days=1),
        earliest_delivery_time=timedelta(hours=36, microseconds=5),
        reply_charging=ReplyCharging(deadline=timedelta(minutes=90)),
    )
    assert submit.expiry_date == Duration(days=1)
    assert submit.earliest_delivery_time == Duration(days=1, hours=12, seconds=Decimal("0.000005"))
    assert submit.reply_charging is not None
    assert submit.reply_charging.deadline == Duration(hours=1, minutes=30)
    content_type, body = mm7codec.encode(submit)
    assert b">P1D<" in body
    assert mm7codec.decode(body, content_type, strict=True) == submit
    assert UACapabilities(time_stamp=-timedelta(seconds=3)).time_stamp == Duration(
        seconds=Decimal(3), negative=True
    )


@given(st.timedeltas())
def test_from_timedelta_is_exact(delta: timedelta) -> None:
    assert Duration.from_timedelta(delta).to_timedelta() == delta


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"subject": 5}, "SubmitReq.subject"),
        ({"expiry_date": "P1D"}, "SubmitReq.expiry_date"),
        ({"delivery_report": 1}, "SubmitReq.delivery_report"),
        ({"sender_address": "15553199144"}, "SubmitReq.sender_address"),
        ({"content": b"hello"}, "SubmitReq.content"),
        ({"delivery_condition": (1, "2")}, "SubmitReq.delivery_condition"),
        ({"time_stamp": 0}, "SubmitReq.time_stamp"),
        ({"transaction_id": None}, "SubmitReq.transaction_id"),
    ],
)
def test_a_wrong_python_type_is_a_type_error_naming_the_field(
    fields: dict[str, object], named: str
) -> None:
    with pytest.raises(TypeError, match=re.escape(named)):
        SubmitReq(recipients=Recipients(["15553199144"]), **fields)  # type: ignore[arg-type]


def test_lists_are_taken_where_tuples_are_kept() -> None:
    submit = SubmitReq(
        recipients=Recipients(["15553199144"]),
        delivery_condition=[1, 2],  # type: ignore[arg-type]
        time_stamp=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert submit.delivery_condition == (1, 2)
    with pytest.raises(TypeError, match=r"DeliverReq\.sender"):
        DeliverReq(sender=None)  # type: ignore[arg-type]


# -- the clean error text ----------------------------------------------------------------------


def test_error_reason_is_the_clean_text_and_str_adds_the_status() -> None:
    with pytest.raises(DecodeError) as caught:
        mm7codec.decode(b"<not-soap/>", "text/xml")
    error = caught.value
    assert str(error).startswith(error.reason)
    assert str(error).endswith(f"[MM7 status {error.status_code}]")
    assert "MM7 status" not in error.reason
    fault = error.fault("rs")
    assert fault.status is not None and fault.status.details == error.reason


# -- what the encoder writes that a strict decoder flags ---------------------------------------


def test_a_reply_echoes_the_peers_odd_version_and_namespace_and_says_so_when_decoded() -> None:
    """The encoder adds no deviation of its own, but a reply echoes what the peer used, so a
    strict reader of the reply sees the peer's oddities again: by design."""
    odd = SubmitReq(
        recipients=Recipients(["15553199144"]), version="6.9.0", namespace=SPEC.namespaces[-1]
    )
    content_type, body = mm7codec.encode(odd)
    request = mm7codec.decode(body, content_type, expect=SubmitReq)
    # Lenient decoding read the odd request and said what it took.
    assert [d.code for d in request.deviations] == ["unsupported-version"]
    reply = request.reply(message_id="m-1")
    assert (reply.version, reply.namespace) == ("6.9.0", SPEC.namespaces[-1])
    reply_type, reply_body = mm7codec.encode(reply)
    echoed = mm7codec.decode(reply_body, reply_type)
    assert {d.code for d in echoed.deviations} == {d.code for d in request.deviations}
    with pytest.raises(mm7codec.DeviationError):
        mm7codec.decode(reply_body, reply_type, strict=True)
    plain = SubmitReq(recipients=Recipients(["15553199144"])).reply(message_id="m-2")
    plain_type, plain_body = mm7codec.encode(plain)
    assert mm7codec.decode(plain_body, plain_type, strict=True).deviations == ()


@pytest.mark.parametrize("charset", ["punycode", "idna", "base64", "rot13", "undefined"])
def test_part_text_refuses_codecs_that_are_no_charset(charset: str) -> None:
    part = mm7codec.Part.from_bytes(b"x-" + b"a" * 50_000, f"text/plain; charset={charset}")
    with pytest.raises(mm7codec.DecodeError, match=charset):
        part.text  # noqa: B018 - the property is what is tested
