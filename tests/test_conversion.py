"""``Message.for_version``: a message moved to another MM7Version, with every value it loses
listed (properties over every message type and sampled version pairs, and pinned examples)."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec import Address, EncodeError, Loss, Recipients, SubmitReq
from mm7codec._spec import SPEC
from mm7codec.strategies import messages

VERSIONS = [str(v) for v in mm7codec.SUPPORTED_VERSIONS]
TYPES = [*SPEC.messages, "Fault"]
ADDRESS_FIELDS = ("value", "kind", "display_only", "address_coding", "id")
R5 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-0"


def _schema(version: str) -> int:
    namespace = mm7codec.MM7Version.parse(version).namespace
    assert namespace is not None
    index = SPEC.namespace_index(namespace)
    assert index is not None
    return index


def _address_changes(path: str, before: Address, after: Address) -> Iterator[tuple[str, object]]:
    for name in ADDRESS_FIELDS:
        if getattr(before, name) != getattr(after, name):
            yield f"{path}.{name}", getattr(before, name)


def _changes(before: object, after: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    """Every (path, old value) where ``after`` differs from ``before``, walked independently
    of the converter: message fields, address attributes, recipients by kind and index."""
    skipped = {"version", "namespace", "transaction_id", "deviations", "peer_pairing"}
    for field in dataclasses.fields(before):  # type: ignore[arg-type]
        if field.name in skipped:
            continue
        old, new = getattr(before, field.name), getattr(after, field.name)
        path = f"{prefix}{field.name}"
        if old == new:
            continue
        if isinstance(old, mm7codec.Message) and isinstance(new, mm7codec.Message):
            yield from _changes(old, new, f"{path}.")
        elif isinstance(old, Address) and isinstance(new, Address):
            yield from _address_changes(path, old, new)
        elif isinstance(old, Recipients) and isinstance(new, Recipients):
            for kind in ("to", "cc", "bcc"):
                pairs = zip(getattr(old, kind), getattr(new, kind), strict=True)
                for index, (a, b) in enumerate(pairs):
                    yield from _address_changes(f"{path}.{kind}[{index}]", a, b)
        elif isinstance(old, tuple) and isinstance(new, tuple) and len(old) == len(new):
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                if isinstance(a, Address) and isinstance(b, Address):
                    yield from _address_changes(f"{path}[{index}]", a, b)
        else:
            yield path, old


def _exists(name: str, version: str) -> bool:
    return name == "Fault" or SPEC.messages[name].since <= _schema(version)


def _has_until(name: str, field: str) -> bool:
    """Whether the element holding ``field`` ends before the last schema (SubmitRsp's Applic
    trio ends at REL-6-MM7-1-3, so moving up to REL-6-MM7-1-4 loses it)."""
    if name == "Fault":
        return False
    for element in SPEC.messages[name].elements:
        for member in element.children or (element,):
            if member.field == field.split(".")[0]:
                return member.until >= 0
    return False


@st.composite
def _cases(draw: st.DrawFn) -> tuple[mm7codec.Message, str]:
    source = draw(st.sampled_from(VERSIONS))
    name = draw(st.sampled_from([n for n in TYPES if _exists(n, source)]))
    message = draw(messages(source, name))
    return message, draw(st.sampled_from(VERSIONS))


@settings(max_examples=400)
@given(_cases())
def test_conversion_encodes_decodes_equal_and_lists_exactly_what_it_loses(
    case: tuple[mm7codec.Message, str],
) -> None:
    message, target = case
    body = message.detail if isinstance(message, mm7codec.Fault) else message
    name = type(body).__name__ if body is not None else "Fault"
    if not _exists(name, target):
        with pytest.raises(EncodeError) as refused:
            message.for_version(target)
        assert refused.value.field == "message"
        return
    conversion = message.for_version(target)
    converted = conversion.message
    bare_fault = isinstance(message, mm7codec.Fault) and message.detail is None
    assert converted.version == (message.version if bare_fault else target)
    assert converted.namespace == mm7codec.MM7Version.parse(target).namespace
    assert converted.transaction_id == message.transaction_id
    content_type, body = mm7codec.encode(converted)
    decoded = mm7codec.decode(body, content_type, strict=True)
    if bare_fault:  # no MM7Version on the wire: a reader takes its namespace's newest
        decoded = dataclasses.replace(decoded, version=converted.version)
    assert decoded == converted
    # Exactly the values that changed are the losses, each with the value it had.
    changed = sorted(_changes(message, converted), key=repr)
    listed = sorted(((loss.field, loss.value) for loss in conversion.losses), key=repr)
    assert listed == changed
    assert all(isinstance(loss, Loss) and loss.reason for loss in conversion.losses)
    if _schema(target) >= (SPEC.namespace_index(message.namespace) or 0):
        inner = message.detail if isinstance(message, mm7codec.Fault) else message
        owner = type(inner).__name__ if inner is not None else "Fault"
        assert all(
            _has_until(owner, loss.field.removeprefix("detail.")) for loss in conversion.losses
        )
    # Content is carried by reference, never copied.
    content = getattr(message, "content", None)
    assert getattr(converted, "content", None) is content
    if conversion.losses:
        with pytest.raises(EncodeError) as refused:
            message.for_version(target, allow_loss=False)
        assert refused.value.losses == conversion.losses
        assert refused.value.field == conversion.losses[0].field
    else:
        assert message.for_version(target, allow_loss=False) == conversion


def test_a_fault_whose_detail_the_target_lacks_is_refused() -> None:
    fault = mm7codec.Fault(detail=mm7codec.extendedCancelRsp())
    with pytest.raises(EncodeError) as refused:
        fault.for_version("5.3.0")
    assert refused.value.field == "message"
    assert fault.for_version("6.3.0").message.detail.namespace.endswith("REL-6-MM7-1-0")  # type: ignore[union-attr]


@settings(max_examples=100)
@given(st.sampled_from(VERSIONS).flatmap(lambda v: messages(v, "SubmitReq")))
def test_up_to_the_latest_and_back_loses_nothing_from_a_release_5_message(
    message: mm7codec.Message,
) -> None:
    up = message.for_version(mm7codec.LATEST_VERSION)
    if _schema(message.version) < SPEC.namespaces.index(SPEC.mm7_namespace_base + "REL-6-MM7-1-0"):
        assert up.losses == ()
        back = up.message.for_version(message.version)
        assert back.losses == ()
        assert back.message == message


def test_refused_conversion_lists_every_loss_and_pickles() -> None:
    message = SubmitReq(
        recipients=Recipients(to=[Address("+491701234567", id="r1"), "+491709999999"]),
        applic_id="app",
        content_class="text",
    )
    with pytest.raises(EncodeError) as refused:
        message.for_version("5.3.0", allow_loss=False)
    error = refused.value
    assert [loss.field for loss in error.losses] == [
        "recipients.to[0].id",
        "applic_id",
        "content_class",
    ]
    again = pickle.loads(pickle.dumps(error))
    assert (again.field, again.losses) == (error.field, error.losses)


def test_an_encrypted_number_is_not_moved_where_its_coding_cannot_go() -> None:
    """Without its addressCoding the opaque text would be sent as a number nobody can route
    (and the encoder refuses it): the conversion says so, naming the address."""
    secret = Address("q7/Zx+Yw==", address_coding="encrypted")
    message = SubmitReq(recipients=Recipients(to=["+491701234567", secret]))
    with pytest.raises(EncodeError, match="encrypted number") as refused:
        message.for_version("5.3.0")
    assert refused.value.field == "recipients.to[1]"
    hidden = SubmitReq(
        recipients=Recipients(to=[Address("491701234567", address_coding="obfuscated")])
    )
    conversion = hidden.for_version("5.3.0")  # digits stay a number: only the marking is lost
    assert [loss.field for loss in conversion.losses] == ["recipients.to[0].address_coding"]
    mm7codec.encode(conversion.message)


def test_required_enumeration_falls_back_to_indeterminate_with_the_loss_listed() -> None:
    report = mm7codec.DeliveryReportReq(
        version="6.8.0",
        message_id="m1",
        recipient=Address("+491701234567"),
        sender=Address("12345", "ShortCode"),
        date=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        mm_status="Deferred",
    )
    conversion = report.for_version("5.3.0")
    assert conversion.message.mm_status == "Indeterminate"
    assert [(loss.field, loss.value) for loss in conversion.losses] == [("mm_status", "Deferred")]


def test_explicit_namespace_is_kept() -> None:
    message = SubmitReq(recipients=Recipients(to=["+491701234567"]))
    conversion = message.for_version(mm7codec.MM7Version.parse("5.3.0"), namespace=R5)
    assert conversion.message.namespace == R5
    assert conversion.message.version == "5.3.0"


@pytest.mark.parametrize("version", ["5.3", "9.9.9"])
def test_a_version_without_schema_is_refused_with_the_field(version: str) -> None:
    message = SubmitReq(recipients=Recipients(to=["+491701234567"]))
    with pytest.raises(EncodeError) as refused:
        message.for_version(version)
    assert refused.value.field == "version"


def test_encode_error_names_the_field() -> None:
    message = SubmitReq(version="5.3.0", recipients=Recipients(to=["+491701234567"]), applic_id="a")
    with pytest.raises(EncodeError) as refused:
        mm7codec.encode(message)
    assert refused.value.field == "applic_id"
    bad_subject = SubmitReq(recipients=Recipients(to=["+491701234567"]), subject="a\x00b")
    with pytest.raises(EncodeError) as refused:
        mm7codec.encode(bad_subject)
    assert refused.value.field == "subject"
    for changes, field in (
        ({"version": "6.8"}, "version"),
        ({"transaction_id": " padded "}, "transaction_id"),
        ({"version": "5.3.0"}, "version"),  # a hybrid: 5.3.0 in the 6.8.0 namespace
    ):
        with pytest.raises(EncodeError) as refused:
            mm7codec.encode(dataclasses.replace(bad_subject, subject=None, **changes))
        assert refused.value.field == field
