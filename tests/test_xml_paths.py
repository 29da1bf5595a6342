"""The fast and the careful XML paths read every document alike.

``parse`` hands a document that ``_provably_plain`` lets through to ElementTree's C parser and
everything else to the hardened expat reader. Whatever the bytes, the two must give the same
element tree, or both refuse with the same error class and MM7 status. The documents are real
envelopes (messages from ``mm7codec.strategies``, encoded) and those envelopes mutated: bytes
flipped, markup declarations, processing instructions, references, NUL bytes and attributes
inserted, namespace URIs given spaces, tabs, braces and non-ASCII characters, namespaces
declared again on inner elements.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import mm7codec
from mm7codec import Limits, strategies
from mm7codec._limits import DEFAULT_LIMITS
from mm7codec._soap_encode import encode_envelope
from mm7codec._xml import _parse_carefully, _provably_plain, parse
from mm7codec._xml_encoding import to_utf8

# Small limits as well, so that the byte counts that prove a document plain are tested too.
LIMITS = (
    DEFAULT_LIMITS,
    Limits(max_xml_depth=5, max_xml_elements=24, max_xml_attributes=3, max_xml_text=60),
)

# Attributes and namespace declarations, inserted into start tags.
ATTRIBUTES = (
    b" a='1'",
    b' p:a="1"',
    b' xmlns:p="urn:p"',
    b' xmlns="urn:default"',
    b' xmlns=""',
    b' xmlns:p=""',
    b' xmlns:xml="urn:not-xml"',
    b' xmlns="urn:a b"',
    b' xmlns:p="urn:\ta"',
    b' xmlns="urn:}"',
    b' xmlns="\xe4\xb8\xad"',
    b' a="&#9;x&#32;"',
)
# Pieces of markup that change how a document must be read, inserted anywhere.
SNIPPETS = (
    *ATTRIBUTES,
    b"<!",
    b"<?",
    b"&",
    b"\x00",
    b"&amp;",
    b"&#0;",
    b"&#x10FFFF;",
    b"&undefined;",
    b"<!-- note -->",
    b"<![CDATA[x<y]]>",
    b"<?pi data?>",
    b'<!DOCTYPE e [<!ENTITY x "y">]>',
    b"\r\n",
    b"\t",
    b"\xc3\xa9",
    b"\xff",
    b'<p:x xmlns:p="urn:odd uri"/>',
    b"<x/>",
    b"</x>",
)
# Characters that namespace URIs must survive (or be refused for) alike on both paths.
URI_NOISE = (" ", "\t", "\n", "}", "{", "\u00e9", "\u4e2d", "&#32;", "&#9;", "&#125;", '"', "<")


def _envelope(message: mm7codec.Message) -> bytes:
    has_content = getattr(message, "content", None) is not None
    return encode_envelope(message, "content" if has_content else None)


def _tree(element: ElementTree.Element) -> object:
    return (
        element.tag,
        sorted(element.attrib.items()),
        element.text or "",
        element.tail or "",
        [_tree(child) for child in element],
    )


def _outcome(read: Callable[[bytes], ElementTree.Element], data: bytes) -> object:
    try:
        return "tree", _tree(read(data))
    except mm7codec.MM7Error as error:
        return "refused", type(error).__name__, error.status_code


def _agree(data: bytes, limits: Limits) -> bool:
    """Assert that both paths read ``data`` alike; return whether it was a plain document."""
    fast = _outcome(lambda d: parse(d, limits), data)
    careful = _outcome(lambda d: _parse_carefully(to_utf8(d), "utf-8", limits), data)
    assert fast == careful
    return _provably_plain(data, limits)


@st.composite
def mutated(draw: st.DrawFn, document: bytes) -> bytes:
    """``document`` with a few edits, each at a place where it is likely to matter."""
    data = bytearray(document)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "attribute", "namespace"]))
        if kind == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.sampled_from(SNIPPETS))
        elif kind == "attribute":
            # Just before the end of a start tag (or of an empty-element tag).
            ends = [i - (data[i - 1 : i] == b"/") for i in range(len(data)) if data[i] == 62]
            if ends:
                at = draw(st.sampled_from(ends))
                data[at:at] = draw(st.sampled_from(ATTRIBUTES))
        else:
            # Inside the value of a namespace declaration.
            starts = [
                data.find(b'"', i) + 1 for i in range(len(data)) if data[i : i + 5] == b"xmlns"
            ]
            starts = [start for start in starts if start > 0]
            if starts:
                at = draw(st.sampled_from(starts)) + draw(st.integers(0, 3))
                data[at:at] = draw(st.sampled_from(URI_NOISE)).encode("utf-8")
    return bytes(data)


@given(strategies.messages(), st.sampled_from(LIMITS))
def test_generated_envelopes_read_alike(message: mm7codec.Message, limits: Limits) -> None:
    event("fast path" if _agree(_envelope(message), limits) else "careful path")


@given(
    strategies.messages().map(_envelope).flatmap(mutated),
    st.sampled_from(LIMITS),
)
def test_mutated_envelopes_read_alike(data: bytes, limits: Limits) -> None:
    event("fast path" if _agree(data, limits) else "careful path")


@pytest.mark.parametrize("noise", URI_NOISE)
@pytest.mark.parametrize("where", ["default", "prefixed", "attribute"])
def test_odd_namespace_uris_read_alike(noise: str, where: str) -> None:
    uri = f"urn:a{noise}b"
    document = {
        "default": f'<e xmlns="{uri}"><c>x</c></e>',
        "prefixed": f'<p:e xmlns:p="{uri}"><p:c>x</p:c></p:e>',
        "attribute": f'<e xmlns:p="{uri}" p:a="1"/>',
    }[where].encode("utf-8")
    # Each of these is plain: the fast path is the one compared.
    assert all([_agree(document, limits) for limits in LIMITS])
