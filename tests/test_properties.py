"""Properties over every message type in every supported version (Hypothesis)."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec._lexical import escape_attribute, escape_text
from mm7codec._spec import SPEC
from mm7codec.strategies import messages

SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"


def _schema(version: str) -> int:
    namespace = mm7codec.MM7Version.parse(version).namespace
    assert namespace is not None
    index = SPEC.namespace_index(namespace)
    assert index is not None
    return index


CASES = [
    (str(version), name)
    for version in mm7codec.SUPPORTED_VERSIONS
    for name in [*SPEC.messages, "Fault"]
    if name == "Fault" or SPEC.messages[name].since <= _schema(str(version))
]


def _soap_bytes(content_type: str, body: bytes) -> bytes:
    """The SOAP envelope of an encoded body (the root part of a multipart)."""
    if content_type.startswith("text/xml"):
        return body
    start = body.index(b"\r\n\r\n") + 4
    return body[start : body.index(b"\r\n--", start)]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_schema_order(message: mm7codec.Message, envelope: bytes) -> None:
    """The encoder emits only elements of the message's schema, in schema order."""
    root = ElementTree.fromstring(envelope)
    body = root.find(f"{SOAP}Body")
    assert body is not None
    entry = body[0]
    if isinstance(message, mm7codec.Fault):
        detail = entry.find("detail")
        if detail is None:
            return
        entry = detail[0]
        message = message.detail  # type: ignore[assignment]
    assert entry.tag == f"{{{message.namespace}}}{type(message).__name__}"
    allowed = [
        e.element for e in SPEC.messages[type(message).__name__].in_schema(_schema(message.version))
    ]
    positions = [allowed.index(_local(child.tag)) for child in entry]
    assert positions == sorted(positions)
    assert all(child.tag.startswith(f"{{{message.namespace}}}") for child in entry)


@pytest.mark.parametrize(("version", "name"), CASES)
@settings(max_examples=12)
@given(data=st.data())
def test_round_trip_every_type_every_version(version: str, name: str, data: st.DataObject) -> None:
    message = data.draw(messages(version, name))
    content_type, body = mm7codec.encode(message)
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert decoded == message
    assert decoded.deviations == ()
    assert type(decoded) is type(message)
    assert mm7codec.encode(decoded) == (content_type, body)
    _check_schema_order(message, _soap_bytes(content_type, body))


@settings(max_examples=300)
@given(messages())
def test_streaming_encode_matches_and_announces_length(message: mm7codec.Message) -> None:
    encoded = mm7codec.encode_stream(message)
    body = b"".join(encoded.chunks())
    assert (encoded.content_type, body) == mm7codec.encode(message)
    assert encoded.content_length == len(body)


@settings(max_examples=300)
@given(st.binary(max_size=2000), st.sampled_from(["text/xml", 'multipart/related; boundary="b"']))
def test_any_bytes_decode_or_raise_our_error(data: bytes, content_type: str) -> None:
    try:
        result = mm7codec.decode(data, content_type)
    except mm7codec.MM7Error:
        return
    assert isinstance(result, mm7codec.Message)


@settings(max_examples=300)
@given(messages(), st.data())
def test_mutated_wire_decodes_or_raises_our_error(
    message: mm7codec.Message, data: st.DataObject
) -> None:
    content_type, body = mm7codec.encode(message)
    mutated = bytearray(body)
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        where = data.draw(st.integers(0, max(len(mutated) - 1, 0)))
        if action == "flip" and mutated:
            mutated[where] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "insert":
            mutated[where:where] = data.draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del mutated[where : where + data.draw(st.integers(1, 16))]
        else:
            del mutated[where:]
    try:
        result = mm7codec.decode(bytes(mutated), content_type)
    except mm7codec.MM7Error:
        return
    assert isinstance(result, mm7codec.Message)
    for value in _reported_text(result):
        assert _present(value, bytes(mutated)), value


def _reported_text(value: object) -> Iterator[str]:
    """Every text value a decoded message reports (enumeration-like names excluded)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, mm7codec.Part):
        if value.content_id:
            yield value.content_id
        for child in value.parts:
            yield from _reported_text(child)
    elif isinstance(value, tuple):
        for item in value:
            yield from _reported_text(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, mm7codec.Deviation):
        for field in dataclasses.fields(value):
            if field.name not in ("kind", "deviations", "namespace"):
                yield from _reported_text(getattr(value, field.name))


def _present(value: str, data: bytes) -> bool:
    """Whether the input carries ``value``, as is or in its XML-escaped form, in UTF-8 or (a
    MIME header that is not UTF-8) Latin-1, white space aside: readers make spaces of line
    breaks and tabs where the formats say so (XML attribute values, folded MIME headers, a
    stray CR in a header line)."""
    spaced = _WHITE_SPACE_RUN.sub(b" ", data)
    for candidate in {value, escape_text(value), escape_attribute(value)}:
        for encoding in ("utf-8", "latin-1"):
            try:
                encoded = candidate.encode(encoding)
            except UnicodeEncodeError:
                continue
            if _WHITE_SPACE_RUN.sub(b" ", encoded) in spaced:
                return True
    return False


_WHITE_SPACE_RUN = re.compile(rb"\s+")


def test_cases_cover_every_message_type_and_version() -> None:
    names = {name for _, name in CASES}
    assert names == {*SPEC.messages, "Fault"}
    assert {version for version, _ in CASES} == {str(v) for v in mm7codec.SUPPORTED_VERSIONS}
    # Release 6 operations only appear with Release 6 versions.
    assert ("5.3.0", "extendedCancelReq") not in CASES
    assert ("6.8.0", "extendedCancelReq") in CASES
