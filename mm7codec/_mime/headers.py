"""Header fields and their parameters: Content-Type values, RFC 2231 parameter continuations
and charsets, RFC 2047 encoded words. Lenient by default: parameter names in any case, quoted
or bare values, an empty trailing parameter; every liberty is reported through ``report``.

Every reader here is linear in its input by construction: text is walked by hand, and the only
regular expressions are single character classes matched at a position (``pattern.match(text,
at)``), which never backtrack, or patterns whose repeated parts cannot contain what follows them.
"""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Mapping
from urllib.parse import quote, unquote_to_bytes

from . import Report

__all__ = [
    "text_codec",
    "STRICT_TOKEN",
    "decode_text",
    "decode_words",
    "encode_parameter",
    "format_content_type",
    "is_media_type",
    "parse_content_type",
    "strip_angle_brackets",
]


# RFC 2045 token, ASCII only: what a media type and a parameter name must be when we write them.
STRICT_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def is_media_type(text: str) -> bool:
    kind, slash, subtype = text.partition("/")
    return bool(slash and STRICT_TOKEN.fullmatch(kind) and STRICT_TOKEN.fullmatch(subtype))


def _ignore(_code: str, _detail: str) -> None:
    pass


# Codecs Python offers that are no charset a peer may name, and whose decoders are slow on long
# input (punycode is quadratic): a header naming one is read as Latin-1 like an unknown charset.
_NOT_CHARSETS = frozenset({"punycode", "idna", "raw-unicode-escape", "unicode-escape", "undefined"})


def text_codec(charset: str | None) -> str | None:
    """The codec for a peer-named charset (us-ascii when none is named), or None when Python
    has none by that name (unknown, malformed, NUL bytes) or it is no charset a peer may name:
    the one place that decides which codecs peer text is decoded with."""
    try:
        codec = codecs.lookup(charset or "us-ascii")
    except (LookupError, ValueError):
        return None
    if codec.name.replace("_", "-") in _NOT_CHARSETS or not codec._is_text_encoding:
        return None
    return codec.name


def decode_text(data: bytes, charset: str | None) -> str:
    """Bytes in a peer-named charset; a charset ``text_codec`` refuses falls back to Latin-1,
    which reads any byte, so header text is never lost."""
    codec = text_codec(charset)
    return data.decode("latin-1" if codec is None else codec, errors="replace")


# An RFC 2047 encoded word, matched only where "=?" was found: the charset runs to the next "?"
# (any character but white space, so a peer's odd charset name still reaches decode_text), the
# encoded text is printable ASCII without "?" or space. No repeated part can contain the
# character after it, so a failed match costs its own length and the words' "?" bound how far
# one attempt reads.
_WORD = re.compile(r"=\?([^?\s]*)\?([BbQq])\?([\x21-\x3e\x40-\x7e]*)\?=")
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/]*")


def _word_bytes(encoding: str, text: str) -> bytes | None:
    """The bytes an encoded word's text stands for, or None when it is not valid B or Q."""
    if encoding in "Qq":
        # "_" is a space, "=XX" a byte; a stray "=" stays as it is.
        return binascii.a2b_qp(text.encode("ascii"), header=True)
    data = text.rstrip("=")
    if len(text) - len(data) > 2 or len(data) % 4 == 1 or not _BASE64_TEXT.fullmatch(data):
        return None
    return binascii.a2b_base64(data + "=" * (-len(data) % 4))  # missing padding forgiven


def decode_words(text: str, report: Report = _ignore) -> str:
    """Decode RFC 2047 encoded words (``=?utf-8?B?...?=``); other text is left as it is.

    White space between two encoded words is dropped, and adjacent words in one charset are
    decoded together (peers split a character across words). A word whose text does not decode
    stays as sent. Raw non-ASCII text beside encoded words is kept as received and reported:
    RFC 2047 headers are ASCII, so the raw text's charset is anyone's guess.
    """
    if "=?" not in text:
        return text
    out: list[str] = []
    pending: list[bytes] = []  # the bytes of adjacent words in one charset, not yet decoded
    pending_charset = ""
    position = 0  # text before this is in ``out`` or ``pending``
    search = 0
    decoded_any = raw_non_ascii = False
    while (start := text.find("=?", search)) >= 0:
        search = start + 1
        match = _WORD.match(text, start)
        if match is None:
            continue
        charset, encoding, encoded = match.groups()
        data = _word_bytes(encoding, encoded)
        if data is None:
            continue
        charset = charset.partition("*")[0]  # RFC 2231 adds "*language"
        between = text[position:start]
        if pending and not between.strip(" \t\r\n") and charset.lower() == pending_charset:
            pending.append(data)
        else:
            if pending:
                out.append(decode_text(b"".join(pending), pending_charset))
            if between.strip(" \t\r\n") or not pending:
                out.append(between)
                raw_non_ascii = raw_non_ascii or not between.isascii()
            pending, pending_charset = [data], charset.lower()
        decoded_any = True
        position = search = match.end()
    if pending:
        out.append(decode_text(b"".join(pending), pending_charset))
    rest = text[position:]
    out.append(rest)
    if decoded_any and (raw_non_ascii or not rest.isascii()):
        report(
            "mixed-encoded-words",
            f"raw non-ASCII text beside RFC 2047 words, kept as received: {text[:60]!r}",
        )
    decoded = "".join(out)
    if decoded_any:
        _report_controls(decoded, report)
    return decoded


