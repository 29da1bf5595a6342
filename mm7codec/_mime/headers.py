"""Header fields and their parameters: Content-Type values, RFC 2231 parameter continuations
and charsets, RFC 2047 encoded words. Lenient by default: parameter names in any case, quoted
or bare values, an empty trailing parameter (reported through ``on_deviation``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.errors import HeaderParseError
from email.header import decode_header
from urllib.parse import quote, unquote_to_bytes

from . import Report

__all__ = [
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


_ENCODED_WORD = "=?"


def _ignore(_code: str, _detail: str) -> None:
    pass


def decode_text(data: bytes, charset: str | None) -> str:
    """Bytes in a peer-named charset; a name Python cannot use (unknown, malformed, NUL
    bytes) falls back to Latin-1, which reads any byte, so header text is never lost."""
    try:
        return data.decode(charset or "us-ascii", errors="replace")
    except (LookupError, ValueError):
        return data.decode("latin-1")


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words (``=?utf-8?B?...?=``); other text is left alone."""
    if _ENCODED_WORD not in text:
        return text
    try:
        pieces = decode_header(text)
    except (ValueError, LookupError, HeaderParseError):
        return text  # not decodable: kept exactly as sent
    return "".join(
        decode_text(piece, charset) if isinstance(piece, bytes) else piece
        for piece, charset in pieces
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


def parse_content_type(value: str, report: Report = _ignore) -> tuple[str, dict[str, str]]:
    """(media type in lower case, parameters with lower-case names)."""
    media, _, rest = value.partition(";")
    media = media.strip().lower()
    if media not in _USUAL_MEDIA_TYPES and not is_media_type(media):
        report("bad-content-type", f"Content-Type {value!r} is not a type/subtype")
    if value.rstrip().endswith(";"):
        report("empty-parameter", f"Content-Type {value!r} ends with an empty parameter")
    if not rest:
        return media, {}
    simple = _simple_parameters(rest)
    return media, simple if simple is not None else parse_parameters_in_general(rest, report)


# One parameter: a name, "=", and a quoted string or a bare value up to the next ";".
_PARAMETER = re.compile(r'[;\s]*([^\s()<>@,;:\\"/\[\]?=]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))')
_QUOTED_PAIR = re.compile(r"\\(.)")


# A parameter name as the general reader's pattern has it.
_PARAMETER_NAME = re.compile(r'[^\s()<>@,;:\\"/\[\]?=]+')


def _simple_parameters(text: str) -> dict[str, str] | None:
    """The usual parameters (``name=value`` and ``name="value"`` pairs with nothing to unquote or
    decode) read with one split; None for anything else, which the general reader takes."""
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
        params.setdefault(name.lower(), value)
    return params


def parse_parameters_in_general(text: str, report: Report) -> dict[str, str]:
    """Every parameter syntax peers use, with each unreadable stretch reported."""
    raw: list[tuple[str, str]] = []
    position = 0
    for match in _PARAMETER.finditer(text):
        if text[position : match.start()].strip(" \t\r\n;"):
            report("bad-parameter", f"unreadable parameters near {text[position:][:40]!r}")
        name, quoted, bare = match.groups()
        if quoted is None:
            value = bare.strip()
        else:
            value = _QUOTED_PAIR.sub(r"\1", quoted) if "\\" in quoted else quoted
        raw.append((name.lower(), value))
        position = match.end()
    if text[position:].strip(" \t\r\n;"):
        report("bad-parameter", f"unreadable parameters near {text[position:][:40]!r}")
    if not any("*" in name for name, _ in raw):
        return {name: decode_words(value) for name, value in reversed(raw)}  # first one wins
    return _combine_rfc2231(raw)


def _combine_rfc2231(raw: list[tuple[str, str]]) -> dict[str, str]:
    """Join ``name*0``/``name*1`` continuations and decode ``name*=charset'lang'%XX`` values."""
    params: dict[str, str] = {}
    continued: dict[str, list[tuple[int, str, bool]]] = {}
    for name, value in raw:
        base, star, section = name.partition("*")
        if not star:
            params.setdefault(name, decode_words(value))
            continue
        encoded = section.endswith("*") or section == ""
        number_text = section.rstrip("*")
        # isascii: str.isdigit() also accepts digits int() refuses, such as "³".
        number = int(number_text) if number_text.isascii() and number_text.isdigit() else 0
        continued.setdefault(base, []).append((number, value, encoded))
    for base, sections in continued.items():
        sections.sort()
        charset = "us-ascii"
        pieces: list[bytes] = []
        for index, (_, value, encoded) in enumerate(sections):
            if encoded:
                if index == 0 and value.count("'") >= 2:
                    charset, _lang, value = value.split("'", 2)
                pieces.append(unquote_to_bytes(value))
            else:
                pieces.append(value.encode("utf-8"))
        params[base] = decode_text(b"".join(pieces), charset)
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

    Raises ``UnicodeEncodeError`` for a lone surrogate, which no charset can carry (the
    encoder turns it into an ``EncodeError`` naming the part).
    """
    if _QUOTABLE.fullmatch(value) is not None and "=?" not in value and value == value.strip(" "):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{name}="{escaped}"'
    return f"{name}*=utf-8''{quote(value, safe='', errors='strict')}"


def format_content_type(media_type: str, params: Mapping[str, str]) -> str:
    """A Content-Type value: the media type, then each parameter as ``encode_parameter``
    writes it, in the order given. Names are written as given: the caller checks them."""
    return "; ".join([media_type, *(encode_parameter(k, v) for k, v in params.items())])
