"""Hostile input to the HTTP framing and to the XML reader: typed failure only, bounded by the
limits, and linear time on every shape (the same-process growth ratios of ``complexity``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mm7codec
from mm7codec import DecodeError, LimitExceeded, Limits
from mm7codec._limits import DEFAULT_LIMITS
from mm7codec._xml import _parse_carefully, parse
from mm7codec._xml_encoding import ENCODINGS

from .complexity import assert_linear

NS = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
ENV = "http://schemas.xmlsoap.org/soap/envelope/"
HEAD = b"POST /mm7 HTTP/1.1\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n"
ROOMY = Limits(
    max_envelope_size=1 << 30,
    max_xml_depth=100_000,
    max_xml_elements=1 << 30,
    max_xml_attributes=1 << 30,
    max_xml_text=1 << 30,
    max_header_line=1 << 30,
    max_header_count=1 << 30,
)


def refused(run: Callable[[bytes], object], times: int = 1) -> Callable[[bytes], object]:
    """``run`` ``times`` over, with the typed refusal an adversarial input may meet swallowed
    (its time is what a complexity test measures).

    The inputs are kept small (the larger one well under a megabyte, a few thousand elements
    at most) and run several times instead: past the processor's caches, every byte costs
    more, and that step, not the code, would decide the ratio."""

    def swallowing(data: bytes) -> object:
        for _ in range(times):
            try:
                outcome = run(data)
            except mm7codec.MM7Error as error:
                outcome = error
        return outcome

    return swallowing


def submit_rsp(text: str = "OK", declaration: str = '<?xml version="1.0"?>') -> str:
    return (
        f'{declaration}<e:Envelope xmlns:e="{ENV}"><e:Header><TransactionID xmlns="{NS}">t-1'
        f'</TransactionID></e:Header><e:Body><SubmitRsp xmlns="{NS}"><MM7Version>6.8.0'
        "</MM7Version><Status><StatusCode>1000</StatusCode>"
        f"<StatusText>{text}</StatusText></Status><MessageID>m-1</MessageID></SubmitRsp>"
        "</e:Body></e:Envelope>"
    )


BODY = submit_rsp().encode()


def chunked(body: bytes, sizes: list[int], extension: bytes = b"") -> bytes:
    framed = b""
    position = 0
    for size in sizes:
        framed += b"%x%s\r\n%s\r\n" % (size, extension, body[position : position + size])
        position += size
    return HEAD + framed + b"0\r\n\r\n"


# HTTP framing ------------------------------------------------------------------------------


HEX_SIZE = b"%x" % len(BODY)


@pytest.mark.parametrize(
    "size",
    [
        b"-4",
        b"-0",
        b"+" + HEX_SIZE,
        b"0x" + HEX_SIZE,
        HEX_SIZE[:1] + b"_" + HEX_SIZE[1:],
        HEX_SIZE + b".0",
        "\uff11".encode() + HEX_SIZE,
        b"",
    ],
)
def test_chunk_sizes_are_hex_digits_only(size: bytes) -> None:
    # Python's int(text, 16) reads the first five (the first never ended).
    capture = HEAD + size + b"\r\n" + BODY + b"\r\n0\r\n\r\n"
    with pytest.raises(DecodeError, match="chunk size"):
        mm7codec.decode_http(capture)


@given(
    st.binary(max_size=300),
    st.lists(st.integers(1, 40), max_size=20),
    st.sampled_from([b"", b";a", b' ; name = "quoted ; \\" value"', b";x=y;z"]),
    st.booleans(),
)
def test_chunked_bodies_are_read_back_whole(
    body: bytes, cuts: list[int], extension: bytes, upper: bool
) -> None:
    sizes = []
    left = len(body)
    for cut in cuts:
        if left <= 0:
            break
        sizes.append(min(cut, left))
        left -= sizes[-1]
    if left:
        sizes.append(left)
    capture = chunked(body, sizes, extension)
    if upper:
        capture = capture.replace(b"chunked", b"Chunked")
    split = mm7codec.split_http(capture, strict=True)
    assert split.body == body
    assert split.deviations == ()


def test_chunk_sizes_add_up_to_max_total_size() -> None:
    limits = Limits(max_total_size=len(BODY))
    at_limit = chunked(BODY, [100, len(BODY) - 100])
    assert mm7codec.split_http(at_limit, limits=limits).body == BODY
    assert mm7codec.decode_http(at_limit, limits=limits).message_id == "m-1"
    over = chunked(BODY + b" ", [100, len(BODY) - 99])
    with pytest.raises(LimitExceeded) as raised:
        mm7codec.split_http(over, limits=limits)
    assert raised.value.limit == "max_total_size"


def test_folded_header_fields_are_bounded() -> None:
    limits = Limits(max_header_line=100)
    name = b"X-Folded:"
    # Each continuation adds one space and its text to the unfolded field.
    at_limit = name + b" ab" + b"\r\n b" * ((100 - len(name) - 3) // 2)
    assert len(at_limit.replace(b"\r\n", b"")) == 100
    capture = at_limit + b"\r\nContent-Type: text/xml\r\n\r\n" + BODY
    parsed = mm7codec.split_http(b"POST / HTTP/1.1\r\n" + capture, limits=limits)
    assert len(f"X-Folded: {parsed.headers['x-folded']}") == 100
    with pytest.raises(LimitExceeded) as raised:
        mm7codec.split_http(b"POST / HTTP/1.1\r\n" + at_limit + b"\r\n c" + capture, limits=limits)
    assert raised.value.limit == "max_header_line"


def test_header_fields_are_counted() -> None:
    limits = Limits(max_header_count=5)
    fields = b"".join(b"X-%d: v\r\n" % i for i in range(4)) + b"Content-Type: text/xml\r\n\r\n"
    assert mm7codec.split_http(b"POST / HTTP/1.1\r\n" + fields, limits=limits).body == b""
    with pytest.raises(LimitExceeded) as raised:
        mm7codec.split_http(b"POST / HTTP/1.1\r\nX-5: v\r\n" + fields, limits=limits)
    assert raised.value.limit == "max_header_count"


def test_a_line_end_is_searched_for_only_as_far_as_the_limit() -> None:
    limits = Limits(max_header_line=64)
    for capture in (
        b"POST / HTTP/1.1\r\nX-Long: " + b"v" * 100,
        HEAD + b"0" * 100,
        HEAD + b"5;" + b"e" * 100 + b"\r\n",
        chunked(BODY, [len(BODY)])[:-2] + b"X-Trailer: " + b"t" * 100 + b"\r\n\r\n",
    ):
        with pytest.raises(LimitExceeded) as raised:
            mm7codec.split_http(capture, limits=limits)
        assert raised.value.limit == "max_header_line"


@pytest.mark.parametrize(
    "extension",
    [b";", b"; =v", b";a=", b';a="unterminated', b";a=b c", b";a\x00", b"x", b';a="\r"'],
)
def test_malformed_chunk_extensions_are_refused(extension: bytes) -> None:
    with pytest.raises(DecodeError, match="chunk size line"):
        mm7codec.split_http(chunked(BODY, [len(BODY)], extension))


@pytest.mark.parametrize(
    ("tail", "code"),
    [(b"0\r\n", "chunked-body-unterminated"), (b"0\r\n\r\nrest", "data-after-chunked-body")],
)
def test_chunked_liberties_are_recorded(tail: bytes, code: str) -> None:
    capture = chunked(BODY, [len(BODY)])[: -len(b"0\r\n\r\n")] + tail
    assert [d.code for d in mm7codec.decode_http(capture).deviations] == [code]
    with pytest.raises(mm7codec.DeviationError) as raised:
        mm7codec.decode_http(capture, strict=True)
    assert raised.value.deviation.code == code


def test_malformed_trailers_are_refused() -> None:
    capture = chunked(BODY, [len(BODY)])[:-2] + b"no colon here\r\n\r\n"
    with pytest.raises(DecodeError, match="trailer"):
        mm7codec.split_http(capture)


def _run_http(times: int) -> Callable[[bytes], object]:
    return refused(lambda data: mm7codec.decode_http(data, limits=ROOMY), times)


def test_many_small_chunks_are_linear() -> None:
    assert_linear(
        lambda n: HEAD + b"1\r\nx\r\n" * n + b"0\r\n\r\n", _run_http(3), 1_000, what="small chunks"
    )


@pytest.mark.parametrize(
    ("what", "shape", "n"),
    [
        ("leading zeros in a chunk size", lambda n: b"0" * n + b"5", 20_000),
        ("white space after a chunk size", lambda n: b"5" + b" " * n, 2_000),
        ("many bare extensions", lambda n: b"5" + b";e" * n, 500),
        ("many valued extensions", lambda n: b"5" + b" ; e = v" * n, 300),
        ("a long quoted extension", lambda n: b'5;e="' + b"q\\\\" * n + b'"', 1_000),
        ("an unterminated quoted extension", lambda n: b'5;e="' + b"q\\\\" * n, 1_000),
        ("a long extension name", lambda n: b"5;" + b"e" * n + b"=v", 20_000),
    ],
)
def test_chunk_size_lines_are_linear(what: str, shape: Callable[[int], bytes], n: int) -> None:
    assert_linear(lambda n: HEAD + shape(n) + b"\r\nhello\r\n0\r\n\r\n", _run_http(5), n, what=what)


@pytest.mark.parametrize(
    ("what", "shape"),
    [
        ("many header fields", lambda n: b"X-H: v\r\n" * n),
        ("a long header field", lambda n: b"X-H: " + b"v" * n + b"\r\n"),
        ("a field folded many times", lambda n: b"X-H: v\r\n" + b" w\r\n" * n),
        ("many folded fields", lambda n: b"X-H: v\r\n\tw\r\n" * n),
    ],
)
def test_http_headers_are_linear(what: str, shape: Callable[[int], bytes]) -> None:
    assert_linear(
        lambda n: b"POST / HTTP/1.1\r\n" + shape(n) + b"Content-Type: text/xml\r\n\r\n" + BODY,
        _run_http(3),
        1_000 if "long" not in what else 20_000,
        what=what,
    )


def test_many_trailer_fields_are_linear() -> None:
    assert_linear(
        lambda n: chunked(BODY, [len(BODY)])[:-2] + b"X-T: v\r\n" * n + b"\r\n",
        _run_http(3),
        1_000,
        what="trailer fields",
    )


# XML encodings -----------------------------------------------------------------------------

STANDARD_NAMES = sorted({standard for standard, _ in ENCODINGS.values()})
CODECS = {standard: codec for standard, codec in ENCODINGS.values()}
# Characters some allowed encoding can write; each document uses those its encoding can.
SAMPLE = "aé€ΩЖ中あ한ก"


def _sample(codec: str) -> str:
    def fits(character: str) -> bool:
        try:
            character.encode(codec)
        except UnicodeEncodeError:
            return False
        return True

    return "".join(filter(fits, SAMPLE))


def _document(standard: str, text: str) -> bytes:
    return submit_rsp(text, f'<?xml version="1.0" encoding="{standard}"?>').encode(CODECS[standard])


def _invalid(codec: str) -> bytes:
    """Bytes the codec refuses before a "<", or (every byte being a character in the
    single-byte codecs that define all 256) a control character XML refuses."""
    if codec.startswith("utf-16"):
        return "\ud800".encode(codec, "surrogatepass").removeprefix(b"\xff\xfe")
    for byte in range(0x80, 0x100):
        try:
            (bytes([byte]) + b"<").decode(codec)
        except UnicodeDecodeError:
            return bytes([byte])
    return b"\x01"


def test_the_allow_list_is_what_peers_use() -> None:
    assert len(STANDARD_NAMES) == 35
    for name in ("UTF-8", "UTF-16", "US-ASCII", "ISO-8859-15", "windows-1252", "GB18030"):
        assert name in STANDARD_NAMES


@pytest.mark.parametrize("standard", STANDARD_NAMES)
def test_each_allowed_encoding_is_read(standard: str) -> None:
    text = _sample(CODECS[standard]) + " & more"
    message = mm7codec.decode(
        _document(standard, text.replace("&", "&amp;")), "text/xml", strict=True
    )
    assert message.status.text == text


@pytest.mark.parametrize(
    ("alias", "standard"),
    [
        ("utf8", "UTF-8"),
        ("latin1", "ISO-8859-1"),
        ("cp1252", "windows-1252"),
        ("sjis", "Shift_JIS"),
        ("cp936", "GBK"),
        ("ascii", "US-ASCII"),
    ],
)
def test_aliases_are_read_and_recorded(alias: str, standard: str) -> None:
    text = _sample(CODECS[standard])
    data = submit_rsp(text, f'<?xml version="1.0" encoding="{alias}"?>').encode(CODECS[standard])
    message = mm7codec.decode(data, "text/xml")
    assert message.status.text == text
    assert [d.code for d in message.deviations] == ["xml-encoding-alias"]
    assert standard in message.deviations[0].detail
    # The standard names are matched without regard to case, as XML says.
    assert (
        mm7codec.decode(
            _document(standard, text).replace(standard.encode(), standard.lower().encode(), 1),
            "text/xml",
            strict=True,
        ).status.text
        == text
    )


@pytest.mark.parametrize(
    "name",
    [
        "undefined",
        "punycode",
        "rot13",
        "UTF-32",
        "UTF-7",
        "utf-8-sig",
        "hex",
        "base64",
        "idna",
        "cp037",
        "utf_32_le",
        "unicode_escape",
        "raw_unicode_escape",
        "x-user-defined",
    ],
)
def test_other_encodings_are_refused_by_name(name: str) -> None:
    data = submit_rsp(declaration=f'<?xml version="1.0" encoding="{name}"?>').encode()
    with pytest.raises(DecodeError, match=f"unknown XML encoding '{name}'") as raised:
        mm7codec.decode(data, "text/xml")
    assert raised.value.status_code == 2007


@pytest.mark.parametrize(
    ("data", "contains"),
    [
        (submit_rsp(declaration='<?xml version="1.0" encoding="UTF-16"?>').encode(), "UTF-16"),
        (
            submit_rsp(declaration='<?xml version="1.0" encoding="UTF-8"?>').encode("utf-16"),
            "UTF-8",
        ),
        (
            submit_rsp(declaration='<?xml version="1.0" encoding="UTF-16BE"?>').encode("utf-16-le"),
            "UTF-16BE",
        ),
        (
            b"\xef\xbb\xbf"
            + submit_rsp(declaration='<?xml version="1.0" encoding="GBK"?>').encode(),
            "GBK",
        ),
        (b'<?xml version="1.0" encoding="GBK"', "never ends"),
        (b'<?xml version="1.0" encoding=UTF-8?><a/>', "not well-formed"),
    ],
)
def test_declarations_that_contradict_the_bytes_are_refused(data: bytes, contains: str) -> None:
    with pytest.raises(DecodeError, match=contains):
        mm7codec.decode(data, "text/xml")


def test_a_namespace_with_a_space_is_read_alike_on_both_paths() -> None:
    document = b'<e xmlns="urn:a b"><c xmlns:p="urn:\tc" p:x="1"/></e>'
    fast = parse(document, DEFAULT_LIMITS)
    careful = _parse_carefully(document, "utf-8", DEFAULT_LIMITS)
    assert fast.tag == careful.tag == "{urn:a b}e"
    assert fast[0].attrib == careful[0].attrib == {"{urn: c}x": "1"}


@pytest.mark.parametrize("standard", STANDARD_NAMES)
@pytest.mark.parametrize("valid", [True, False], ids=["valid", "invalid"])
def test_each_allowed_encoding_is_linear(standard: str, valid: bool) -> None:
    codec = CODECS[standard]
    unit = _sample(codec) + " &amp; "
    tail = b"" if valid else _invalid(codec)

    def build(n: int) -> bytes:
        document = _document(standard, unit * n)
        end = document.rindex("</StatusText>".encode(codec).removeprefix(b"\xff\xfe"))
        return document[:end] + tail + document[end:]

    # The larger input is read in full, or refused at its very end.
    if valid:
        assert parse(build(8 * 500), ROOMY).tag == f"{{{ENV}}}Envelope"
    else:
        with pytest.raises(DecodeError):
            parse(build(8 * 500), ROOMY)
    assert_linear(build, refused(lambda data: parse(data, ROOMY), 10), 500, what=standard)


# SOAP element shapes -----------------------------------------------------------------------


def _deliver(recipients: str = "<To><Number>1</Number></To>", extra: str = "") -> str:
    return (
        f'<DeliverReq xmlns="{NS}"><MM7Version>6.8.0</MM7Version><Sender><Number>15553199144'
        f"</Number></Sender><Recipients>{recipients}</Recipients>{extra}</DeliverReq>"
    )


def _envelope(body: str, envelope_attributes: str = "", prefix: str = "e") -> bytes:
    return (
        f'<?xml version="1.0"?><{prefix}:Envelope xmlns:{prefix}="{ENV}"{envelope_attributes}>'
        f'<{prefix}:Header><TransactionID xmlns="{NS}">t-1</TransactionID></{prefix}:Header>'
        f"<{prefix}:Body>{body}</{prefix}:Body></{prefix}:Envelope>"
    ).encode()


SOAP_SHAPES: dict[str, tuple[Callable[[int], bytes], int]] = {
    "deep nesting": (
        # 8n levels stay under Python's recursion limit, which the decoder reports as
        # max_xml_depth whatever the limit says (so a deeper run would measure a refusal).
        lambda n: _envelope(_deliver(extra="<X>" * n + "</X>" * n)),
        50,
    ),
    "many siblings": (
        lambda n: _envelope(_deliver("<To>" + "<Number>15553199144</Number>" * n + "</To>")),
        200,
    ),
    "long text": (lambda n: _envelope(_deliver(extra=f"<Subject>{'s' * n}</Subject>")), 20_000),
    "many attributes": (
        lambda n: _envelope(_deliver(), "".join(f' a{i}="v"' for i in range(n))),
        250,
    ),
    "a long element name": (lambda n: _envelope(_deliver(extra=f"<{'N' * n}/>")), 20_000),
    "a long prefix": (lambda n: _envelope(_deliver(), prefix="p" * n), 3_000),
    "many namespace declarations": (
        lambda n: _envelope(_deliver(), "".join(f' xmlns:p{i}="urn:{i}"' for i in range(n))),
        250,
    ),
}


@pytest.mark.parametrize("shape", sorted(SOAP_SHAPES))
def test_soap_element_shapes_are_linear(shape: str) -> None:
    build, n = SOAP_SHAPES[shape]
    limits = Limits(
        max_envelope_size=1 << 30,
        max_xml_depth=8 * n + 20,
        max_xml_attributes=1 << 30,
        max_xml_text=1 << 30,
        max_xml_elements=1 << 30,
    )
    # The larger input is decoded in full: the ratio measures the work, not a refusal.
    assert mm7codec.decode(build(8 * n), "text/xml", limits=limits).transaction_id == "t-1"
    assert_linear(
        build,
        refused(lambda data: mm7codec.decode(data, "text/xml", limits=limits), 5),
        n,
        what=shape,
    )


# Typed failure only ------------------------------------------------------------------------

_NAMES = st.one_of(
    st.sampled_from(sorted(ENCODINGS)).map(str.encode),
    st.binary(max_size=12),
    st.sampled_from([b"punycode", b"undefined", b"utf-32", b"rot13", b"idna", b"hex"]),
)


@given(
    _NAMES,
    st.binary(max_size=200),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"]),
)
def test_any_declared_encoding_gives_a_tree_or_a_decode_error(
    name: bytes, noise: bytes, start: bytes
) -> None:
    document = start + b'<?xml version="1.0" encoding="' + name + b'"?><a>' + noise + b"</a>"
    # Anything else escaping (UnicodeError, ValueError, LookupError) fails the test.
    with contextlib.suppress(DecodeError):
        parse(document, DEFAULT_LIMITS)


@given(
    st.lists(
        st.one_of(
            st.binary(max_size=12),
            st.sampled_from([b"\r\n", b"\n", b";", b"=", b'"', b"\\", b"0", b"f", b" ", b":"]),
        ),
        max_size=30,
    ).map(b"".join)
)
def test_any_chunked_body_gives_a_body_or_a_decode_error(framing: bytes) -> None:
    with contextlib.suppress(DecodeError):
        body = mm7codec.split_http(HEAD + framing).body
        assert len(body) < len(framing)
