"""MIME header fields under attack: linear time on every shape, typed errors, every liberty seen.

The complexity checks feed each reader (header lines, every parameter form, RFC 2047 words,
RFC 2231 sections, a whole decode) an adversarial input of size n and 8n and compare the times
(tests/complexity.py); the other tests pin what lenient decoding keeps and what it reports.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from email.header import decode_header
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mm7codec
from mm7codec import Limits
from mm7codec._mime.headers import (
    _read_parameters,
    decode_words,
    parse_content_type,
    parse_parameters_in_general,
)
from mm7codec._mime.parser import MultipartParser

from .complexity import assert_linear
from .conftest import VECTORS

T = TypeVar("T")

CONTENT_TYPE = 'multipart/related; type="text/xml"; start="<soap-1>"; boundary="b1"'
# The clean message's SOAP part, and the delimiter before its attachment.
HEAD = (VECTORS / "mime" / "clean-crlf.wire").read_bytes().split(b"--b1\r\nContent-Type: text/p")[0]


def _message(*part_headers: bytes, body: bytes = b"hello") -> bytes:
    """The clean message with one attachment per header block given."""
    parts = b"".join(
        b"--b1\r\n" + headers + b"\r\n\r\n" + body + b"\r\n" for headers in part_headers
    )
    return HEAD + parts + b"--b1--\r\n"


def _codes(text: str) -> tuple[dict[str, str], list[str]]:
    """A Content-Type's parameters and the deviation codes reported reading them."""
    codes: list[str] = []
    _, params = parse_content_type(text, lambda code, _detail: codes.append(code))
    return params, codes


def _repeated(run: Callable[[T], object], times: int) -> Callable[[T], None]:
    """``run`` done ``times`` times: a run long enough to time on an input small enough to stay
    in the processor's caches at both sizes (a cache boundary crossed between n and 8n would
    look like super-linear growth)."""

    def repeated(data: T) -> None:
        for _ in range(times):
            run(data)

    return repeated


def _decoding(content_type: str = CONTENT_TYPE) -> Callable[[bytes], object]:
    def run(body: bytes) -> object:
        try:
            return mm7codec.decode(body, content_type)
        except mm7codec.MM7Error as error:
            return error

    return run


# -- finding: parameter names without "=" ---------------------------------------------------


def test_parameter_name_run_without_equals_is_linear() -> None:
    assert_linear(
        lambda n: "text/plain; " + "a" * n,
        _repeated(parse_content_type, 100),
        8_000,
        what="a run of name characters with no '='",
    )


def test_parameter_name_run_without_equals_is_reported_and_skipped() -> None:
    params, codes = _codes("text/plain; " + "a" * 8000 + "; charset=utf-8")
    assert params == {"charset": "utf-8"}
    assert codes == ["bad-parameter"]


def test_message_with_adversarial_part_headers_decodes_in_linear_time() -> None:
    # A part header at the line limit: a no-"=" run, RFC 2047 word starts, RFC 2231 sections.
    headers = [
        b"Content-Type: text/plain; " + b"a" * 8000,
        b"Content-Type: text/plain; name=" + b"=?a?q?b" * 1100,
        b"Content-Location: " + b"=?a?q?b" * 1150,
        b"Content-Type: text/plain; " + b"".join(b"n*%d=x;" % i for i in range(900)),
    ]
    assert_linear(
        lambda n: _message(*(headers[i % len(headers)] for i in range(n))),
        _decoding(),
        8,
        what="a decode whose part headers are adversarial",
    )


def test_http_content_type_is_bounded_by_the_header_line_limit() -> None:
    value = "multipart/related; boundary=b1; " + "a" * 200
    with pytest.raises(mm7codec.LimitExceeded) as raised:
        mm7codec.Decoder(value, limits=Limits(max_header_line=len(value) - 1))
    assert raised.value.limit == "max_header_line"
    assert raised.value.where == "Content-Type"
    mm7codec.Decoder(value, limits=Limits(max_header_line=len(value)))  # at the limit: read


