"""Enumerated fields are ``Literal`` types (with ``UnknownValue`` for what a peer sends outside
them), ``reply()`` takes exactly its response's fields, and ``Number`` values are checked."""

from __future__ import annotations

import dataclasses
import pickle
import re
import typing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mm7codec
from mm7codec import (
    MESSAGE_TYPES,
    Address,
    AddressError,
    DeliveryReportReq,
    DeviationError,
    EncodeError,
    Recipients,
    Request,
    Response,
    SubmitReq,
    UnknownValue,
)
from mm7codec._spec import SPEC

from .typecheck import assert_mypy_catches

# -- Literal aliases --------------------------------------------------------------------------


def test_every_spec_enumeration_has_an_alias_listing_exactly_its_values() -> None:
    for name, values in SPEC.enums.items():
        alias = getattr(mm7codec, name)
        assert typing.get_origin(alias) is typing.Literal, name
        assert typing.get_args(alias) == tuple(value for value, _ in values), name


def _enum_of(hint: object) -> str | None:
    """The spec enumeration a field annotation names, found by its Literal's values."""
    for member in typing.get_args(hint):
        if typing.get_origin(member) is typing.Literal:
            values = typing.get_args(member)
            return next(
                n for n, table in SPEC.enums.items() if values == tuple(v for v, _ in table)
            )
    return None


def test_every_enumerated_field_is_typed_with_its_alias_unknown_value_and_none_if_optional() -> (
    None
):
    for name, spec in SPEC.messages.items():
        hints = typing.get_type_hints(MESSAGE_TYPES[name])
        for element in spec.elements:
            for member in element.members:
                if not member.type.startswith("enum:"):
                    continue
                hint = hints[member.field]
                assert _enum_of(hint) == member.type.removeprefix("enum:"), (name, member.field)
                assert UnknownValue in typing.get_args(hint)
                assert (type(None) in typing.get_args(hint)) == (not member.required)
    coding = typing.get_type_hints(Address)["address_coding"]
    assert _enum_of(coding) == "AddressCoding" and UnknownValue in typing.get_args(coding)


def test_building_a_message_still_takes_any_str_and_the_encoder_judges_it() -> None:
    text: str = "Urgent"  # what a program reading its own config has: a plain str
    message = SubmitReq(recipients=Recipients(["15551234567"]), priority=text)  # type: ignore[arg-type]
    with pytest.raises(EncodeError) as raised:
        mm7codec.encode(message)
    assert raised.value.field == "priority"
    with pytest.raises(TypeError, match=r"priority takes Literal\['High', 'Normal', 'Low'\]"):
        SubmitReq(recipients=Recipients(["15551234567"]), priority=1)  # type: ignore[arg-type]


# -- UnknownValue -----------------------------------------------------------------------------


def test_unknown_value_is_its_text_and_says_what_it_is() -> None:
    value = UnknownValue("NotSupported")
    assert value == "NotSupported" and hash(value) == hash("NotSupported")
    assert isinstance(value, str) and repr(value) == "UnknownValue('NotSupported')"
    assert type(pickle.loads(pickle.dumps(value))) is UnknownValue


def _report(mm_status: str) -> tuple[str, bytes]:
    """A DeliveryReportReq on the wire with this MMStatus text."""
    report = DeliveryReportReq(
        message_id="m-1",
        recipient=Address("15553199144"),
        sender=Address("12345", "ShortCode"),
        date=datetime(2026, 1, 1, tzinfo=UTC),
        mm_status="Retrieved",
    )
    content_type, body = mm7codec.encode(report)
    wanted = f"<MMStatus>{mm_status}</MMStatus>".encode()
    return content_type, body.replace(b"<MMStatus>Retrieved</MMStatus>", wanted)


@given(st.sampled_from(typing.get_args(mm7codec.MMStatus)))
def test_a_known_value_decodes_as_a_plain_str(status: str) -> None:
    message = mm7codec.decode(*reversed(_report(status)), expect=DeliveryReportReq)
    assert message.mm_status == status and type(message.mm_status) is str


