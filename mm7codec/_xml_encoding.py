"""The character encodings an envelope may be written in, and the one conversion to UTF-8 that
every XML document goes through before it is parsed.

Left to itself, pyexpat resolves any encoding name it does not know through Python's codec
registry, which holds codecs no peer uses, some that are not character encodings at all
(``undefined``, ``rot13``) and some that are slow (``punycode`` decodes in quadratic time). So
the declared name is resolved here, against the encodings real MM7 peers write (each with the
aliases they write it under); the document is converted to UTF-8 once; and both parsers are
then told "UTF-8", so neither ever acts on the declared name. Every codec allowed is a single
linear pass over its input.
"""

from __future__ import annotations

import re

from ._deviations import DeviationLog
from ._errors import DecodeError

__all__ = ["ENCODINGS", "resolve_encoding", "to_utf8"]


def _table() -> dict[str, tuple[str, str]]:
    """Every accepted name, lower-cased, to (the standard name, the Python codec)."""
    table: dict[str, tuple[str, str]] = {}

    def add(standard: str, codec: str, *aliases: str) -> None:
        for name in (standard, *aliases):
            table[name.lower()] = (standard, codec)

    add("UTF-8", "utf-8", "utf8", "utf_8")
    add("UTF-16", "utf-16", "utf16", "utf_16")
    add("UTF-16LE", "utf-16-le", "utf-16-le", "utf16le", "utf_16_le")
    add("UTF-16BE", "utf-16-be", "utf-16-be", "utf16be", "utf_16_be")
    add("US-ASCII", "ascii", "ascii", "us_ascii", "iso646-us", "ansi_x3.4-1968")
    # ISO-8859-n and the "Latin-m" names some of them also go by.
    latin = {1: 1, 2: 2, 3: 3, 4: 4, 9: 5, 10: 6, 13: 7, 14: 8, 15: 9, 16: 10}
    for n in (*range(1, 12), *range(13, 17)):
        also = (f"latin{latin[n]}", f"latin-{latin[n]}", f"l{latin[n]}") if n in latin else ()
        add(f"ISO-8859-{n}", f"iso8859-{n}", f"iso8859-{n}", f"iso_8859-{n}", f"iso8859_{n}", *also)
    for n in range(1250, 1259):
        add(f"windows-{n}", f"cp{n}", f"cp{n}", f"cp-{n}", f"x-cp{n}", f"win{n}", f"windows{n}")
    add("GBK", "gbk", "cp936", "ms936", "windows-936", "x-gbk")
    add("GB2312", "gb2312", "gb_2312", "gb_2312-80", "euc-cn", "euccn", "x-euc-cn", "csgb2312")
    add("GB18030", "gb18030", "gb-18030", "gb18030-2000")
    add("Big5", "big5", "big-5", "cn-big5", "csbig5", "x-x-big5")
    add("EUC-KR", "euc_kr", "euckr", "euc_kr", "cseuckr")
    add("Shift_JIS", "shift_jis", "shift-jis", "shiftjis", "sjis", "x-sjis", "ms_kanji")
    return table


#: Every accepted encoding name (lower case) to its standard name and Python codec.
ENCODINGS = _table()
_UTF16_NAMES = {"utf-16": "UTF-16", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}
_UTF16 = frozenset(_UTF16_NAMES)
_XML_SPACE = (b" ", b"\t", b"\r", b"\n")

# What nearly every peer sends: recognised before anything else is looked at.
_USUAL_DECLARATIONS = tuple(
    f"<?xml version={q}1.0{q} encoding={q}{name}{q}".encode()
    for q in "\"'"
    for name in ("UTF-8", "utf-8")
)
# One pseudo-attribute of the XML declaration (version, encoding, standalone). Each piece has
# its own character class, disjoint from the next one's, so a match never backtracks far.
_PSEUDO_ATTRIBUTE = re.compile(
    rb"""[ \t\r\n]*([A-Za-z]+)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')"""
)
_ENCODING_NAME = re.compile(rb"[A-Za-z][A-Za-z0-9._-]*")