#: Characters no header line may carry (TAB aside): a decoded value holding one is reported,
#: and the encoder refuses to send one (it would have to be decoded into a header value).
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _report_controls(decoded: str, report: Report) -> None:
    """Encoded words and RFC 2231 values can carry what a header line cannot (CR, LF, NUL):
    kept, since the value is the peer's, but reported, so strict mode refuses it and nobody
    takes a decoded file name or location for safe."""
    if CONTROL.search(decoded):
        report(
            "control-in-header-value",
            f"a decoded header value holds control characters: {decoded[:60]!r}",
        )


# The media types of nearly every MM7 message, known good without the token check.
_USUAL_MEDIA_TYPES = frozenset(
    {
        "multipart/related",
        "multipart/mixed",
        "text/xml",
        "text/plain",
        "application/smil",
        "image/jpeg",
        "image/gif",
        "image/png",
        "audio/amr",
        "video/3gpp",
    }
)


#: Content-Type values read before with nothing to report, and what they gave. A receiver
#: meets the same few values on every message (one per peer and kind of part), and reading one
#: (a split, a regular expression per parameter, a dict) costs several times a lookup and a
#: copy. Values with a boundary are left out: a boundary is new in every message, so they
#: would only fill the memory. Bounded in count and in value length, so odd or hostile values
#: are simply read again.
_READ_BEFORE: dict[str, tuple[str, dict[str, str]]] = {}
_MAX_REMEMBERED = 256
_LONGEST_REMEMBERED = 512


def parse_content_type(value: str, report: Report = _ignore) -> tuple[str, dict[str, str]]:
    """(media type in lower case, parameters with lower-case names); the dict is the caller's
    own to change."""
    known = _READ_BEFORE.get(value)
    if known is not None:
        return known[0], dict(known[1])
    media, params, clean = read_content_type(value, report)
    if (
        clean
        and "boundary" not in params
        and len(value) <= _LONGEST_REMEMBERED
        and len(_READ_BEFORE) < _MAX_REMEMBERED
    ):
        _READ_BEFORE[value] = (media, dict(params))
    return media, params


def read_content_type(value: str, report: Report) -> tuple[str, dict[str, str], bool]:
    """``parse_content_type`` without the memory: also whether nothing was reported (only
    then may the result be reused for the same text)."""
    media, _, rest = value.partition(";")
    media = media.strip().lower()
    clean = True
    if media not in _USUAL_MEDIA_TYPES and not is_media_type(media):
        report("bad-content-type", f"Content-Type {value!r} is not a type/subtype")
        clean = False
    if value.rstrip().endswith(";"):
        report("empty-parameter", f"Content-Type {value!r} ends with an empty parameter")
        clean = False
    if not rest:
        return media, {}, clean
    simple = _simple_parameters(rest)
    if simple is not None:
        return media, simple, clean
    # The general reader may report; whether it did is not known here, so never reused.
    return media, parse_parameters_in_general(rest, report), False


# What a parameter name may hold: anything but white space, the RFC 2045 specials and "=".
_NAME_CHARACTER = r'[^\s()<>@,;:\\"/\[\]?=]'
_PARAMETER_NAME = re.compile(_NAME_CHARACTER + "+")

# The general reader's runs, each one character class matched at a position: none backtracks.
_NAME_RUN = re.compile(_NAME_CHARACTER + "*")
_SEPARATORS = re.compile(r"[;\s]*")
_SPACES = re.compile(r"\s*")
_QUOTED_RUN = re.compile(r'[^"\\]*')
_BARE_VALUE = re.compile(r"[^;]*")


def _run_end(run: re.Pattern[str], text: str, at: int) -> int:
    """Where a run of one of the classes above, starting at ``at``, ends."""
    match = run.match(text, at)
    assert match is not None  # each run may be empty, so it always matches
    return match.end()


