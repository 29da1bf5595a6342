"""The decoder builds messages without their ``__init__`` and field type checks
(``build_decoded``): safe only because every value it reads already has the declared type.
These tests run the checks over decoded messages, from the outcome corpus and from the
strategies, and require that they find nothing to convert and nothing to refuse; and they hold
``build_decoded`` to what the constructor gives for the same values.
"""

from __future__ import annotations

import copy
from dataclasses import fields

from hypothesis import given

import mm7codec
from benchmarks.outcomes import corpus_inputs, mutations_of
from mm7codec import strategies
from mm7codec._field_checks import check_fields
from mm7codec._messages import build_decoded


def _what_checks_change(message: mm7codec.Message) -> list[str]:
    """The fields the checks would convert in ``message`` (a refused one raises TypeError),
    found on a copy so the message itself is left as it is. A Fault's detail is a message of
    its own and is looked at too."""
    checked = copy.copy(message)
    check_fields(checked)
    changed = [
        f.name for f in fields(message) if getattr(checked, f.name) is not getattr(message, f.name)
    ]
    if isinstance(message, mm7codec.Fault) and message.detail is not None:
        changed += [f"detail.{name}" for name in _what_checks_change(message.detail)]
    return changed


def _decoded_corpus() -> list[mm7codec.Message]:
    """Every message the outcome corpus decodes leniently in one piece (damaged inputs too:
    whatever a lenient decode makes of them is what a receiver gets)."""
    decoded = []
    for name, kind, base in corpus_inputs():
        for _mutation, body in mutations_of(name, base):
            try:
                if kind == "http":
                    decoded.append(mm7codec.decode_http(body))
                else:
                    decoded.append(mm7codec.decode(body, kind))
            except mm7codec.MM7Error:
                continue
    return decoded


def test_the_checks_find_nothing_in_the_decoded_corpus() -> None:
    decoded = _decoded_corpus()
    assert len(decoded) > 500  # the corpus is read, not skipped
    assert {type(message).__name__ for message in decoded} >= {
        "DeliverReq",
        "DeliveryReportReq",
        "SubmitReq",
        "SubmitRsp",
        "Fault",
    }
    changed = {
        f"{type(message).__name__}.{name}"
        for message in decoded
        for name in _what_checks_change(message)
    }
    assert not changed


@given(strategies.wire_messages())
def test_the_checks_find_nothing_in_decoded_wire_messages(wire: strategies.WireMessage) -> None:
    message = mm7codec.decode(wire.body, wire.content_type)
    assert _what_checks_change(message) == []


def test_the_detector_sees_a_value_the_checks_would_convert() -> None:
    """build_decoded really skips the checks (a list stays a list), and the helper above
    notices it: the two tests before this one can fail."""
    message = build_decoded(
        mm7codec.SubmitRsp,
        {"transaction_id": "t-1", "extras": [mm7codec.Extra("Note", "", "x", None)]},
    )
    assert isinstance(message.extras, list)
    assert _what_checks_change(message) == ["extras"]


def test_messages_a_user_builds_are_checked_as_before() -> None:
    converted = mm7codec.SubmitRsp(
        transaction_id="t-1", extras=[mm7codec.Extra("Note", "", "x", None)]
    )
    assert converted.extras == (mm7codec.Extra("Note", "", "x", None),)
    try:
        mm7codec.SubmitRsp(transaction_id=1)  # type: ignore[arg-type]
    except TypeError as error:
        assert "SubmitRsp.transaction_id takes str, not int" in str(error)
    else:
        raise AssertionError("a wrong type was accepted")


def _rebuilt_by_the_constructor(message: mm7codec.Message) -> mm7codec.Message:
    return type(message)(**{f.name: getattr(message, f.name) for f in fields(message)})


def _every_field(message: mm7codec.Message) -> dict[str, object]:
    """All fields, those left out of equality (deviations, peer_pairing, extras) too, each
    with its type and repr (equal values may differ in type: an MM7Version equals its text)."""
    return {
        f.name: (type(value), value, repr(value))
        for f in fields(message)
        for value in [getattr(message, f.name)]
    }


def test_decoded_messages_are_what_the_constructor_builds() -> None:
    for message in _decoded_corpus():
        rebuilt = _rebuilt_by_the_constructor(message)
        assert _every_field(rebuilt) == _every_field(message)
        assert type(rebuilt) is type(message)


@given(strategies.wire_messages())
def test_decoded_wire_messages_are_what_the_constructor_builds(
    wire: strategies.WireMessage,
) -> None:
    message = mm7codec.decode(wire.body, wire.content_type)
    assert _every_field(_rebuilt_by_the_constructor(message)) == _every_field(message)


def test_build_decoded_fills_what_the_constructor_fills() -> None:
    """Defaults, default factories and the namespace a version gives, as __init__ and
    __post_init__ do; a field the class lacks is the constructor's own TypeError."""
    built = build_decoded(mm7codec.SubmitRsp, {"version": "5.3.0", "namespace": ""})
    made = mm7codec.SubmitRsp(version="5.3.0")
    assert built.namespace == made.namespace != ""
    assert built.status == made.status
    assert built.message_id is None
    assert isinstance(built.transaction_id, str) and built.transaction_id
    for values, named in (
        ({"transaction_id": "t-1", "no_such_field": 1}, "no_such_field"),
        ({"transaction_id": "t-1"}, "recipients"),  # required, with no default
    ):
        try:
            build_decoded(mm7codec.SubmitReq, values)
        except TypeError as error:
            assert named in str(error)
        else:
            raise AssertionError(f"{named} was not refused")


def test_a_fault_outside_any_mm7_namespace_states_its_version_as_text() -> None:
    """The version a Fault gets when nothing in it names one is plain text, as in every
    other decoded message (it was once the MM7Version object itself)."""
    fault = mm7codec.decode(
        b'<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>'
        b"<TransactionID>t1</TransactionID></env:Header><env:Body><env:Fault>"
        b"<faultcode>env:Server</faultcode><faultstring>boom</faultstring></env:Fault>"
        b"</env:Body></env:Envelope>",
        "text/xml",
    )
    assert isinstance(fault, mm7codec.Fault)
    assert type(fault.version) is str
    assert _every_field(_rebuilt_by_the_constructor(fault)) == _every_field(fault)