def resolve_encoding(
    name: str, log: DeviationLog | None = None, offset: int = 0
) -> tuple[str, str]:
    """(standard name, Python codec) for a declared encoding name, or ``DecodeError``.

    A name other than the standard one (``utf8``, ``latin1``, ``cp1252``) is read, and
    reported as ``xml-encoding-alias``."""
    found = ENCODINGS.get(name.lower())
    if found is None:
        raise DecodeError(
            f"unknown XML encoding {name[:60]!r}: MM7 envelopes are read in UTF-8, UTF-16, "
            "US-ASCII, ISO-8859-*, windows-125*, GBK, GB2312, GB18030, Big5, EUC-KR "
            "or Shift_JIS",
            offset=offset,
        )
    standard = found[0]
    if log is not None and name.lower() != standard.lower():
        log.report(
            "xml-encoding-alias", f"XML encoding declared as {name!r}, read as {standard}", "/"
        )
    return found


def _declared_name(data: bytes, start: int) -> tuple[str, int] | None:
    """The encoding named in an XML declaration at ``start``, and its offset; None when there
    is no declaration or it names no encoding."""
    if data[start : start + 5] != b"<?xml" or data[start + 5 : start + 6] not in _XML_SPACE:
        return None
    end = data.find(b"?>", start + 5)
    if end < 0:
        raise DecodeError("malformed XML: the XML declaration never ends", offset=start)
    position = start + 5
    while match := _PSEUDO_ATTRIBUTE.match(data, position, end):
        position = match.end()
        if match[1] == b"encoding":
            value = match[2] if match[2] is not None else match[3]
            name = value.decode("latin-1")
            if not _ENCODING_NAME.fullmatch(value):
                raise DecodeError(f"unknown XML encoding {name[:60]!r}", offset=match.start(1))
            return name, match.start(1)
    if data[position:end].strip(b" \t\r\n"):
        raise DecodeError("malformed XML: the XML declaration is not well-formed", offset=position)
    return None


def _utf16_codec(data: bytes) -> str | None:
    """The UTF-16 codec a document's first bytes show (a byte order mark, or "<" written in
    UTF-16), or None for a document in an ASCII-compatible encoding."""
    first = data[:2]
    if first in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if first == b"<\x00":
        return "utf-16-le"
    if first == b"\x00<":
        return "utf-16-be"
    return None


def to_utf8(data: bytes, log: DeviationLog | None = None) -> bytes:
    """The document in UTF-8, for a parser told that it is UTF-8 (whatever it declares).

    Raises ``DecodeError`` for an encoding not allowed, a declaration that contradicts the
    document's first bytes, or bytes that are not valid in the encoding declared."""
    if data.startswith(_USUAL_DECLARATIONS):
        return data
    utf16 = _utf16_codec(data)
    if utf16 is not None:
        text = _decoded(data, utf16, "UTF-16")
        converted = text.encode("utf-8")
        declared = _declared_name(converted, 0)
        if declared is not None:
            name, offset = declared
            standard, codec = resolve_encoding(name, log, offset)
            if codec not in _UTF16 or (utf16 != "utf-16" and codec not in ("utf-16", utf16)):
                raise DecodeError(
                    f"malformed XML: the declaration says {standard} but the document is "
                    f"{_UTF16_NAMES[utf16]}",
                    offset=0,
                )
        return converted
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    declared = _declared_name(data, bom)
    if declared is None:
        return data
    standard, codec = resolve_encoding(declared[0], log, declared[1])
    if codec == "utf-8":
        return data
    if bom:
        raise DecodeError(
            f"malformed XML: a UTF-8 byte order mark, but the declaration says {standard}",
            offset=0,
        )
    if codec in _UTF16:
        raise DecodeError(
            f"malformed XML: the declaration says {standard} but the document does not start "
            "with a byte order mark or a '<' in UTF-16",
            offset=declared[1],
        )
    return _decoded(data, codec, standard).encode("utf-8")


def _decoded(data: bytes, codec: str, standard: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"the document is not valid {standard}: {error.reason}", offset=error.start
        ) from None
