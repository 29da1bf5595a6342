"""``strategies.wire_messages``: wire bytes in the dialects real peers write, each decoding to
the message it claims, and every dialect reached."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec._dialects import apply
from mm7codec.strategies import WireMessage, wire_messages
from mm7codec.testing import DIALECTS

#: Dialects that are deviations the lenient decoder records under the same name.
RECORDED = {
    "padded-transaction-id",
    "soap-content-type",
    "missing-start",
    "start-without-brackets",
    "content-id-without-brackets",
    "bare-lf",
    "legacy-address",
    "href-without-cid",
    "leading-whitespace",
}


@settings(max_examples=25)
@given(wire_messages(sent_by="mmsc"))
def test_wire_messages_decode_to_their_message(wire: WireMessage) -> None:
    decoded = mm7codec.decode(wire.body, wire.content_type)
    assert decoded == wire.message
    assert isinstance(decoded, mm7codec.Request)
    assert type(decoded).__name__ in ("DeliverReq", "DeliveryReportReq", "ReadReplyReq")
    codes = {deviation.code for deviation in decoded.deviations}
    assert RECORDED & set(wire.dialects) <= codes


def _plain_report() -> mm7codec.DeliveryReportReq:
    return mm7codec.DeliveryReportReq(
        transaction_id="dr-1",
        message_id="m-1",
        recipient=mm7codec.Address("15553199144"),
        sender=mm7codec.Address("12345", "ShortCode"),
        date=datetime(2026, 1, 1, tzinfo=UTC),
        mm_status="Retrieved",
    )


def _mo_with_content() -> mm7codec.DeliverReq:
    return mm7codec.DeliverReq(
        transaction_id="mo-1",
        sender=mm7codec.Address("15553199144"),
        content=mm7codec.Part.multipart(
            [
                mm7codec.Part.from_text("hello", content_id="text"),
                mm7codec.Part.from_bytes(b"GIF89a\x00\x01", "image/gif", content_id="image"),
            ],
            "related",
            content_id="content",
        ),
    )


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_each_dialect_rewrites_and_keeps_the_message(dialect: str) -> None:
    plain = dialect in ("leading-whitespace", "soap-content-type")  # a body that is SOAP only
    message = _plain_report() if plain else _mo_with_content()
    clean = mm7codec.encode(message)
    rewritten = apply([dialect], *clean)
    assert rewritten != clean, f"{dialect} changed nothing"
    decoded = mm7codec.decode(rewritten[1], rewritten[0])
    assert decoded == mm7codec.decode(clean[1], clean[0])
    if dialect in RECORDED:
        assert dialect in {deviation.code for deviation in decoded.deviations}


def test_unknown_dialects_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown dialects"):
        wire_messages(dialects=["pretty-print"])


def test_clean_wire_messages_are_what_the_encoder_writes() -> None:
    @settings(max_examples=15, database=None)
    @given(wire_messages(sent_by="vasp", dialects=False), st.data())
    def check(wire: WireMessage, _data: st.DataObject) -> None:
        assert wire.dialects == ()
        assert (wire.content_type, wire.body) == mm7codec.encode(wire.message)

    check()