# -- finding: RFC 2047 words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "unit", "n", "times"),
    [
        ("many words", "=?utf-8?q?caf=C3=A9?= ", 600, 14),
        ("word starts that never end", "=?a?q?b", 2_000, 24),
        ("charsets that never end", "=?", 6_000, 8),
        ("broken base64 words", "=?utf-8?B?%%%?= ", 800, 28),
        ("words in changing charsets", "=?utf-8?B?w6k=?==?iso-8859-1?q?=E9?=", 400, 8),
    ],
)
def test_encoded_words_are_linear(what: str, unit: str, n: int, times: int) -> None:
    assert_linear(lambda n: unit * n, _repeated(decode_words, times), n, what=what)


def test_long_encoded_words_are_linear() -> None:
    assert_linear(
        lambda n: "=?utf-8?B?" + "w6nDqcOp" * n + "?= =?utf-8?Q?" + "=C3=A9" * n + "?=",
        _repeated(decode_words, 100),
        1_000,
        what="long words",
    )
    assert_linear(
        lambda n: "=?" + "x" * n, _repeated(decode_words, 25), 16_000, what="one unfinished word"
    )


def _q_word(data: bytes) -> str:
    return (
        "=?utf-8?Q?"
        + "".join(
            chr(b) if chr(b).isascii() and chr(b).isalnum() else "_" if b == 32 else f"={b:02X}"
            for b in data
        )
        + "?="
    )


def _b_word(data: bytes) -> str:
    return "=?UTF-8?B?" + base64.b64encode(data).decode("ascii") + "?="


def _with_the_standard_library(text: str) -> str:
    return "".join(
        piece.decode(charset or "us-ascii") if isinstance(piece, bytes) else piece
        for piece, charset in decode_header(text)
    )


@given(
    st.lists(
        st.one_of(
            st.from_regex(r"[A-Za-z0-9.,!]{1,6}", fullmatch=True),
            st.text(max_size=12).map(lambda t: _q_word(t.encode("utf-8", "surrogatepass"))),
            st.text(max_size=12).map(lambda t: _b_word(t.encode("utf-8", "surrogatepass"))),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_encoded_words_read_as_the_standard_library_reads_them(tokens: list[str]) -> None:
    text = " ".join(tokens)
    try:
        expected = _with_the_standard_library(text)
    except UnicodeDecodeError:
        # A lone surrogate's bytes: the standard library raises, our reader replaces them.
        assert "\ufffd" in decode_words(text)
        return
    assert decode_words(text) == expected


def test_a_character_split_across_words_is_joined() -> None:
    e_acute = "é".encode()
    text = _b_word(e_acute[:1]) + " " + _b_word(e_acute[1:]) + "!"
    assert decode_words(text) == "é!"


def test_language_suffix_and_bad_words() -> None:
    assert decode_words("=?utf-8*en?q?caf=C3=A9?=") == "café"
    # A word that does not decode stays as sent; the others still decode.
    assert decode_words("=?utf-8?B?w6k=?= =?utf-8?B?%%%?= =?utf-8?B?w6k=?=") == (
        "é =?utf-8?B?%%%?= é"
    )
    assert decode_words("=?utf-8?B?w6k?=") == "é"  # missing padding forgiven
    assert decode_words("=?utf-8?B?w6k===?=") == "=?utf-8?B?w6k===?="
    assert decode_words("=?punycode?B?" + base64.b64encode(b"abc-").decode() + "?=") == "abc-"


def test_raw_non_ascii_beside_encoded_words_is_kept_and_reported() -> None:
    codes: list[str] = []
    text = "café =?utf-8?q?caf=C3=A9?="
    assert decode_words(text, lambda code, _detail: codes.append(code)) == "café café"
    assert codes == ["mixed-encoded-words"]
    codes.clear()
    assert decode_words("café =?utf-8?B?%%%?=", lambda c, _d: codes.append(c)) == (
        "café =?utf-8?B?%%%?="
    )
    assert codes == []  # no word decoded: nothing is mixed


# -- every parameter form -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "build", "n", "times"),
    [
        ("simple pairs", lambda n: "".join(f"; p{i}=v{i}" for i in range(n)), 1_000, 4),
        (
            "quoted values with escapes",
            lambda n: "".join(f'; p{i}="a\\"b\\\\c d"' for i in range(n)),
            800,
            4,
        ),
        ("RFC 2231 continuations", lambda n: "".join(f"; n*{i}=abc" for i in range(n)), 1_000, 4),
        (
            "RFC 2231 charset-tagged continuations",
            lambda n: "; n*0*=utf-8'en'%C3%A9" + "".join(f"; n*{i}*=%C3%A9" for i in range(1, n)),
            1_000,
            4,
        ),
        (
            "RFC 2047 in values",
            lambda n: "".join(f'; p{i}="=?utf-8?B?w6k=?="' for i in range(n)),
            500,
            8,
        ),
        ("names without '='", lambda n: "a " * n, 6_000, 4),
        ("separators and specials", lambda n: "; (" * n, 4_000, 10),
        ("quotes that never close", lambda n: '; a="x' * n, 2_000, 6),
        ("escaped quotes that never close", lambda n: 'a="' + '\\"; b=\\"' * n, 1_500, 4),
        ("a backslash before a line break", lambda n: '; a="x\\\n' * n, 1_500, 4),
        ("repeated names", lambda n: "; a=1" * n, 2_000, 2),
        ("RFC 2231 repeated sections", lambda n: "; n*0=1" * n, 2_000, 6),
        ("RFC 2231 long section numbers", lambda n: "; n*" + "1" * n + "=a; n*0=b", 12_000, 120),
        (
            "RFC 2231 many long section numbers",
            lambda n: "".join(f"; n*{i:0100d}=x" for i in range(n)),
            120,
            30,
        ),
    ],
)
def test_parameter_forms_are_linear(
    what: str, build: Callable[[int], str], n: int, times: int
) -> None:
    read = _repeated(_read_in_general, times)
    assert_linear(build, read, n, what=what)


def _ignore(_code: str, _detail: str) -> None:
    pass


def _read_in_general(text: str) -> dict[str, str]:
    return parse_parameters_in_general(text, _ignore)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a="x\\"; c=1', {"a": '"x\\"', "c": "1"}),  # the escaped quote leaves it open
        ('d="y\\\n"; e=2', {"d": '"y\\\n"', "e": "2"}),  # no escaped line break
        ('e="z', {"e": '"z'}),
    ],
)
def test_unclosed_quote_reads_as_a_bare_value(text: str, expected: dict[str, str]) -> None:
    assert _codes("text/plain; " + text) == (expected, [])


