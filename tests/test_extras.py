"""Unknown elements are kept on the message (``message.extras``) beside their deviation, and
written back only with ``encode(..., keep_extras=True)``."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings

import mm7codec
from mm7codec import Extra
from mm7codec.strategies import messages

from .conftest import SAMPLES

INSTANTCOM = SAMPLES / "vnesek+instantcom-mm7__submit-rsp.xml"
R6 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"


@pytest.mark.skipif(not INSTANTCOM.is_file(), reason="the peer samples folder is not beside us")
def test_instantcom_aux_applic_id_is_kept_and_relayed() -> None:
    message = mm7codec.decode(INSTANTCOM.read_bytes(), "text/xml")
    assert isinstance(message, mm7codec.SubmitRsp)
    assert message.extras == (
        Extra("AuxApplicID", message.namespace, "session.ABC.DEF", after="ReplyApplicID"),
    )
    recorded = [d for d in message.deviations if d.code == "unknown-element"]
    assert len(recorded) == 1 and "AuxApplicID" in recorded[0].where
    # Left out by default: the output stays schema-valid.
    assert b"AuxApplicID" not in mm7codec.encode(message)[1]
    content_type, body = mm7codec.encode(message, keep_extras=True)
    assert b"</ReplyApplicID><AuxApplicID>session.ABC.DEF</AuxApplicID></SubmitRsp>" in body
    relayed = mm7codec.decode(body, content_type)
    assert relayed == message
    assert relayed.extras == message.extras


def _submit_with_extras() -> bytes:
    return (
        '<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<env:Header><mm7:TransactionID xmlns:mm7="{R6}">x-1</mm7:TransactionID></env:Header>'
        f'<env:Body><SubmitReq xmlns="{R6}"><VendorFirst>a &amp; b</VendorFirst>'
        "<MM7Version>6.8.0</MM7Version>"
        "<Recipients><To><Number>+491701234567</Number></To></Recipients>"
        '<v:Tag xmlns:v="urn:vendor">t</v:Tag><Subject>Hi</Subject>'
        '<Unqualified xmlns="">u</Unqualified>'
        "</SubmitReq></env:Body></env:Envelope>"
    ).encode()


def test_extras_go_back_in_place_with_their_namespaces() -> None:
    message = mm7codec.decode(_submit_with_extras(), "text/xml")
    assert message.extras == (
        Extra("VendorFirst", R6, "a & b", None),
        Extra("Tag", "urn:vendor", "t", "Recipients"),
        Extra("Unqualified", "", "u", "Subject"),
    )
    _, body = mm7codec.encode(message, keep_extras=True)
    assert (
        f'<SubmitReq xmlns="{R6}"><VendorFirst>a &amp; b</VendorFirst><MM7Version>'.encode() in body
    )
    assert b'</Recipients><Tag xmlns="urn:vendor">t</Tag><Subject>Hi</Subject>' in body
    assert b'<Unqualified xmlns="">u</Unqualified></SubmitReq>' in body
    again = mm7codec.decode(body, "text/xml")
    assert again.extras == message.extras
    # An extra whose neighbour is gone is written at the end; a bad name is refused.
    no_subject = dataclasses.replace(message, subject=None)
    assert mm7codec.encode(no_subject, keep_extras=True)[1].endswith(
        b'<Unqualified xmlns="">u</Unqualified></SubmitReq></env:Body></env:Envelope>'
    )
    bad = dataclasses.replace(message, extras=(Extra("not a name", "", "x"),))
    with pytest.raises(mm7codec.EncodeError) as refused:
        mm7codec.encode(bad, keep_extras=True)
    assert refused.value.field == "extras"


def test_strict_decoding_still_refuses_unknown_elements() -> None:
    with pytest.raises(mm7codec.DeviationError):
        mm7codec.decode(_submit_with_extras(), "text/xml", strict=True)


@settings(max_examples=100)
@given(messages())
def test_without_extras_keep_extras_changes_nothing(message: mm7codec.Message) -> None:
    assert mm7codec.encode(message, keep_extras=True) == mm7codec.encode(message)
