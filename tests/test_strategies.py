"""``mm7codec.strategies.messages`` can be aimed: typed per message class, by the side that
sends a request, and never drawing a type in a version that lacks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec import (
    MESSAGE_TYPES,
    DeliverReq,
    Message,
    MM7Version,
    Request,
    Response,
    SubmitReq,
    SubmitRsp,
    message_types,
)
from mm7codec._spec import SPEC
from mm7codec.strategies import WireMessage, messages, wire_messages

from .typecheck import assert_mypy_catches

_SIDES = {"mmsc": "R/S to VASP", "vasp": "VASP to R/S"}
_REQUESTS = [name for name, cls in MESSAGE_TYPES.items() if issubclass(cls, Request)]


@settings(max_examples=200)
@given(messages(message_type=SubmitReq))
def test_200_submit_reqs_round_trip_and_reply_typed(submit: SubmitReq) -> None:
    """The property the generation speed is measured on (200 examples)."""
    assert type(submit) is SubmitReq
    content_type, body = mm7codec.encode(submit)
    assert mm7codec.decode(body, content_type, strict=True) == submit
    answer: SubmitRsp = submit.reply(message_id="m-1")  # typed through the strategy
    assert answer.transaction_id == submit.transaction_id


@given(st.data())
def test_a_type_is_drawn_only_in_versions_that_have_it(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from([*MESSAGE_TYPES, "Fault"]))
    message = data.draw(messages(message_type=name, content=False))
    assert type(message).__name__ == name
    assert name == "Fault" or type(message) in message_types(message.version)


@given(messages(message_type="extendedCancelReq"))
def test_a_release_6_type_without_a_version_draws_release_6_versions(message: Message) -> None:
    assert MM7Version.parse(message.version) >= MM7Version.parse("6.0.0")


@pytest.mark.parametrize("version", ["5.3.0", "5.11.0"])
def test_a_type_the_given_version_lacks_is_refused_when_the_strategy_is_made(version: str) -> None:
    with pytest.raises(ValueError, match=rf"no extendedCancelReq exists in MM7Version {version}"):
        messages(version, "extendedCancelReq")


@given(messages(message_type=Response, content=False))
def test_a_base_class_draws_every_kind_of_it(message: Response) -> None:
    assert isinstance(message, Response)


@pytest.mark.parametrize("side", _SIDES)
@pytest.mark.parametrize("name", _REQUESTS)
def test_sent_by_keeps_exactly_the_requests_that_side_sends(side: str, name: str) -> None:
    if SPEC.messages[name].direction == _SIDES[side]:
        messages(message_type=name, sent_by=side)  # type: ignore[call-overload]
    else:
        with pytest.raises(ValueError, match=f"no {name} sent by the {side}"):
            messages(message_type=name, sent_by=side)  # type: ignore[call-overload]


@given(st.data())
def test_sent_by_draws_requests_of_that_side_in_any_version(data: st.DataObject) -> None:
    side = data.draw(st.sampled_from(list(_SIDES)))
    message = data.draw(messages(sent_by=side, content=False))  # type: ignore[call-overload]
    assert isinstance(message, Request)
    assert SPEC.messages[type(message).__name__].direction == _SIDES[side]


@settings(max_examples=20)
@given(wire_messages(message_type=DeliverReq, sent_by="mmsc", dialects=False, content=False))
def test_wire_messages_aim_the_same_way(wire: WireMessage) -> None:
    assert type(wire.message) is DeliverReq


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"version": "5.2.0"}, ValueError),
        ({"message_type": "SubmitRequest"}, ValueError),
        ({"message_type": 3}, TypeError),
        ({"message_type": str}, TypeError),
        ({"sent_by": "relay"}, ValueError),
        ({"message_type": "Fault", "sent_by": "mmsc"}, ValueError),  # a Fault is no request
        ({"message_type": DeliverReq, "sent_by": "vasp"}, ValueError),
    ],
)
def test_what_cannot_be_drawn_is_refused_at_once(arguments: dict[str, object], error: type) -> None:
    with pytest.raises(error):
        messages(**arguments)  # type: ignore[call-overload]


@settings(max_examples=10)
@given(messages("06.8.0", content=False))
def test_a_version_is_drawn_as_it_is_written_canonically(message: Message) -> None:
    assert message.version == "6.8.0"


_TYPED = """
from hypothesis.strategies import SearchStrategy
from mm7codec import DeliverReq, Fault, Message, Request, SubmitReq
from mm7codec.strategies import messages

delivers: SearchStrategy[DeliverReq] = messages(message_type=DeliverReq)
submits: SearchStrategy[SubmitReq] = messages("6.8.0", SubmitReq, content=False)
faults: SearchStrategy[Fault] = messages(version="5.3.0", message_type=Fault)
requests: SearchStrategy[Request] = messages(message_type=Request, sent_by="vasp")
by_name: SearchStrategy[Message] = messages(message_type="DeliverReq")
any_mo: SearchStrategy[Message] = messages(sent_by="mmsc")
"""

_MISTAKES = {
    "another class than drawn": (
        "wrong: SearchStrategy[SubmitReq] = messages(message_type=DeliverReq)"
    ),
    "a side that is not one": "messages(sent_by='relay')",
}


def test_messages_is_typed_per_class_under_mypy_strict(tmp_path: Path) -> None:
    assert_mypy_catches(tmp_path, _TYPED, _MISTAKES)