# The pattern the parameter reader replaced, retried at every offset (quadratic on a long name
# without "="): on short inputs, the model the hand tokeniser must agree with exactly.
_PATTERN_MODEL = re.compile(
    r'[;\s]*([^\s()<>@,;:\\"/\[\]?=]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))'
)


def _read_with_the_pattern(text: str) -> tuple[list[tuple[str, str]], int]:
    pairs: list[tuple[str, str]] = []
    unreadable = 0
    position = 0
    for match in _PATTERN_MODEL.finditer(text):
        unreadable += bool(text[position : match.start()].strip(" \t\r\n;"))
        name, quoted, bare = match.groups()
        value = bare.strip() if quoted is None else re.sub(r"\\(.)", r"\1", quoted)
        pairs.append((name.lower(), value))
        position = match.end()
    unreadable += bool(text[position:].strip(" \t\r\n;"))
    return pairs, unreadable


@given(st.text(alphabet=' \t\r\n;="\\*?\x0b\xa0abcXYZ-_./<>()=@', max_size=60))
def test_parameters_read_as_the_pattern_read_them(text: str) -> None:
    codes: list[str] = []
    pairs = _read_parameters(text, lambda code, _detail: codes.append(code))
    assert (pairs, len(codes)) == _read_with_the_pattern(text)
    assert set(codes) <= {"bad-parameter"}


# -- RFC 2231 and repeated parameters ------------------------------------------------------


def test_rfc2231_section_number_of_5000_digits_is_a_gap_not_a_crash() -> None:
    params, codes = _codes("image/gif; name*" + "1" * 5000 + '="b"; name*0="a"')
    assert params == {"name": "ab"}
    assert codes == ["rfc2231-section-gap"]


