"""Hostile transfer encodings: linear time on every shape, bounded memory when streamed, and
quoted-printable that our own strict decoder reads back exactly.

Each complexity check decodes one part of an adversarial shape at n and 8n bytes, one-shot
through ``mm7codec.decode`` and streamed through ``mm7codec.Decoder`` in small and large
chunks, and compares the times (``tests/complexity.py``).
"""

from __future__ import annotations

import base64
import binascii
import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import mm7codec
from mm7codec._mime.transfer import (
    Base64Decoder,
    QuotedPrintableDecoder,
    encode_quoted_printable,
)

from .complexity import assert_linear

KIB = 1024
MIB = 1024 * KIB

_SOAP = (
    b'<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<env:Header><mm7:TransactionID xmlns:mm7="
    b'"http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">t-1'
    b"</mm7:TransactionID></env:Header><env:Body><DeliverReq xmlns="
    b'"http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">'
    b"<MM7Version>6.8.0</MM7Version><Sender><Number>15553199144</Number></Sender>"
    b'<Content href="cid:payload"/></DeliverReq></env:Body></env:Envelope>'
)
_CONTENT_TYPE = 'multipart/related; type="text/xml"; start="<soap>"; boundary="b1"'


def _wire(transfer: str, payload: bytes) -> bytes:
    """A DeliverReq whose one content part carries ``payload`` under ``transfer``."""
    return (
        b"--b1\r\nContent-Type: text/xml\r\nContent-ID: <soap>\r\n\r\n"
        + _SOAP
        + b"\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-ID: <payload>\r\n"
        + b"Content-Transfer-Encoding: "
        + transfer.encode()
        + b"\r\n\r\n"
        + payload
        + b"\r\n--b1--\r\n"
    )


def _body(message: mm7codec.Message) -> bytes:
    content = message.content  # type: ignore[attr-defined]
    assert isinstance(content, mm7codec.Part)
    return content.body


def _one_shot(wire: bytes) -> object:
    return mm7codec.decode(wire, _CONTENT_TYPE)


def _streamed(chunk: int) -> Callable[[bytes], object]:
    def run(wire: bytes) -> object:
        decoder = mm7codec.Decoder(_CONTENT_TYPE, spool=False)
        view = memoryview(wire)
        for offset in range(0, len(wire), chunk):
            decoder.feed(view[offset : offset + chunk])
        return decoder.close()

    return run


_RUNS = {
    "one-shot": _one_shot,
    "1 KiB chunks": _streamed(KIB),
    "64 KiB chunks": _streamed(64 * KIB),
}
#: Sizes n (payload bytes) per shape. Both runs must pay alike per byte, and a run whose data
#: fits in the processor cache is several times faster per byte than one whose data does
#: not: the shapes decoded at memory speed start past the cache, the others at a size where
#: the run at n takes some milliseconds.
MEMORY_SPEED = 2 * MIB
FAST = MIB
SLOW = 64 * KIB  # shapes whose every few bytes take a step of their own
#: In 1 KiB chunks each feed costs a Python step, which dominates over the cache.
SMALL_CHUNKS = 256 * KIB


def _size(size: int, run_name: str) -> int:
    return min(size, SMALL_CHUNKS) if run_name == "1 KiB chunks" else size


