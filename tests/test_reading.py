"""Messages a person can read: compact one-line reprs, str() as the command line's summary,
one-line deviations, and help() text written from the spec tables."""

from __future__ import annotations

import ast
import dataclasses
import functools
import io
import pydoc
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec import (
    Address,
    Deviation,
    Duration,
    Fault,
    Message,
    Number,
    Part,
    Recipients,
    ReplyCharging,
    RFC2822Address,
    ShortCode,
    Status,
    UACapabilities,
)
from mm7codec._describe import render_text
from mm7codec._repr import MAX_REPR_ITEMS, MAX_REPR_TEXT
from mm7codec._spec import SPEC
from mm7codec.strategies import addresses, durations, messages, statuses, xml_text

#: What the reprs name, for eval(): the constructors the public API offers.
NAMES: dict[str, Any] = {
    **{name: getattr(mm7codec, name) for name in mm7codec.__all__},
    "Decimal": Decimal,
    "datetime": __import__("datetime"),
}
#: Fields no repr shows: bookkeeping kept beside the message.
UNSHOWN = {"deviations", "peer_pairing", "extras"}
CLASSES: list[type[Message]] = [*mm7codec.MESSAGE_TYPES.values(), Fault]


def _call(text: str) -> ast.Call:
    """The parsed repr, which must be one Python call expression."""
    tree = ast.parse(text, mode="eval").body
    assert isinstance(tree, ast.Call), text
    return tree


def _shown(message: Message) -> set[str]:
    """The fields a repr of ``message`` must name: TransactionID and version always, the
    namespace when it is not the version's own, and every other field that is set."""
    shown = {"transaction_id", "version"}
    for field in dataclasses.fields(message):
        value = getattr(message, field.name)
        if field.name in shown or field.name in UNSHOWN or value is None:
            continue
        if field.name == "namespace":
            own = mm7codec.MM7Version.parse(message.version).namespace
            if value != own:
                shown.add(field.name)
        elif field.default is dataclasses.MISSING or value != field.default:
            shown.add(field.name)
    return shown


def _assert_bounded(text: str) -> None:
    """No text shown longer than the bound, no list or tuple with more items."""
    for node in ast.walk(ast.parse(text, mode="eval")):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert len(node.value) <= MAX_REPR_TEXT + 3, node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            assert len(node.elts) <= MAX_REPR_ITEMS + 1


# -- repr ------------------------------------------------------------------------------------------


@settings(max_examples=40)
@given(messages())
def test_a_message_repr_is_one_line_naming_what_is_set(message: Message) -> None:
    text = repr(message)
    assert "\n" not in text and text.isprintable()
    assert "=None" not in text
    call = _call(text)
    assert isinstance(call.func, ast.Name) and call.func.id == type(message).__name__
    assert not call.args
    assert {keyword.arg for keyword in call.keywords} == _shown(message)
    _assert_bounded(text)


def test_every_message_class_has_the_compact_repr() -> None:
    for cls in CLASSES:
        assert cls.__repr__ is Message.__repr__, cls


def test_a_repr_shows_the_set_fields_as_python() -> None:
    message = mm7codec.DeliverReq(
        transaction_id="t1",
        sender=Number("15553199144"),
        recipients=Recipients(to=[ShortCode("12345")]),
        subject="hi",
        content=Part.multipart(
            [Part.from_text("hello"), Part.from_bytes(b"\xff\xd8", "image/jpeg", content_id="i")],
            "related",
        ),
    )
    assert repr(message) == (
        "DeliverReq(transaction_id='t1', version='6.8.0', sender=Number('15553199144'), "
        "recipients=Recipients(to=[ShortCode('12345')]), subject='hi', "
        "content=Part('multipart/related', parts=2))"
    )
    assert repr(message.content.parts[1]) == "Part('image/jpeg', size=2, content_id='i')"  # type: ignore[union-attr]
    assert repr(message.reply()) == (
        "DeliverRsp(transaction_id='t1', version='6.8.0', status=Status(1000, 'Success'))"
    )
    in_5_3 = message.reply().for_version("5.3.0", namespace="urn:example").message
    assert "namespace='urn:example'" in repr(in_5_3)