def test_rfc2231_sections_are_joined_in_number_order() -> None:
    params, codes = _codes(
        "image/gif; n*10=k; n*2=c; n*1=b; n*0=a" + "".join(f"; n*{i}=x" for i in range(3, 10))
    )
    assert params == {"n": "abcxxxxxxxk"}
    assert codes == []


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("n*0=a; n*2=c", "ac", "rfc2231-section-gap"),
        ("n*1=b; n*2=c", "bc", "rfc2231-section-gap"),
        ("n*0=a; n*1=b; n*1=c", "ab", "duplicate-parameter"),
        ("n*0=a; n*1=b; n*1*=c", "abc", "rfc2231-section-gap"),
        ("n*0=a; n*01=b", "ab", "bad-rfc2231-section"),
        ("n*0=a; n*x=b", "ab", "bad-rfc2231-section"),
        ("n=plain; n*=utf-8''other", "other", "duplicate-parameter"),
    ],
)
def test_rfc2231_liberties_are_reported(text: str, value: str, code: str) -> None:
    params, codes = _codes("image/gif; " + text)
    assert params["n"] == value
    assert code in codes


def test_plain_and_rfc2231_forms_that_agree_are_not_reported() -> None:
    params, codes = _codes("image/gif; name=\"a b\"; name*=utf-8''a%20b")
    assert params == {"name": "a b"}
    assert codes == []


@pytest.mark.parametrize(
    "text",
    [
        "text/plain; charset=utf-8; charset=iso-8859-1",
        'text/plain; charset="utf-8"; CHARSET=iso-8859-1',
        'text/plain; charset=utf-8; name="=?utf-8?B?w6k=?="; charset=x',
    ],
)
def test_repeated_parameters_keep_the_first_and_are_reported(text: str) -> None:
    params, codes = _codes(text)
    assert params["charset"] == "utf-8"
    assert codes == ["duplicate-parameter"]


def test_repeated_part_headers_are_reported_in_both_modes() -> None:
    body = _message(
        b"Content-Type: text/plain\r\nContent-ID: <content-1>\r\nContent-ID: <content-2>"
    )
    message = mm7codec.decode(body, CONTENT_TYPE)
    assert message.content.content_id == "content-1"  # type: ignore[attr-defined]
    assert [d.code for d in message.deviations] == ["duplicate-header"]
    with pytest.raises(mm7codec.DeviationError) as raised:
        mm7codec.decode(body, CONTENT_TYPE, strict=True)
    assert raised.value.deviation.code == "duplicate-header"


# -- header lines ---------------------------------------------------------------------------


class _Sink:
    def __init__(self) -> None:
        self.headers: list[list[tuple[str, str]]] = []

    def begin(self, headers: list[tuple[str, str]]) -> None:
        self.headers.append(headers)

    def data(self, buffer: bytes, start: int, end: int) -> None:
        pass

    def end(self) -> None:
        pass


_UNBOUNDED = Limits(max_header_line=1 << 30, max_header_count=1 << 30)


def _parse_headers(body: bytes, limits: Limits = _UNBOUNDED) -> list[list[tuple[str, str]]]:
    sink = _Sink()
    parser = MultipartParser("b1", sink, limits, _ignore)
    parser.feed(body)
    parser.close()
    return sink.headers


def _one_part(header_block: bytes, newline: bytes = b"\r\n") -> bytes:
    return b"--b1" + newline + header_block + newline + newline + b"x" + newline + b"--b1--"


@pytest.mark.parametrize(
    ("what", "build", "n", "times"),
    [
        ("one long line", lambda n: _one_part(b"X-Long: " + b"a" * n), 12_000, 300),
        ("one long bare-LF line", lambda n: _one_part(b"X-Long: " + b"a" * n, b"\n"), 12_000, 800),
        ("many lines", lambda n: _one_part(b"X-A: b\r\n" * n), 1_500, 18),
        ("many bare-LF lines", lambda n: _one_part(b"X-A: b\n" * n, b"\n"), 1_500, 6),
        ("many folded lines", lambda n: _one_part(b"X-A: b" + b"\r\n c" * n), 3_000, 24),
        ("many empty folded lines", lambda n: _one_part(b"X-A: b" + b"\n " * n, b"\n"), 6_000, 2),
        (
            "long folded lines",
            lambda n: _one_part(b"X-A: b" + (b"\r\n " + b"c" * 1000) * n),
            12,
            220,
        ),
        ("bare CRs", lambda n: _one_part(b"X-A: b" + b"\r\r" * n, b"\n"), 6_000, 100),
        # Each block ends with a bare LF, so is read line by line after a search for its blank
        # line that finds none up to the end: the next part's search must not scan it again.
        (
            "many parts with bare-LF blank lines",
            lambda n: b"--b1\r\nX: y\n\nz\r\n" * n + b"--b1--",
            1_000,
            3,
        ),
    ],
)
def test_header_lines_are_linear(
    what: str, build: Callable[[int], bytes], n: int, times: int
) -> None:
    assert_linear(build, _repeated(_parse_headers, times), n, what=what)


