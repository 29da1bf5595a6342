"""``decode()`` reads a whole multipart body in one pass (``_whole_body``) when it is as usual,
and through the push parser otherwise: the two give the same message, part by part, with the
same deviations, or the same error.

The push parser is the reference: a ``Decoder`` fed the body reads it (``spool=False``, as
``decode`` keeps parts in memory). Inputs are generated wire messages (clean, and in the
dialects peers write) and the same damaged in the ways that must send the one-pass reader
back to the push parser.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable
from functools import partial
from random import Random
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec import strategies
from mm7codec._limits import DEFAULT_LIMITS
from mm7codec._mime.headers import parse_content_type
from mm7codec._mime.parser import MultipartParser
from mm7codec._mime.transfer import Base64Decoder
from mm7codec._parts import BytesBody, Headers, Part, decoded_part
from mm7codec._soap_encode import encode_envelope
from mm7codec._whole_body import read_whole_body, split_whole


def _outcome(read: Callable[[], mm7codec.Message]) -> object:
    """Every field of the message (with types and reprs), every part with what ``Part``
    equality leaves out (headers, the kind of body), or the error."""
    try:
        message = read()
    except mm7codec.MM7Error as error:
        return ("error", type(error).__name__, str(error), error.where, error.status_code)
    values = [getattr(message, name) for name in message.__dataclass_fields__]
    content = getattr(message, "content", None)
    parts = [
        (
            part.content_type,
            dict(part.params),
            part.content_id,
            part.content_location,
            part.headers.items_in_order(),
            type(part.source),
            part.body,
            part.transfer_encoding,
        )
        for part in ([] if content is None else content.walk())
    ]
    return type(message), [(type(value), value, repr(value)) for value in values], parts


def _pushed(
    body: bytes, content_type: str, strict: bool, limits: mm7codec.Limits
) -> mm7codec.Message:
    decoder = mm7codec.Decoder(content_type, strict=strict, limits=limits, spool=False)
    decoder.feed(body)
    return decoder.close()


def _compare(body: bytes, content_type: str, limits: mm7codec.Limits = DEFAULT_LIMITS) -> None:
    for strict in (False, True):
        whole = _outcome(partial(mm7codec.decode, body, content_type, strict=strict, limits=limits))
        pushed = _outcome(partial(_pushed, body, content_type, strict, limits))
        assert whole == pushed


def _boundary(content_type: str) -> str:
    return parse_content_type(content_type)[1].get("boundary", "")


#: The messages that carry content, so are sent as multiparts.
CARRYING_CONTENT = st.sampled_from(["SubmitReq", "DeliverReq", "ReplaceReq"])
#: Such a message with content, always: a content tree of up to three levels put in (the
#: message strategy leaves content out of some, which a filter would throw away).
WITH_CONTENT = st.builds(
    lambda message, content: dataclasses.replace(message, content=content),
    CARRYING_CONTENT.flatmap(lambda name: strategies.messages(message_type=name, content=True)),
    strategies.parts(max_depth=3),
)


@settings(max_examples=150)
@given(WITH_CONTENT)
def test_written_messages_take_the_one_pass_reader(message: mm7codec.Message) -> None:
    """Whatever the encoder writes is as usual: the one-pass reader reads it (so the
    comparisons below compare two readers, not one with itself)."""
    content_type, body = mm7codec.encode(message)
    parts = read_whole_body(body, _boundary(content_type), DEFAULT_LIMITS)
    assert parts is not None
    _compare(body, content_type)


@settings(max_examples=150)
@given(CARRYING_CONTENT.flatmap(lambda name: strategies.wire_messages(message_type=name)))
def test_messages_in_every_dialect_read_alike(wire: strategies.WireMessage) -> None:
    _compare(wire.body, wire.content_type)


def _replace_one(pattern: bytes, make: Callable[[re.Match[bytes]], bytes]) -> Damage:
    """A damage that rewrites one (randomly chosen) match of ``pattern``."""

    def damage(body: bytes, boundary: bytes, random: Random) -> bytes:
        matches = list(re.finditer(pattern.replace(b"BOUNDARY", re.escape(boundary)), body))
        if not matches:
            return body
        match = random.choice(matches)
        return body[: match.start()] + make(match) + body[match.end() :]

    return damage


Damage = Callable[[bytes, bytes, Random], bytes]

#: Each is something the push parser reports, refuses or reads in its own way.
DAMAGES: dict[str, Damage] = {
    "folded header": _replace_one(rb"\r\nContent-ID:", lambda m: b"\r\nContent-ID:\r\n "),
    "bare LF": _replace_one(rb"\r\n", lambda m: b"\n"),
    "bare CR": _replace_one(rb"\r\n", lambda m: b"\r\r\n"),
    "padded delimiter": _replace_one(rb"--BOUNDARY\r\n", lambda m: m[0][:-2] + b" \t\r\n"),
    "junk after delimiter": _replace_one(rb"--BOUNDARY\r\n", lambda m: m[0][:-2] + b"x\r\n"),
    "boundary-like line": _replace_one(rb"--BOUNDARY\r\n", lambda m: m[0][:-2] + b"-x\r\n"),
    "repeated header": _replace_one(rb"\r\nContent-Type: [^\r]*", lambda m: m[0] + m[0]),
    "repeated other header": _replace_one(
        rb"\r\nContent-ID: ", lambda m: b"\r\nX-A: 1\r\nx-a: 2" + m[0]
    ),
    "odd transfer encoding": _replace_one(
        rb"Transfer-Encoding: [a-z0-9-]+", lambda m: b"Transfer-Encoding: x-odd"
    ),
    "base64 multipart": _replace_one(
        rb"(Content-Type: multipart/[^\r]*)",
        lambda m: m[0] + b"\r\nContent-Transfer-Encoding: base64",
    ),
    "unbracketed Content-ID": _replace_one(
        rb"Content-ID: <([^>\r]*)>", lambda m: b"Content-ID: " + m[1]
    ),
    "encoded location": _replace_one(
        rb"\r\nContent-ID: ", lambda m: b"\r\nContent-Location: =?utf-8?q?a=0Ab?=" + m[0]
    ),
    "plain location": _replace_one(
        rb"\r\nContent-ID: ", lambda m: b"\r\nContent-Location: a.jpg" + m[0]
    ),
    "odd content type": _replace_one(
        rb"Content-Type: [a-z]+/[a-z0-9.+-]+", lambda m: b"Content-Type: odd"
    ),
    "empty parameter": _replace_one(rb"Content-Type: [^\r]*", lambda m: m[0] + b";"),
    "no headers": _replace_one(
        rb"--BOUNDARY\r\n(?:[^\r]+\r\n)+\r\n", lambda m: m[0].split(b"\r\n", 1)[0] + b"\r\n\r\n"
    ),
    "no blank line": _replace_one(rb"\r\n\r\n", lambda m: b"\r\n"),
    "Latin-1 header": _replace_one(rb"\r\nContent-ID: ", lambda m: b"\r\nX-Name: caf\xe9" + m[0]),
    "space in a name": _replace_one(rb"\r\nContent-ID: ", lambda m: b"\r\nX Name: 1" + m[0]),
    "long boundary": lambda body, boundary, random: body.replace(boundary, boundary + b"x" * 50),
    "preamble": lambda body, boundary, random: b"a preamble\r\n" + body,
    "epilogue": lambda body, boundary, random: body + b"an epilogue\r\n",
    "no closing delimiter": _replace_one(rb"--BOUNDARY--", lambda m: m[0][:-2]),
    "closing delimiter first": _replace_one(rb"--BOUNDARY\r\n", lambda m: m[0][:-2] + b"--\r\n"),
    "empty body": _replace_one(rb"\r\n\r\n[^\r]*\r\n--", lambda m: b"\r\n\r\n--"),
    "truncated": lambda body, boundary, random: body[: random.randrange(len(body) + 1)],
    "byte flipped": lambda body, boundary, random: _flip(body, random),
}


def _flip(body: bytes, random: Random) -> bytes:
    if not body:
        return body
    index = random.randrange(len(body))
    return body[:index] + bytes([body[index] ^ (1 << random.randrange(8))]) + body[index + 1 :]


@settings(max_examples=400)
@given(
    WITH_CONTENT,
    st.lists(st.sampled_from(sorted(DAMAGES)), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
def test_damaged_bodies_read_alike(
    message: mm7codec.Message, damages: list[str], random: Random
) -> None:
    content_type, body = mm7codec.encode(message)
    for name in damages:
        # Each level's boundary: the damage picks among the top one and the nested ones.
        boundaries = re.findall(rb'boundary="([^"]+)"', content_type.encode() + body)
        body = DAMAGES[name](body, random.choice(boundaries), random)
    _compare(body, content_type)


@settings(max_examples=150)
@given(
    WITH_CONTENT,
    st.sampled_from(
        [
            "max_part_count",
            "max_part_depth",
            "max_part_size",
            "max_header_count",
            "max_header_line",
            "max_boundary_length",
        ]
    ),
    st.integers(0, 8) | st.sampled_from([40, 100, 1000]),
)
def test_limits_bound_both_readers_alike(message: mm7codec.Message, limit: str, value: int) -> None:
    content_type, body = mm7codec.encode(message)
    limits = dataclasses.replace(DEFAULT_LIMITS, **{limit: value})
    _compare(body, content_type, limits)


def _nested(levels: int) -> tuple[str, bytes]:
    """A DeliverReq whose content is a text part inside ``levels`` nested multiparts, written
    by hand: the encoder refuses to nest deeper than the decoder's default allows."""
    message = mm7codec.DeliverReq(sender=mm7codec.Address("15553199144"))
    envelope = encode_envelope(message, "top")
    inner = b"Content-Type: text/plain\r\n\r\nhi"
    for level in range(levels, 0, -1):
        boundary = b"n%d" % level
        inner = (
            b"Content-Type: multipart/mixed; boundary=" + boundary + b"\r\n\r\n"
            b"--" + boundary + b"\r\n" + inner + b"\r\n--" + boundary + b"--"
        )
    body = (
        b"--B\r\nContent-Type: text/xml\r\nContent-ID: <soap>\r\n\r\n"
        + envelope
        + b"\r\n--B\r\nContent-ID: <top>\r\n"
        + inner
        + b"\r\n--B--\r\n"
    )
    return 'multipart/related; type="text/xml"; start="<soap>"; boundary="B"', body