def _repeat(unit: bytes) -> Callable[[int], bytes]:
    return lambda size: unit * (size // len(unit))


def _regular_lines(size: int) -> bytes:
    data = random.Random(size).randbytes(size * 3 // 4)
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _one_long_line(size: int) -> bytes:
    return base64.b64encode(random.Random(size).randbytes(size * 3 // 4))


def _junk_between(size: int) -> bytes:
    """Every fourth character outside the alphabet (dropped and reported)."""
    text = base64.b64encode(random.Random(size).randbytes(size // 2))
    return b"*".join(text[i : i + 3] for i in range(0, len(text), 3))


_BASE64_SHAPES: dict[str, tuple[Callable[[int], bytes], int]] = {
    "regular lines": (_regular_lines, MEMORY_SPEED),
    "one long line": (_one_long_line, FAST),
    "padding in the middle (AA==)": (_repeat(b"AA=="), FAST),
    "padding in the middle (AAA=)": (_repeat(b"AAA="), FAST),
    "short padding in the middle (AA=)": (_repeat(b"AA="), SLOW),
    "one character between padding (A=)": (_repeat(b"A="), SLOW),
    "padding only": (_repeat(b"="), MEMORY_SPEED),
    "junk characters": (_junk_between, FAST),
    "white space only": (_repeat(b" \t"), MEMORY_SPEED),
    "CR/LF noise": (_repeat(b"QU\r\nJD\n\rRA\r=="), FAST),
}


@pytest.mark.parametrize("run_name", list(_RUNS))
@pytest.mark.parametrize("shape", list(_BASE64_SHAPES))
def test_base64_is_linear_in_every_shape(shape: str, run_name: str) -> None:
    build, size = _BASE64_SHAPES[shape]
    assert_linear(
        lambda size: _wire("base64", build(size)),
        _RUNS[run_name],
        _size(size, run_name),
        what=f"base64 {shape}, {run_name}",
    )


def _qp_lines(size: int) -> bytes:
    return encode_quoted_printable(random.Random(size).randbytes(size // 3))


_QP_SHAPES: dict[str, tuple[Callable[[int], bytes], int]] = {
    "lines": (_qp_lines, FAST),
    "no line break": (_repeat(b"abc=41"), FAST),
    "'=' runs": (_repeat(b"="), SLOW),
    "soft breaks only": (_repeat(b"=\r\n"), FAST),
    "soft breaks with padding": (_repeat(b"ab= \t\r\n"), SLOW),
    "'=' then spaces, never a line end": (_repeat(b"=" + b" " * 90), FAST),
    "bare CRs after '='": (_repeat(b"x=\r"), SLOW),
}


@pytest.mark.parametrize("run_name", list(_RUNS))
@pytest.mark.parametrize("shape", list(_QP_SHAPES))
def test_quoted_printable_is_linear_in_every_shape(shape: str, run_name: str) -> None:
    build, size = _QP_SHAPES[shape]
    assert_linear(
        lambda size: _wire("quoted-printable", build(size)),
        _RUNS[run_name],
        _size(size, run_name),
        what=f"quoted-printable {shape}, {run_name}",
    )


def test_quoted_printable_soft_breaks_at_every_chunk_edge_are_linear() -> None:
    """Chunks of 3 bytes cut every soft break and escape somewhere."""
    assert_linear(
        lambda size: _wire("quoted-printable", _repeat(b"ab=\r\n=41=")(size)),
        _streamed(3),
        8 * KIB,
        what="quoted-printable soft breaks at chunk edges",
    )


def test_streamed_quoted_printable_without_line_breaks_holds_no_line(tmp_path: Path) -> None:
    """16 MiB of quoted-printable with no line break, streamed in 64 KiB chunks into a
    spooled part: the decoder keeps a few bytes back, never the unfinished line."""
    payload = b"abc=41=\r\n" * 8 + b"xyz=42" * (16 * MIB // 6)
    wire = _wire("quoted-printable", payload)
    expected = binascii.a2b_qp(payload)
    tracemalloc.start()
    try:
        decoder = mm7codec.Decoder(_CONTENT_TYPE, spool_dir=tmp_path)
        for offset in range(0, len(wire), 64 * KIB):
            decoder.feed(wire[offset : offset + 64 * KIB])
        message = decoder.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MIB, f"peak traced memory {peak / MIB:.1f} MiB"
    assert _body(message) == expected
    assert message.deviations == ()


# -- base64 padding in the middle: what is decoded, however it is cut -----------------------


def _reference_base64(characters: bytes) -> bytes:
    """The meaning of base64 with padding anywhere, one run at a time: every run of data
    between padding is decoded on its own, as if padded right; a last character alone in
    its quantum is dropped."""
    pieces = []
    for run in characters.split(b"="):
        whole = len(run) - (len(run) % 4 == 1)
        if whole:
            pieces.append(binascii.a2b_base64(run[:whole] + b"=="))
    return b"".join(pieces)


def _feed_noting(
    decoder: Base64Decoder | QuotedPrintableDecoder, data: bytes, cuts: list[int]
) -> tuple[bytes, list[str]]:
    """Decode ``data`` cut at ``cuts``: the bytes, and the deviation codes reported."""
    out, previous, notes = [], 0, []
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        piece = data[previous:cut]
        out.extend(bytes(chunk) for chunk in decoder.decode(piece, 0, len(piece)))
        previous = cut
    out.append(decoder.finish(lambda code, _detail: notes.append(code)))
    return b"".join(out), notes


def _feed(decoder: Base64Decoder | QuotedPrintableDecoder, data: bytes, cuts: list[int]) -> bytes:
    return _feed_noting(decoder, data, cuts)[0]


_base64_soup = st.lists(
    st.sampled_from([b"A", b"Zm", b"9/+", b"QUJD", b"=", b"==", b"\r\n", b" ", b"AA==", b"*"]),
    max_size=60,
).map(b"".join)


@given(_base64_soup, st.lists(st.integers(0, 400), max_size=5))
@example(b"A=AAAA\r\n\r\n=", [2])  # padding after a run decoded in an earlier chunk
@example(b"=AA\r\n\r\nAA=", [3, 9])  # ... after a whole quantum decoded by the fast path
@example(b"*=", [1])  # ... after a stray character left pending
def test_base64_with_padding_anywhere_decodes_run_by_run_in_any_chunking(
    data: bytes, cuts: list[int]
) -> None:
    characters = data.translate(None, b"\r\n *")
    decoded, codes = _feed_noting(Base64Decoder(), data, cuts)
    assert decoded == _reference_base64(characters)
    # What is recorded does not depend on the chunking either.
    assert codes == _feed_noting(Base64Decoder(), data, [])[1]


@given(st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=40))
def test_pieces_encoded_apart_and_glued_decode_in_order(pieces: list[bytes]) -> None:
    glued = b"".join(base64.b64encode(piece) for piece in pieces)
    assert _feed(Base64Decoder(), glued, []) == b"".join(pieces)
    message = mm7codec.decode(_wire("base64", glued), _CONTENT_TYPE)
    assert _body(message) == b"".join(pieces)
    # Data after padding is a liberty (RFC 2045 ends the data there): recorded, not silent.
    padding_inside = any(len(p) % 3 and any(pieces[i + 1 :]) for i, p in enumerate(pieces))
    codes = [deviation.code for deviation in message.deviations]
    assert ("base64-data-after-padding" in codes) == padding_inside


# -- quoted-printable: stray "=", padded soft breaks, any chunking ----------------------------


@pytest.mark.parametrize(
    ("encoded", "decoded", "stray"),
    [
        (b"a=41b", b"aAb", False),
        (b"soft =\r\nbreak", b"soft break", False),
        (b"padded soft = \t\r\nbreak", b"padded soft break", False),
        (b"ends with a soft break=", b"ends with a soft break", False),
        (b"a==41", b"a=A", True),
        (b"a=4", b"a=4", True),
        (b"a=\rxyz\nb", b"a=\rxyz\nb", True),
        (b"a=" + b" " * 100 + b"\r\nb", b"a=" + b" " * 100 + b"\r\nb", True),
    ],
)
def test_quoted_printable_escapes(encoded: bytes, decoded: bytes, stray: bool) -> None:
    for chunk in (len(encoded), 1, 2, 5):
        cuts = list(range(chunk, len(encoded), chunk))
        out, notes = _feed_noting(QuotedPrintableDecoder(), encoded, cuts)
        assert out == decoded, chunk
        assert notes == (["invalid-quoted-printable"] if stray else []), chunk


_qp_soup = st.lists(
    st.sampled_from(
        [b"a", b"=", b"=4", b"=41", b"=e9", b"=\r\n", b"=\n", b" ", b"\t", b"\r", b"\n", b"=G"]
    ),
    max_size=60,
).map(b"".join)


@given(_qp_soup, st.lists(st.integers(0, 300), max_size=5))
def test_quoted_printable_decodes_alike_in_any_chunking(data: bytes, cuts: list[int]) -> None:
    assert _feed(QuotedPrintableDecoder(), data, cuts) == _feed(QuotedPrintableDecoder(), data, [])


# -- the quoted-printable we write ----------------------------------------------------------

_qp_text = st.lists(
    st.one_of(
        st.sampled_from([b"\r\n", b"\r", b"\n", b" ", b"\t", b"=", b"  \r\n", b".", b"=\r\n"]),
        st.binary(max_size=120),
        st.text(max_size=100).map(lambda text: text.encode("utf-8")),
    ),
    max_size=30,
).map(b"".join)


@given(_qp_text)
def test_written_quoted_printable_reads_back_strictly(data: bytes) -> None:
    encoded = encode_quoted_printable(data)
    assert all(len(line) <= 76 for line in encoded.split(b"\r\n"))
    assert b"\r" not in encoded.replace(b"\r\n", b"") and b"\n" not in encoded.replace(b"\r\n", b"")
    assert _feed_noting(QuotedPrintableDecoder(), encoded, []) == (data, [])


def test_crlf_text_longer_than_a_line_round_trips_strictly() -> None:
    """The soft breaks of CRLF text were written as '=' CR CR LF, which strict mode refused."""
    text = ("caf\u00e9 " * 30 + "\r\n") * 3
    part = mm7codec.Part.from_bytes(
        text.encode("utf-8"),
        "text/plain",
        params={"charset": "utf-8"},
        transfer_encoding="quoted-printable",
    )
    message = mm7codec.SubmitReq(recipients=mm7codec.Recipients(to=["15553199144"]), content=part)
    content_type, body = mm7codec.encode(message)
    assert b"Content-Transfer-Encoding: quoted-printable" in body
    assert b"=\r\r\n" not in body
    decoded = mm7codec.decode(body, content_type, strict=True)
    assert decoded.content.body == text.encode("utf-8")  # type: ignore[attr-defined]


def test_a_character_just_before_a_line_feed_still_wraps_at_76() -> None:
    """b2a_qp lets such a line reach 77 characters (it expects a hard line break there)."""
    for data in (b"a" * 76 + b"\n", (b"b" * 76 + b"\r\n") * 3, b"=" * 24 + b"c" * 4 + b"\n"):
        encoded = encode_quoted_printable(data)
        assert max(len(line) for line in encoded.split(b"\r\n")) <= 76
        assert _feed_noting(QuotedPrintableDecoder(), encoded, []) == (data, [])