def test_many_folded_lines_are_joined_as_before() -> None:
    (headers,) = _parse_headers(_one_part(b"X-A: a\r\n b\r\n\tc  \r\n \r\nX-B: d"))
    assert headers == [("X-A", "a b c "), ("X-B", "d")]
    # Folding counts towards the line limit: 10 + 3 folded pieces of 1 + 2 characters.
    (headers,) = _parse_headers(
        _one_part(b"X-A: " + b"a" * 10 + b"\r\n bb" * 3), Limits(max_header_line=19)
    )
    assert headers == [("X-A", "a" * 10 + " bb" * 3)]
    with pytest.raises(mm7codec.LimitExceeded):
        _parse_headers(_one_part(b"X-A: " + b"a" * 10 + b"\r\n bb" * 3), Limits(max_header_line=18))


def test_bare_cr_in_a_header_line_is_a_space_and_reported() -> None:
    # The shape a mutation run found: a CR, then a non-UTF-8 byte, then a bare LF.
    body = HEAD.replace(b"\r\n", b"\n") + b"--b1\nContent-ID: <W@>\r\x80\n\nhello\n--b1--\n"
    message = mm7codec.decode(body, CONTENT_TYPE)
    part = message.content  # type: ignore[attr-defined]
    assert part.content_id == "<W@> \x80"
    assert "\r" not in part.headers["content-id"]
    assert "bare-cr" in [d.code for d in message.deviations]


def test_bare_cr_is_reported_on_crlf_lines_too() -> None:
    codes: list[str] = []
    sink = _Sink()
    parser = MultipartParser("b1", sink, Limits(), lambda code, _: codes.append(code))
    parser.feed(_one_part(b"Content-ID: <a>\r\rX-B: c"))
    parser.close()
    assert sink.headers == [[("Content-ID", "<a>  X-B: c")]]
    assert codes == ["bare-cr"]


# -- typed failure only -------------------------------------------------------------------

_HEADER_PIECES = st.sampled_from(
    ["=?", "?=", "?B?", "?q?", "utf-8", "*", "'", "%C3", "%", '"', "\\", ";", "=", " ", "\r", "\n"]
)


@given(st.lists(st.one_of(_HEADER_PIECES, st.text(max_size=4)), max_size=30))
def test_any_header_text_reads_without_error(pieces: list[str]) -> None:
    text = "".join(pieces)
    media, params = parse_content_type("image/gif; " + text)
    assert media == "image/gif"
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    assert isinstance(decode_words(text), str)


@pytest.mark.parametrize(
    "header",
    [
        "Content-Location: =?utf-8?q?a=0D=0AX-Evil:_1=00?=",
        "Content-Type: image/gif; name*=utf-8''%2E%2E%2F%0D%0A%00",
        "Content-Type: image/gif; name*0*=utf-8''a%0A; name*1=b",
        'Content-Type: image/gif; name="=?utf-8?b?Li4vDQo=?="',
    ],
)
def test_controls_in_decoded_header_values_are_reported(header: str) -> None:
    from mm7codec._mime.headers import decode_words, parse_content_type

    notes: list[str] = []
    name, _, value = header.partition(": ")
    if name == "Content-Location":
        decoded = decode_words(value, lambda code, _detail: notes.append(code))
    else:
        _, params = parse_content_type(value, lambda code, _detail: notes.append(code))
        decoded = params["name"]
    assert any(ord(char) < 32 for char in decoded)
    assert "control-in-header-value" in notes


def test_plain_decoded_header_values_report_nothing() -> None:
    from mm7codec._mime.headers import decode_words, parse_content_type

    notes: list[str] = []
    assert decode_words("=?utf-8?q?caf=C3=A9.jpg?=", lambda c, _d: notes.append(c)) == "café.jpg"
    parse_content_type("image/gif; name*=utf-8''caf%C3%A9", lambda c, _d: notes.append(c))
    assert notes == []