class _Unreadable(io.RawIOBase):
    """A stream that fails the test if anyone reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("a repr read an attachment")


@settings(max_examples=40)
@given(
    messages(message_type=mm7codec.SubmitReq, content=False),
    xml_text(min_size=MAX_REPR_TEXT - 2, max_size=3 * MAX_REPR_TEXT),
    st.lists(addresses(), min_size=1, max_size=3 * MAX_REPR_ITEMS),
    st.text(min_size=1, max_size=MAX_REPR_TEXT + 20),
)
def test_long_texts_and_lists_are_cut_at_their_bounds(
    message: mm7codec.SubmitReq, subject: str, to: list[Address], priority: str
) -> None:
    """What the generated messages rarely hold: texts past the bound, long address lists,
    values outside an enumeration. Each shows its start, cut where the bound says."""
    unknown = mm7codec.UnknownValue(priority)
    message = dataclasses.replace(
        message, subject=subject, recipients=Recipients(to=to), priority=unknown
    )
    text = repr(message)
    assert "\n" not in text and text.isprintable()
    _assert_bounded(text)
    keywords = {keyword.arg: keyword.value for keyword in _call(text).keywords}
    shown_subject = ast.literal_eval(keywords["subject"])
    cut = len(subject) > MAX_REPR_TEXT
    assert shown_subject == (subject[:MAX_REPR_TEXT] + "..." if cut else subject)
    shown_to = _call(ast.unparse(keywords["recipients"])).keywords[0].value
    assert isinstance(shown_to, ast.List)
    assert len(shown_to.elts) == min(len(to), MAX_REPR_ITEMS + 1)  # the last one is "..."
    assert ast.unparse(keywords["priority"]).startswith("UnknownValue(")


def test_a_huge_hostile_message_has_a_short_repr() -> None:
    hostile = "\x1b[2J\u202e" + "x" * 1_000_000
    leaves = [Part.from_bytes(b"a", "text/plain") for _ in range(1_000)]
    unread = Part.from_file(_Unreadable(), "video/mp4", size=50_000_000)  # type: ignore[arg-type]
    message = mm7codec.SubmitReq(
        recipients=Recipients(to=[Number(str(10_000_000 + i)) for i in range(10_000)]),
        subject=hostile,
        delivery_condition=tuple(range(1, 10_000)),
        content=Part.multipart([unread, *leaves], "mixed", content_id=hostile),
    )
    text = repr(message)
    assert len(text) < 2_000
    assert "\\x1b[2J\\u202e" in text and "\x1b" not in text
    _assert_bounded(text)
    assert "parts=1001" in text


class _Named(str):
    """Text that says what it is in its repr, as ``MM7Version`` does."""

    def __repr__(self) -> str:
        return f"_Named({str.__repr__(self)})"


def test_text_that_names_its_type_keeps_its_name_within_the_bound() -> None:
    subject = _Named("x" * 500)
    message = mm7codec.SubmitReq(recipients=Recipients(to=["15553199144"]), subject=subject)
    assert f"subject=_Named('{'x' * MAX_REPR_TEXT}...')" in repr(message)


# -- eval(repr(value)) rebuilds the value ----------------------------------------------------------


@given(addresses())
def test_an_address_repr_rebuilds_it(address: Address) -> None:
    text = repr(address)
    assert _call(text).func.id == address.kind  # type: ignore[attr-defined]
    assert eval(text, NAMES) == address


@settings(max_examples=50)
@given(st.lists(st.tuples(st.sampled_from(["To", "Cc", "Bcc"]), addresses()), max_size=4))
def test_a_recipients_repr_rebuilds_it(pairs: list[tuple[Any, Address]]) -> None:
    recipients = Recipients.of_groups([(kind, [address]) for kind, address in pairs])
    assert eval(repr(recipients), NAMES) == recipients


@given(statuses())
def test_a_status_repr_rebuilds_it(status: Status) -> None:
    assert eval(repr(status), NAMES) == status


@given(durations(), st.integers(1, 10**6) | st.none())
def test_value_reprs_name_only_what_is_set(duration: Duration, size: int | None) -> None:
    charging = ReplyCharging(size, duration)
    assert eval(repr(charging), NAMES) == charging
    assert "=None" not in repr(charging) and "=0," not in repr(duration)
    capabilities = UACapabilities("http://example.com/ua.xml", datetime(2026, 1, 2, 3, 4))
    assert eval(repr(capabilities), NAMES) == capabilities


def test_address_constructors_and_str() -> None:
    assert Number("15553199144") == Address("15553199144")
    assert ShortCode("12345", display_only=True) == Address("12345", "ShortCode", True)
    assert RFC2822Address("a@example.com", id="a1") == Address(
        "a@example.com", "RFC2822Address", id="a1"
    )
    assert repr(Address("12345", "ShortCode", address_coding="obfuscated")) == (
        "ShortCode('12345', address_coding='obfuscated')"
    )
    assert str(Address("a@example.com", "RFC2822Address")) == "a@example.com"


def test_status_reads_as_code_and_text() -> None:
    assert repr(Status.of(1000)) == "Status(1000, 'Success')"
    assert repr(Status(1000)) == "Status(1000)"
    assert repr(Status(2002, None, "no such subscriber")) == (
        "Status(2002, None, 'no such subscriber')"
    )
    assert str(Status.of(1000)) == "1000 Success"
    assert str(Status.of(2002, details="no such subscriber")) == (
        "2002 Address Error (no such subscriber)"
    )


# -- str -------------------------------------------------------------------------------------------


@given(st.text(), st.text(), st.text())
def test_str_of_a_deviation_is_one_line(code: str, detail: str, where: str) -> None:
    text = str(Deviation(code, detail, where))
    assert len(text.splitlines()) == 1
    assert "\x1b" not in text and "\u202e" not in text


def test_str_of_a_deviation_says_code_place_and_detail() -> None:
    deviation = Deviation("bare-lf", "lines end with LF\nnot CRLF", "body")
    assert str(deviation) == "bare-lf at body: lines end with LF\\x0anot CRLF"
    assert str(Deviation("bare-lf", "lines end with LF")) == "bare-lf: lines end with LF"
    assert repr(Deviation("x", "y", status_code=4004)) == "Deviation('x', 'y', status_code=4004)"


def test_a_decoded_message_reads_compactly_and_as_the_cli_shows_it() -> None:
    sample = Path(mm7codec.__file__).with_name("samples") / "sloppy-mmsc.http"
    message = mm7codec.decode_http(sample.read_bytes())
    text = repr(message)
    assert text.startswith("DeliverReq(transaction_id='77001', version='6.3.0', ")
    assert "sender=Number('+8613800000000')" in text
    assert "deviation" not in text and "=None" not in text
    assert str(message) == render_text(message)
    assert str(message).splitlines()[0].startswith("DeliverReq  MM7Version 6.3.0")
    for deviation in message.deviations:
        assert f"    - {deviation}" in str(message).splitlines()


def test_parts_of_unknown_size_read_without_raising(tmp_path: Path) -> None:
    """A file part whose file is gone, and a stream part: no size shown, nothing raised."""
    gone = tmp_path / "photo.gif"
    gone.write_bytes(b"GIF89a")
    parts = [
        Part.from_path(gone, "image/gif"),
        Part.from_file(io.BytesIO(b"GIF89a"), "image/gif", content_id="stream"),
    ]
    message = mm7codec.SubmitReq(
        recipients=Recipients(["15551234567"]), content=Part.multipart(parts, "mixed")
    )
    gone.unlink()
    tree = [line.strip() for line in str(message).splitlines() if line.strip().startswith("- ")]
    assert tree[1:] == ["- image/gif 'photo.gif'", "- image/gif <stream>"]
    assert repr(message.content.parts[0]) == "Part('image/gif')"  # no size, and no error


def test_a_subclass_keeps_its_own_repr() -> None:
    class Logged(mm7codec.SubmitRsp):
        def __repr__(self) -> str:
            return f"Logged {self.message_id}"

    assert repr(Logged(message_id="m1")) == "Logged m1"
    assert repr(dataclasses.dataclass(frozen=True)(Logged)(message_id="m2")) == "Logged m2"


# -- help() ----------------------------------------------------------------------------------------

_ENTRY = re.compile(r"^(\w+) : (.+)\n((?:    .+\n)+)", re.MULTILINE)


def _entries(cls: type[Message]) -> dict[str, tuple[str, str]]:
    """Field name -> (type, text with its line breaks undone) from the class docstring."""
    doc = cls.__doc__ or ""
    return {
        name: (kind, " ".join(line.strip() for line in text.splitlines()))
        for name, kind, text in _ENTRY.findall(doc)
    }


@functools.cache
def _fields_by_version(cls: type[Message]) -> dict[str, dict[str, mm7codec.FieldInfo]]:
    """Version -> the fields its schema has, by name, for every supported version with the
    class, as ``fields()`` says."""
    return {
        str(version): {info.name: info for info in mm7codec.fields(cls, version)}
        for version in mm7codec.SUPPORTED_VERSIONS
        if cls in mm7codec.message_types(version)
    }


def _versions_having(cls: type[Message], field: str) -> list[str]:
    return [version for version, names in _fields_by_version(cls).items() if field in names]


def _tail(version: str) -> str:
    return (mm7codec.MM7Version.parse(version).namespace or "").rsplit("/", 1)[-1]


def test_every_element_of_every_message_has_a_one_sentence_description() -> None:
    for spec in SPEC.messages.values():
        for element in spec.elements:
            for member in (element, *element.children):
                text = member.description
                assert text.endswith(".") and ". " not in text, (spec.name, member.element)
    assert SPEC.descriptions["TransactionID"]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_field_is_documented_with_type_and_versions(cls: type[Message]) -> None:
    entries = _entries(cls)
    assert next(iter(entries)) == "transaction_id"
    assert set(entries) == {field.name for field in dataclasses.fields(cls)}
    for field in dataclasses.fields(cls):
        assert entries[field.name][0] == str(field.type)
    if cls is Fault:
        return
    by_version = _fields_by_version(cls).values()
    latest = {name: info for infos in by_version for name, info in infos.items()}
    for info in latest.values():
        if info.name == "version":
            continue
        text = entries[info.name][1]
        assert text.startswith(info.element), text
        assert ("required" if info.required else "optional") in text
        assert info.description and text.endswith(info.description)
        having = _versions_having(cls, info.name)
        first, last = having[0], having[-1]
        if last == str(mm7codec.SUPPORTED_VERSIONS[-1]):
            assert f"since {first} ({_tail(first)})" in text
        else:
            assert f"{first} to {last} ({_tail(first)} to {_tail(last)})" in text


def test_help_shows_the_field_documentation() -> None:
    shown = pydoc.render_doc(mm7codec.ReadReplyReq, renderer=pydoc.plaintext)
    assert "mm_status : ReadStatus | UnknownValue" in shown
    assert "read status" in shown
    assert "The read report of a message" in shown
    documented = _entries(mm7codec.DeliveryReportReq)["mm_status"][1]
    assert "delivery status" in documented
    assert "REL-5-MM7-1-0" in _entries(mm7codec.SubmitReq)["distribution_indicator"][1]
    assert "DistributionProtection" in _entries(mm7codec.SubmitReq)["distribution_indicator"][1]
    assert _entries(mm7codec.DeliverRsp)["service_code"][1].startswith(
        "ServiceCode, optional, since 5.4.0 (REL-5-MM7-1-1)."
    )
    summary = (mm7codec.DeliverRsp.__doc__ or "").splitlines()[0]
    assert summary == "The answer to a DeliverReq (VASP -> R/S)."
