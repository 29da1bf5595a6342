"""MIME layer: transfer encodings, header parameters, and chunking invariance."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import tomllib

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec._mime.headers import decode_words, parse_content_type
from mm7codec._mime.parser import MultipartParser
from mm7codec._mime.transfer import (
    Base64Decoder,
    QuotedPrintableDecoder,
    base64_encoded_length,
    encode_base64,
    encode_quoted_printable,
)
from mm7codec.strategies import messages, parts

from .conftest import VECTORS


def _split_feed(
    decoder: Base64Decoder | QuotedPrintableDecoder, data: bytes, cuts: list[int]
) -> bytes:
    out = []
    previous = 0
    for cut in [*sorted(cuts), len(data)]:
        piece = data[previous:cut]
        out.extend(bytes(chunk) for chunk in decoder.decode(piece, 0, len(piece)))
        previous = cut
    notes: list[str] = []
    out.append(decoder.finish(lambda code, _detail: notes.append(code)))
    assert notes == []
    return b"".join(out)


@given(st.binary(max_size=12000), st.lists(st.integers(0, 17000), max_size=6))
def test_base64_round_trips_in_any_chunking(data: bytes, cuts: list[int]) -> None:
    encoded = encode_base64(data)
    # The standard library's MIME base64, with CRLF line ends, is the exact expected form.
    assert encoded == base64.encodebytes(data).replace(b"\n", b"\r\n")
    assert len(encoded) == base64_encoded_length(len(data))
    assert all(len(line) <= 76 for line in encoded.split(b"\r\n"))
    cuts = [c % (len(encoded) + 1) for c in cuts]
    assert _split_feed(Base64Decoder(), encoded, cuts) == data


@given(st.binary(max_size=3000), st.lists(st.integers(0, 9000), max_size=6))
def test_quoted_printable_round_trips_in_any_chunking(data: bytes, cuts: list[int]) -> None:
    encoded = encode_quoted_printable(data)
    assert all(len(line) <= 76 for line in encoded.split(b"\r\n"))
    cuts = [c % (len(encoded) + 1) for c in cuts]
    assert _split_feed(QuotedPrintableDecoder(), encoded, cuts) == data


@given(st.binary(min_size=1, max_size=500))
def test_identity_encodings_round_trip_arbitrary_bytes(data: bytes) -> None:
    for transfer in ("binary", "8bit"):
        part = mm7codec.Part.from_bytes(
            data, "application/octet-stream", transfer_encoding=transfer
        )
        message = mm7codec.SubmitReq(
            recipients=mm7codec.Recipients(to=["15553199144"]), content=part
        )
        try:
            content_type, body = mm7codec.encode(message)
        except mm7codec.EncodeError:
            assert b"--=_mm7codec_" in data  # only a boundary collision may refuse it
            continue
        decoded = mm7codec.decode(body, content_type, strict=True)
        assert decoded.content.body == data  # type: ignore[attr-defined]


def test_base64_lenient_reading() -> None:
    notes: list[str] = []
    decoder = Base64Decoder()
    raw = base64.b64encode(b"hello world") + b"\n\n  QUJD\tRA"
    out = b"".join(decoder.decode(raw, 0, len(raw))) + decoder.finish(lambda c, _d: notes.append(c))
    assert out == b"hello worldABCD"
    assert notes == ["base64-data-after-padding", "truncated-base64"]
    notes.clear()
    decoder = Base64Decoder()
    out = b"".join(decoder.decode(b"aGVs*bG8=", 0, 9)) + decoder.finish(
        lambda c, _d: notes.append(c)
    )
    assert notes == ["invalid-base64"]


def test_content_type_parameters() -> None:
    media, params = parse_content_type(
        'Multipart/Related; Type="text/xml"; start="<a b>"; boundary=plain; '
        'name*0*=utf-8\'\'%E2%82%AC; name*1="-1.txt"; title="say \\"hi\\""'
    )
    assert media == "multipart/related"
    assert params == {
        "type": "text/xml",
        "start": "<a b>",
        "boundary": "plain",
        "name": "€-1.txt",
        "title": 'say "hi"',
    }
    assert decode_words("=?utf-8?Q?caf=C3=A9?= =?utf-8?B?LmpwZw==?=") == "café.jpg"
    assert decode_words("plain") == "plain"


def _mime_vectors() -> list[tuple[str, bytes, str]]:
    found = []
    for path in sorted((VECTORS / "mime").glob("*.toml")):
        with path.open("rb") as handle:
            spec = tomllib.load(handle)
        if spec["content_type"] != "http" and "error" not in spec:
            found.append((path.stem, path.with_suffix(".wire").read_bytes(), spec["content_type"]))
    return found


MIME_VECTORS = _mime_vectors()


@pytest.mark.parametrize(
    ("name", "data", "content_type"), MIME_VECTORS, ids=[v[0] for v in MIME_VECTORS]
)
def test_every_two_way_split_gives_the_same_message(
    name: str, data: bytes, content_type: str
) -> None:
    whole = mm7codec.decode(data, content_type)
    for cut in range(len(data) + 1):
        decoder = mm7codec.Decoder(content_type)
        decoder.feed(data[:cut])
        decoder.feed(data[cut:])
        message = decoder.close()
        assert message == whole, cut
        assert message.deviations == whole.deviations, cut


@settings(max_examples=150)
@given(messages(content=True), st.data())
def test_decoding_is_invariant_under_chunking(
    message: mm7codec.Message, data: st.DataObject
) -> None:
    content_type, body = mm7codec.encode(message)
    whole = mm7codec.decode(body, content_type)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=12)))
    decoder = mm7codec.Decoder(content_type)
    previous = 0
    for cut in [*cuts, len(body)]:
        decoder.feed(body[previous:cut])
        previous = cut
    assert decoder.close() == whole == message


@settings(max_examples=10)
@given(messages(version="6.8.0", message_type="DeliverReq"))
def test_one_byte_at_a_time(message: mm7codec.Message) -> None:
    content_type, body = mm7codec.encode(message)
    decoder = mm7codec.Decoder(content_type)
    for index in range(len(body)):
        decoder.feed(body[index : index + 1])
    assert decoder.close() == message


@settings(max_examples=100)
@given(parts(max_depth=4))
def test_any_content_tree_round_trips(content: mm7codec.Part) -> None:
    top = dataclasses.replace(content, content_id="top")
    message = mm7codec.DeliverReq(sender=mm7codec.Address("15553199144"), content=top)
    content_type, body = mm7codec.encode(message)
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert decoded.content == top  # type: ignore[attr-defined]
    for original, received in zip(top.walk(), decoded.content.walk(), strict=True):  # type: ignore[attr-defined]
        assert original.body == received.body


def test_missing_content_id_is_generated_and_referenced() -> None:
    part = mm7codec.Part.from_bytes(b"\x89PNG", "image/png")
    message = mm7codec.SubmitReq(recipients=mm7codec.Recipients(to=["15553199144"]), content=part)
    content_type, body = mm7codec.encode(message)
    assert 'type="text/xml"' in content_type and "start=" in content_type
    decoded = mm7codec.decode(body, content_type, strict=True)
    generated = decoded.content.content_id  # type: ignore[attr-defined]
    assert generated and f'href="cid:{generated}"'.encode() in body
    assert mm7codec.encode(message) == (content_type, body)  # deterministic


def test_text_part_goes_7bit_or_quoted_printable() -> None:
    ascii_part = mm7codec.Part.from_text("plain text\r\nline two")
    utf8_part = mm7codec.Part.from_text("caf\u00e9 \u20ac")
    for part, transfer in ((ascii_part, b"7bit"), (utf8_part, b"quoted-printable")):
        message = mm7codec.SubmitReq(
            recipients=mm7codec.Recipients(to=["15550000001"]), content=part
        )
        content_type, body = mm7codec.encode(message)
        assert b"Content-Transfer-Encoding: " + transfer in body
        decoded = mm7codec.decode(body, content_type, strict=True)
        assert decoded.content.text == part.text  # type: ignore[attr-defined]


def test_text_accessor_reports_unknown_charset() -> None:
    part = mm7codec.Part.from_bytes(b"abc", "text/plain", params={"charset": "x-nonsense"})
    with pytest.raises(mm7codec.DecodeError, match="x-nonsense"):
        _ = part.text
    assert part.body == b"abc"


def test_encoded_words_with_unusable_charsets_fall_back_to_latin1() -> None:
    # The payload decodes; a charset name Python cannot use (NUL bytes, unknown) gives Latin-1.
    assert decode_words("=?\xff\x00utf-8?B?w7l0?=") == "\xc3\xb9t"
    assert decode_words("=?x-unknown?Q?abc?=") == "abc"
    assert decode_words("=?utf-8?B?w7l0w6k=?= broken =?utf-8?B?%%%?=")


def test_rfc2231_parameter_with_unusable_charset_falls_back_to_latin1() -> None:
    _, params = parse_content_type("image/jpeg; name*0*=utf-8\x00\x00''caf%C3%A9; name*1=\".jpg\"")
    assert params["name"] == "caf\xc3\xa9.jpg"


@pytest.mark.parametrize("line_length", [76, 72, 64, 4, 1000])
@pytest.mark.parametrize("stray", [None, b"*", b"\x00", b" "])
def test_base64_fast_and_careful_paths_agree(line_length: int, stray: bytes | None) -> None:
    data = bytes(range(256)) * 40
    encoded = base64.b64encode(data)
    wrapped = b"\r\n".join(
        encoded[i : i + line_length] for i in range(0, len(encoded), line_length)
    )
    if stray is not None:
        wrapped = wrapped[:500] + stray + wrapped[500:]
    for chunk in (len(wrapped), 65536, 1000, 77, 1):
        pieces = [wrapped[i : i + chunk] for i in range(0, len(wrapped), chunk)]
        out, notes = _decode_pieces(Base64Decoder(), pieces)
        assert out == data, (chunk, notes)
        assert notes == ([] if stray in (None, b" ") else ["invalid-base64"]), chunk


_A76 = b"A" * 76


@pytest.mark.parametrize(
    ("body", "codes"),
    [
        (_A76 + b"\r=" + _A76 + b"\r\n", ["base64-data-after-padding"]),
        (_A76 + b"\r*" + _A76 + b"\r\n", ["invalid-base64"]),
        (_A76 + b"\r\n" + _A76 + b"*\n" + _A76 + b"\r\n", ["invalid-base64"]),
        (
            _A76 + b"\r\nQQ=" + b"A" * 74 + b"\n" + _A76 + b"\r\n",
            ["base64-data-after-padding", "truncated-base64"],
        ),
    ],
)
def test_a_line_break_byte_replaced_is_seen_however_the_body_is_cut(
    body: bytes, codes: list[str]
) -> None:
    """Lines of the regular length whose CR or LF became a stray byte or "=": the fast path
    once took them (a2b_base64 skips such bytes unsaid, and the length still added up), so
    the whole body was silent where any cut of it was not."""
    whole = _decode_pieces(Base64Decoder(), [body])
    assert whole[1] == codes
    for cut in range(1, len(body)):
        assert _decode_pieces(Base64Decoder(), [body[:cut], body[cut:]]) == whole, cut


def _decode_pieces(decoder: Base64Decoder, pieces: list[bytes]) -> tuple[bytes, list[str]]:
    notes: list[str] = []
    out = [bytes(c) for piece in pieces for c in decoder.decode(piece, 0, len(piece))]
    out.append(decoder.finish(lambda code, _detail: notes.append(code)))
    return b"".join(out), notes


def test_rfc2231_value_with_non_latin1_characters() -> None:
    _, params = parse_content_type("image/jpeg; name*=utf-8''caf%C3%A9\u063e.jpg")
    assert params["name"] == "caf\u00e9\u063e.jpg"


def test_rfc2231_section_numbers_must_be_ascii_digits() -> None:
    _, params = parse_content_type("image/gif; name*\u00b3=b; name*0=a")
    assert params["name"] in ("ab", "ba")


@given(
    st.binary(min_size=200, max_size=4000),  # long enough for regular lines after the first
    st.integers(0, 150),
    st.lists(st.integers(0, 6000), max_size=6),
    st.booleans(),
)
def test_base64_with_an_odd_first_line_then_regular_lines(
    data: bytes, first: int, cuts: list[int], cut_after_first_line: bool
) -> None:
    """A first line whose length is no multiple of 4 leaves characters pending before the
    regular lines that follow; they must still decode in order, however the body is cut."""
    characters = binascii.b2a_base64(data, newline=False)
    first = min(first, len(characters))
    rest = characters[first:]
    lines = [characters[:first], *(rest[i : i + 76] for i in range(0, len(rest), 76))]
    encoded = b"\r\n".join(lines) + b"\r\n"
    cuts = [c % (len(encoded) + 1) for c in cuts]
    if cut_after_first_line:
        cuts.append(len(lines[0]) + 2)
    assert _split_feed(Base64Decoder(), encoded, cuts) == data


# Header lines of every shape the two header readers tell apart: usual ones, names with odd
# characters or spaces before the colon, folded lines, lines with no colon, non-ASCII text.
_HEADER_LINES = st.lists(
    st.one_of(
        st.from_regex(r"[A-Za-z-]{1,12}: ?[!-~ ]{0,20}", fullmatch=True),
        st.from_regex(r"[!-~ \t\x7f\xe9]{0,8}[ \t]*:[^\r\n\ud800-\udfff]{0,12}", fullmatch=True),
        st.from_regex(r"[ \t]+[!-~ ]{0,12}", fullmatch=True),
        # A folded line that reads like a header of its own once its blank is cut.
        st.from_regex(r"[ \t]+[A-Za-z-]{1,8}[ \t]*: ?[!-~ ]{0,10}", fullmatch=True),
        st.text(st.characters(blacklist_characters="\r\n", codec="utf-8"), max_size=12),
    ),
    min_size=1,
    max_size=5,
)


def _read_headers(
    body: bytes, pieces: list[bytes], limits: mm7codec.Limits = mm7codec.DEFAULT_LIMITS
) -> tuple[object, ...]:
    """What the multipart parser reports, fed ``pieces`` of ``body``: the headers of each part
    and every deviation, or the error."""

    class Sink:
        def __init__(self) -> None:
            self.headers: list[list[tuple[str, str]]] = []

        def begin(self, headers: list[tuple[str, str]]) -> None:
            self.headers.append(list(headers))

        def data(self, buffer: bytes, start: int, end: int) -> None:
            pass

        def end(self) -> None:
            pass

    sink = Sink()
    reports: list[tuple[str, str]] = []
    parser = MultipartParser("b", sink, limits, lambda code, detail: reports.append((code, detail)))
    try:
        for piece in pieces:
            parser.feed(piece)
        parser.close()
    except mm7codec.MM7Error as error:
        return ("error", str(error), sink.headers, reports)
    return (sink.headers, reports)


@given(
    st.lists(st.sampled_from([b"\r", b"\n", b"\r\n", b"a"]), max_size=40).map(b"".join),
    st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=12),
)
@example(b"\r\n\r\n", [(0, 2), (0, 4)])  # the second search goes on where the first stopped
def test_blank_line_searches_give_what_find_gives(
    data: bytes, queries: list[tuple[int, int]]
) -> None:
    """The parser's blank-line search reuses what its last search found: in any order of
    searches, each gives what a search of its own would."""
    parser = MultipartParser("b", _NoSink(), mm7codec.DEFAULT_LIMITS, lambda code, detail: None)
    parser._buffer = data
    for start, stop in queries:
        assert parser._blank_line(start, stop) == data.find(b"\r\n\r\n", start, stop)


class _NoSink:
    def begin(self, headers: list[tuple[str, str]]) -> None:
        pass

    def data(self, buffer: bytes, start: int, end: int) -> None:
        pass

    def end(self) -> None:
        pass


@given(_HEADER_LINES, st.sampled_from([mm7codec.DEFAULT_LIMITS.max_header_line, 12, 24, 40]))
def test_a_header_block_reads_alike_whole_and_line_by_line(
    lines: list[str], max_header_line: int
) -> None:
    # Fed whole, a complete header block is split in one go; fed a byte at a time, each line
    # is read as it arrives. The two must agree on every block, odd or not, and on where a
    # line, or a field folded over lines, is too long.
    limits = mm7codec.Limits(max_header_line=max_header_line)
    body = b"--b\r\n" + "\r\n".join(lines).encode("utf-8") + b"\r\n\r\nbody\r\n--b--\r\n"
    whole = _read_headers(body, [body], limits)
    by_byte = _read_headers(body, [body[i : i + 1] for i in range(len(body))], limits)
    assert whole == by_byte