def test_deep_nesting_is_left_to_the_push_parser() -> None:
    """Past the depth the one-pass reader reads (a max_part_depth raised that far), the push
    parser reads the body: where the interpreter's stack ends decides for both alike."""
    limits = dataclasses.replace(DEFAULT_LIMITS, max_part_depth=100)
    for levels in (3, 40):
        content_type, body = _nested(levels)
        parts = read_whole_body(body, _boundary(content_type), limits)
        assert (parts is None) == (levels > 30)
        _compare(body, content_type, limits)
        assert mm7codec.decode(body, content_type, limits=limits).deviations == ()


def test_a_memoryview_counts_its_bytes_against_max_total_size() -> None:
    content_type, body = _nested(1)
    wide = memoryview(body[: len(body) // 8 * 8]).cast("Q")  # 8 bytes an item
    limits = dataclasses.replace(DEFAULT_LIMITS, max_total_size=len(wide) * 2)
    with pytest.raises(mm7codec.LimitExceeded, match="max_total_size"):
        mm7codec.decode(wide, content_type, limits=limits)
    decoder = mm7codec.Decoder(content_type, limits=limits)
    with pytest.raises(mm7codec.LimitExceeded, match="max_total_size"):
        decoder.feed(wide)


def test_decode_reads_usual_bodies_in_one_pass() -> None:
    """``decode`` takes the one-pass reader for what the encoder writes, and the push parser
    only when given a spool directory (or when the one-pass reader declines)."""
    content_type, body = _nested(2)
    calls: list[object] = []

    def feed(self: object, data: object) -> None:
        calls.append(data)
        raise AssertionError("the push parser read a usual body")

    with mock.patch.object(MultipartParser, "feed", feed):
        assert mm7codec.decode(body, content_type).deviations == ()
    assert calls == []
    with mock.patch.object(MultipartParser, "feed", feed), pytest.raises(AssertionError):
        mm7codec.decode(body, content_type, spool_dir=tempfile.gettempdir())


def test_a_part_whose_headers_deviate_costs_no_decode_of_the_bodies_before_it() -> None:
    """Every header is read before any body: a text part with an unbracketed Content-ID after
    a base64 image sends the body to the push parser before the image is decoded, so it is
    decoded once, by the push parser."""
    image = mm7codec.Part.from_bytes(bytes(range(256)) * 40, "image/png", content_id="image")
    text = mm7codec.Part.from_text("after the image", content_id="text")
    content = mm7codec.Part.multipart([image, text], content_id="all")
    message = mm7codec.DeliverReq(sender=mm7codec.Address("15553199144"), content=content)
    content_type, body = mm7codec.encode(message)
    body = body.replace(b"Content-ID: <text>", b"Content-ID: text")
    decodes: list[int] = []
    original = Base64Decoder.decode

    def counted(self: Base64Decoder, buffer: bytes, start: int, end: int) -> object:
        decodes.append(end - start)
        return original(self, buffer, start, end)

    with mock.patch.object(Base64Decoder, "decode", counted):
        decoded = mm7codec.decode(body, content_type)
    assert [d.code for d in decoded.deviations] == ["content-id-without-brackets"]
    assert len(decodes) == 1


def test_the_nesting_limit_is_where_the_push_parser_has_it() -> None:
    content_type, body = _nested(3)
    for depth in (3, 4, 5):
        _compare(body, content_type, dataclasses.replace(DEFAULT_LIMITS, max_part_depth=depth))


def test_a_level_is_read_within_its_region_and_its_limits() -> None:
    body = b"--b\r\nX: y\r\n\r\nz\r\n--b--"
    assert split_whole(body, 0, len(body), "b", DEFAULT_LIMITS) is not None
    # The closing delimiter's dashes lie past the region's end: it is not closed.
    assert split_whole(body, 0, len(body) - 2, "b", DEFAULT_LIMITS) is None
    # A line of one CR after a delimiter is too long for max_header_line=0.
    zero = dataclasses.replace(DEFAULT_LIMITS, max_header_line=0)
    assert split_whole(body, 0, len(body), "b", zero) is None


def test_decoded_parts_are_what_the_constructor_makes() -> None:
    """Every field of ``Part`` is given and stored by ``decoded_part``, in order."""
    values = {
        "content_type": "image/png",
        "params": {"name": "a.png"},
        "content_id": "a",
        "content_location": "a.png",
        "headers": Headers([("Content-ID", "<a>")]),
        "parts": (),
        "source": BytesBody(b"png"),
    }
    assert list(Part.__dataclass_fields__) == [*values, "transfer_encoding"]
    made = Part(**values)  # type: ignore[arg-type]
    built = decoded_part(**values)  # type: ignore[arg-type]
    for field in Part.__dataclass_fields__:
        assert getattr(built, field) == getattr(made, field), field
        assert type(getattr(built, field)) is type(getattr(made, field)), field