def _simple_parameters(text: str) -> dict[str, str] | None:
    """The usual parameters (``name=value`` and ``name="value"`` pairs with nothing to unquote,
    decode or choose between) read with one split; None for anything else, which the general
    reader takes."""
    if "\\" in text or "*" in text or "=?" in text:
        return None
    params: dict[str, str] = {}
    for piece in text.split(";"):
        name, equals, value = piece.partition("=")
        name = name.strip(" \t\r\n")
        if not equals:
            if name:
                return None
            continue
        if _PARAMETER_NAME.fullmatch(name) is None:
            return None
        value = value.strip()
        if '"' in value:
            # Only a whole quoted value with no quote inside is this simple.
            if len(value) < 2 or value[0] != '"' or value[-1] != '"' or '"' in value[1:-1]:
                return None
            value = value[1:-1]
        name = name.lower()
        if name in params:
            return None  # a duplicate, which the general reader reports
        params[name] = value
    return params


def _quoted_string(text: str, opening: int) -> tuple[str | None, int]:
    """The quoted string whose opening quote is at ``opening``: (its value, the index after its
    closing quote), or (None, where it broke off) when it has no closing quote (or a backslash
    before a line break or at the end)."""
    pieces: list[str] = []
    at = opening + 1
    length = len(text)
    while True:
        run_end = _run_end(_QUOTED_RUN, text, at)
        pieces.append(text[at:run_end])
        if run_end >= length:
            return None, length
        if text[run_end] == '"':
            return "".join(pieces), run_end + 1
        # A backslash: it quotes the next character, any but a line break.
        if run_end + 1 >= length or text[run_end + 1] == "\n":
            return None, run_end
        pieces.append(text[run_end + 1])
        at = run_end + 2


def _read_parameters(text: str, report: Report) -> list[tuple[str, str]]:
    """Every ``name=value`` pair in order (names in lower case, values unquoted), each
    unreadable stretch between them reported.

    One pass: a name not followed by "=" is skipped whole (a pattern retried from each of its
    characters would make a long run quadratic). A value is a quoted string or, failing that,
    everything up to the next ";"; a parameter starts after any run of ";" and white space.
    Quoted strings are read once each: one that breaks off has no unescaped quote after its
    opening, so no later value (whose quote follows "=" or white space) opens inside it.
    """
    pairs: list[tuple[str, str]] = []
    length = len(text)
    read_up_to = 0  # the end of the last pair
    attempt = 0  # where the next pair may start
    while attempt < length:
        name_start = _run_end(_SEPARATORS, text, attempt)
        name_end = _run_end(_NAME_RUN, text, name_start)
        if name_end == name_start:
            attempt = name_start + 1  # no name here, nor anywhere in the separators before
            continue
        equals = _run_end(_SPACES, text, name_end)
        if equals >= length or text[equals] != "=":
            attempt = name_end  # no pair starts inside this name either
            continue
        value_start = _run_end(_SPACES, text, equals + 1)
        value: str | None = None
        if value_start < length and text[value_start] == '"':
            value, end = _quoted_string(text, value_start)
        if value is None:
            end = _run_end(_BARE_VALUE, text, value_start)
            value = text[value_start:end].strip()
        if text[read_up_to:attempt].strip(" \t\r\n;"):
            _report_unreadable(text, read_up_to, report)
        pairs.append((text[name_start:name_end].lower(), value))
        read_up_to = attempt = end
    if text[read_up_to:].strip(" \t\r\n;"):
        _report_unreadable(text, read_up_to, report)
    return pairs


def _report_unreadable(text: str, start: int, report: Report) -> None:
    report("bad-parameter", f"unreadable parameters near {text[start : start + 40]!r}")


def parse_parameters_in_general(text: str, report: Report) -> dict[str, str]:
    """Every parameter syntax peers use, with each unreadable stretch reported. Of a parameter
    given twice, the first is kept and the repeat reported."""
    pairs = _read_parameters(text, report)
    if any("*" in name for name, _ in pairs):
        return _combine_rfc2231(pairs, report)
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            _report_duplicate(name, report)
        else:
            params[name] = decode_words(value, report)
    return params


def _report_duplicate(name: str, report: Report) -> None:
    report("duplicate-parameter", f"parameter {name[:60]!r} is given again; the first is kept")


def _section_number(section: str) -> tuple[str, bool]:
    """An RFC 2231 section's number (decimal digits without leading zeros, "" for 0) and
    whether it is written as RFC 2231 has it ("0" or no leading zero; none for ``name*``).

    The digits are kept as text and compared by (length, text): ``int()`` refuses numbers of
    more than 4300 digits, and a number that long means nothing here anyway.
    """
    number = section[:-1] if section.endswith("*") else section
    if number.isascii() and number.isdigit():
        digits = number.lstrip("0")
        return digits, number == (digits or "0")
    # isascii: str.isdigit() also accepts digits that are not decimal, such as "³".
    return "", section == ""