@given(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
def test_a_value_outside_the_enumeration_decodes_as_unknown_value_beside_its_deviation(
    status: str,
) -> None:
    content_type, body = _report(status)
    message = mm7codec.decode(body, content_type, expect=DeliveryReportReq)
    if status in typing.get_args(mm7codec.MMStatus):
        assert type(message.mm_status) is str
        return
    assert type(message.mm_status) is UnknownValue and message.mm_status == status
    assert [d.code for d in message.deviations] == ["unknown-enum-value"]
    with pytest.raises(DeviationError):
        mm7codec.decode(body, content_type, strict=True)
    with pytest.raises(EncodeError) as raised:  # the encoder refuses it like any unknown value
        mm7codec.encode(message)
    assert raised.value.field == "mm_status"


# -- reply() keyword arguments ----------------------------------------------------------------


def _fields_typed_dict(request: type[Request]) -> type:
    """The TypedDict that the ``reply`` overload for ``request`` unpacks into keywords."""
    for overload in typing.get_overloads(Request.reply):
        hints = typing.get_type_hints(overload)
        if hints["self"] is request:
            [unpacked] = typing.get_args(hints["fields"])
            return typing.cast(type, unpacked)
    raise AssertionError(f"no reply overload for {request.__name__}")


@pytest.mark.parametrize(
    "request_type",
    [cls for cls in MESSAGE_TYPES.values() if issubclass(cls, Request)],
    ids=lambda cls: cls.__name__,
)
def test_reply_keywords_are_exactly_the_response_fields_with_their_types(
    request_type: type[Request],
) -> None:
    response = request_type.response_type
    inherited = {f.name for f in dataclasses.fields(Response)}
    own = {
        f.name: typing.get_type_hints(response)[f.name]
        for f in dataclasses.fields(response)
        if f.name not in inherited
    }
    fields = _fields_typed_dict(request_type)
    assert typing.get_type_hints(fields) == own
    assert not fields.__required_keys__  # type: ignore[attr-defined]


def test_a_plain_request_takes_every_response_field_and_nothing_else() -> None:
    """The fallback for code holding a ``Request``: the fields of all responses together."""
    inherited = {f.name for f in dataclasses.fields(Response)}
    every: dict[str, object] = {}
    for response in {
        cls.response_type for cls in MESSAGE_TYPES.values() if issubclass(cls, Request)
    }:
        hints = typing.get_type_hints(response)
        for f in dataclasses.fields(response):
            if f.name not in inherited:
                assert every.setdefault(f.name, hints[f.name]) == hints[f.name], f.name
    assert typing.get_type_hints(_fields_typed_dict(Request)) == every


_PASSES = """
from mm7codec import (
    ChargedParty, DeliverReq, DeliveryReportReq, MMStatus, Priority, Recipients, Request,
    SubmitReq, SubmitRsp, UnknownValue, extendedReplaceReq, extendedReplaceRsp,
)

submit = SubmitReq(recipients=Recipients(["15551234567"]), priority="High", charged_party="Both")
accepted: SubmitRsp = submit.reply(message_id="m-1", applic_id=None)
refused: SubmitRsp = submit.reply(2002, "Address error", details="no such number")
replaced: extendedReplaceRsp = extendedReplaceReq().reply(message_id="m-2")

def urgency(request: DeliverReq) -> int:
    priority = request.priority
    if priority is None or isinstance(priority, UnknownValue):
        return 0  # absent, or a value no schema has: the program decides
    wanted: Priority = priority
    return {"High": 2, "Normal": 1, "Low": 0}[wanted]

def delivered(report: DeliveryReportReq) -> bool:
    status: MMStatus | UnknownValue = report.mm_status
    return status == "Retrieved"

party: ChargedParty = "ThirdParty"
"""

# Each is one mistake mypy must catch (in a function of its own, after _PASSES).
_MISTAKES = {
    "misspelt reply field": "submit.reply(mesage_id='m-1')",
    "wrong reply field type": "submit.reply(message_id=1)",
    "misspelt field on a plain Request": "request: Request = submit\nrequest.reply(mesage_id='m')",
    "another response's field, used as this one": (
        "answer: SubmitRsp = submit.reply(service_code='x')"
    ),
    "misspelt fault keyword": "submit.fault(4004, detail='x')",
    "misspelt enumeration value": "SubmitReq(recipients=Recipients([]), priority='Hihg')",
    "unknown value not handled": "wanted: Priority | None = submit.priority",
}


def test_correct_code_passes_mypy_strict_and_each_mistake_is_an_error(tmp_path: Path) -> None:
    assert_mypy_catches(tmp_path, _PASSES, _MISTAKES)


# -- Number values ----------------------------------------------------------------------------

_NUMBER = re.compile(r"\+?[0-9]+")


@given(st.text(min_size=1, max_size=16))
def test_recipient_strings_are_numbers_checked_when_recipients_are_built(text: str) -> None:
    try:
        recipients = Recipients([text])
    except AddressError:
        return
    [address] = recipients
    assert address.kind == "Number" and address.value.isascii() and address.value.isdigit()


@given(
    st.one_of(
        st.text(min_size=1, max_size=16),
        st.from_regex(_NUMBER, fullmatch=True).filter(lambda n: len(n) < 16),
    ),
    st.sampled_from(["recipients", "sender_address"]),
)
def test_the_encoder_sends_a_number_as_typed_only_if_it_is_one(value: str, field: str) -> None:
    """``Address(value)`` is sent exactly as typed: national or ``+E.164``, short or long.
    What no peer can route as a number (letters, spaces, dashes, non-ASCII digits) is an
    ``EncodeError`` naming the field."""
    address = Address(value)
    fields = {"recipients": Recipients(["15551234567"]), field: address}
    if field == "recipients":
        fields[field] = Recipients([address])
    message = SubmitReq(**fields)  # type: ignore[arg-type]
    if _NUMBER.fullmatch(value):
        assert mm7codec.decode(*reversed(mm7codec.encode(message)), strict=True) == message
        return
    with pytest.raises(EncodeError) as raised:
        mm7codec.encode(message)
    assert raised.value.field == field


@pytest.mark.parametrize("version", ["5.3.0", "6.8.0"])  # SenderAddress as text, and typed
def test_the_number_check_applies_to_sender_addresses_in_every_schema(version: str) -> None:
    submit = SubmitReq(
        version=version, recipients=Recipients(["15551234567"]), sender_address=Address("1-800")
    )
    with pytest.raises(EncodeError, match="not digits") as raised:
        mm7codec.encode(submit)
    assert raised.value.field == "sender_address"


def test_an_encrypted_number_is_opaque_and_sent_as_it_is() -> None:
    secret = Address("q7/Zx+Yw==", address_coding="encrypted")
    submit = SubmitReq(recipients=Recipients([secret]))
    assert mm7codec.decode(*reversed(mm7codec.encode(submit)), strict=True) == submit