def _combine_rfc2231(pairs: list[tuple[str, str]], report: Report) -> dict[str, str]:
    """Join ``name*0``/``name*1`` continuations and decode ``name*=charset'lang'%XX`` values.

    Lenient choices, each reported: a repeated name keeps its first value; sections are joined
    in number order (a repeated number in arrival order), whatever is missing or repeated;
    a section number written oddly is read as its digits (none: 0); a value given both plainly
    and in RFC 2231 form takes the RFC 2231 form.
    """
    params: dict[str, str] = {}
    seen: set[str] = set()
    continued: dict[str, list[tuple[tuple[int, str], str, bool]]] = {}
    for name, value in pairs:
        if name in seen:
            _report_duplicate(name, report)
            continue
        seen.add(name)
        base, star, section = name.partition("*")
        if not star:
            params[name] = decode_words(value, report)
            continue
        digits, well_written = _section_number(section)
        if not well_written:
            report(
                "bad-rfc2231-section",
                f"parameter {name[:60]!r} has no RFC 2231 section number; read as "
                f"{(digits or '0')[:20]}",
            )
        encoded = section.endswith("*") or section == ""
        continued.setdefault(base, []).append(((len(digits), digits), value, encoded))
    for base, sections in continued.items():
        sections.sort(key=lambda entry: entry[0])  # stable: repeats stay in arrival order
        charset = "us-ascii"
        pieces: list[bytes] = []
        previous: tuple[int, str] | None = None
        numbers = 0  # distinct section numbers so far
        in_sequence = True
        for number, value, encoded in sections:
            if number == previous:
                in_sequence = False
            else:
                in_sequence = in_sequence and number[1] == (str(numbers) if numbers else "")
                numbers += 1
                previous = number
            index = len(pieces)
            if encoded:
                if index == 0 and value.count("'") >= 2:
                    charset, _lang, value = value.split("'", 2)
                pieces.append(unquote_to_bytes(value))
            else:
                pieces.append(value.encode("utf-8"))
        if not in_sequence:
            report(
                "rfc2231-section-gap",
                f"the sections of parameter {base[:60]!r} do not run 0, 1, 2, ... without a gap "
                f"or a repeat; those present are joined in number order",
            )
        value = decode_text(b"".join(pieces), charset)
        _report_controls(value, report)
        if base in params and params[base] != value:
            report(
                "duplicate-parameter",
                f"parameter {base[:60]!r} is given plainly and in RFC 2231 form, with different "
                f"values; the RFC 2231 form is kept",
            )
        params[base] = value
    return params


def strip_angle_brackets(value: str) -> tuple[str, bool]:
    """A Content-ID or start value without ``<>``, and whether the brackets were there."""
    stripped = value.strip()
    if stripped.startswith("<") and stripped.endswith(">"):
        return stripped[1:-1].strip(), True
    return stripped, False


# Characters a quoted parameter value carries as they are: printable ASCII. Anything else (a
# control character, CR/LF, non-ASCII) goes in the RFC 2231 form.
_QUOTABLE = re.compile(r"[ -~]*")


def encode_parameter(name: str, value: str) -> str:
    """``name="value"``, or the RFC 2231 form ``name*=utf-8''...`` when a quoted string would
    not bring the value back exactly: non-ASCII or control characters, leading or trailing
    white space (some readers strip it), and ``=?`` (readers decode RFC 2047 look-alikes in
    quoted strings, so ``"=?utf-8?q?=2E=2E?="`` would arrive as ``..``). The RFC 2231 form
    is never read as an encoded word, and carries every character exactly.

    Raises ``ValueError`` for control characters (a reader reports them: ``CONTROL``) and
    ``UnicodeEncodeError`` for a lone surrogate, which no charset can carry (the encoder turns
    both into an ``EncodeError`` naming the part).
    """
    if CONTROL.search(value):
        raise ValueError("a parameter value holds control characters")
    if _QUOTABLE.fullmatch(value) is not None and "=?" not in value and value == value.strip(" "):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{name}="{escaped}"'
    return f"{name}*=utf-8''{quote(value, safe='', errors='strict')}"


def format_content_type(media_type: str, params: Mapping[str, str]) -> str:
    """A Content-Type value: the media type, then each parameter as ``encode_parameter``
    writes it, in the order given. Names are written as given: the caller checks them."""
    return "; ".join([media_type, *(encode_parameter(k, v) for k, v in params.items())])
