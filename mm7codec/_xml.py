"""A hardened XML reader: expat driven directly, building a minimal node tree.

SOAP 1.1 forbids DTDs and processing instructions in an envelope, so refusing them costs no
legitimate peer anything and closes the whole family of entity attacks (billion laughs,
quadratic blow-up, external and parameter entities) before expat expands anything. The refusals
raise defusedxml's own exception types, which ``parse`` turns into our ``DecodeError``; every
other bound (depth, element count, attributes, text size) is a ``Limits`` field.

Both paths give ElementTree elements: ``"{uri}local"`` for a namespaced name, ``"local"`` for
one in no namespace; ``local_name``, ``namespace_of``, ``own_text`` and ``attribute`` read them.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError, XMLParser
from xml.parsers import expat

from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from ._deviations import DeviationLog
from ._errors import DecodeError, LimitExceeded
from ._limits import Limits
from ._xml_encoding import to_utf8

__all__ = [
    "Node",
    "attribute",
    "local_name",
    "namespace_of",
    "own_text",
    "parse",
]


Node = Element


def local_name(node: Element) -> str:
    tag = node.tag
    return tag[tag.find("}") + 1 :]


def namespace_of(node: Element) -> str:
    tag = node.tag
    return tag[1 : tag.find("}")] if tag[:1] == "{" else ""


def own_text(node: Element) -> str:
    """The element's own text, also the pieces between its children (mixed content)."""
    if not len(node):
        return node.text or ""
    return (node.text or "") + "".join(child.tail or "" for child in node)


def attribute(node: Element, local: str) -> tuple[str | None, bool]:
    """The attribute with this local name, and whether it was namespace-qualified."""
    value = node.get(local)
    if value is not None:
        return value, False
    suffix = "}" + local
    for key, qualified_value in node.attrib.items():
        if key.endswith(suffix):
            return qualified_value, True
    return None, False


# ElementTree's own separator. Expat refuses a namespace URI that contains the separator, so
# both parsers must use the same one: with a space, the careful one refused a namespace with
# a space (or a tab, which attribute normalisation makes a space) that ElementTree accepted.
# A "}" cannot be told apart in "{uri}local" anyway, so refusing it costs nothing.
_SEPARATOR = "}"
# Every document reaches the parsers in UTF-8 (see ``to_utf8``), and they are told so.
_ENCODING = "utf-8"


def _qualified(expat_name: str) -> str:
    """expat's "uri}local" as ElementTree's "{uri}local"."""
    namespace, _, local = expat_name.rpartition(_SEPARATOR)
    return f"{{{namespace}}}{local}" if namespace else local


def _install_tree_builder(parser: expat.XMLParserType, limits: Limits) -> list[Element]:
    """Set the handlers that build the tree and enforce the limits; the returned list gets
    the root. Closures over locals: these run once per element of every message."""
    stack: list[Element] = []
    root: list[Element] = []
    max_depth = limits.max_xml_depth
    max_attributes = limits.max_xml_attributes
    max_text = limits.max_xml_text
    remaining = [limits.max_xml_elements]

    def exceeded(name: str, value: int) -> LimitExceeded:
        return LimitExceeded(name, value, offset=parser.CurrentByteIndex)

    def start(name: str, attrs: dict[str, str]) -> None:
        remaining[0] -= 1
        if remaining[0] < 0:
            raise exceeded("max_xml_elements", limits.max_xml_elements)
        if len(stack) >= max_depth:
            raise exceeded("max_xml_depth", max_depth)
        if len(attrs) > max_attributes:
            raise exceeded("max_xml_attributes", max_attributes)
        node = Element(_qualified(name), {_qualified(k): v for k, v in attrs.items()})
        if stack:
            stack[-1].append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def data(text: str) -> None:
        if not stack:
            return
        node = stack[-1]
        if len(node):
            last = node[-1]
            last.tail = (last.tail or "") + text
            size = len(last.tail)
        else:
            node.text = (node.text or "") + text
            size = len(node.text)
        if size > max_text:
            raise exceeded("max_xml_text", max_text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    return root


def _provably_plain(data: bytes, limits: Limits) -> bool:
    """Whether ElementTree's C parser may read ``data`` with nothing left to check.

    ``data`` is UTF-8 already (``to_utf8``). True only without a NUL byte, with no "<!" at
    all (so no DTD, no entity declarations; no comments or CDATA either, which are rare and go
    the careful way), no processing instruction after the XML declaration, and byte counts
    that prove no limit can be reached: elements are at most the "<" count, nesting at most
    half of it, attributes per element at most the "=" count, any text at most the whole
    length.
    """
    # NUL never occurs in XML; in a UTF-16/32 document that reached here unconverted, "<!"
    # would hide as "<\0!\0". Such bytes, and a UTF-16 byte order mark, go the careful way.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.find(b"\x00") >= 0:
        return False
    # "<" is in every tag, so a search for "<!" or "<?" stumbles at each one; "!" and "?" are
    # rare, and a search for one byte is a memchr. The two-byte search only runs when needed.
    # (A "<?" inside the XML declaration itself makes the declaration malformed: ElementTree
    # refuses it, and the careful path reports it.)
    if data.find(b"!") >= 0 and data.find(b"<!") >= 0:  # find: "in" is slower on bytes
        return False
    # The XML declaration, not a processing instruction named "xml-stylesheet" or the like.
    declared = data[:6] in (b"<?xml ", b"<?xml\t", b"<?xml\r", b"<?xml\n")
    after_declaration = data.find(b"?>") + 2 if declared else 0
    if data.find(b"?", after_declaration) >= 0 and data.find(b"<?", 5 if declared else 0) >= 0:
        return False
    tags = data.count(b"<")
    return (
        tags <= limits.max_xml_elements
        and (tags + 1) // 2 <= limits.max_xml_depth
        and data.count(b"=") <= limits.max_xml_attributes
        and len(data) <= limits.max_xml_text
    )


def _forbid_dtd(name: str, system_id: str | None, public_id: str | None, _subset: int) -> None:
    raise DTDForbidden(name, system_id or "", public_id or "")


def _forbid_entity(name: str, *_: object) -> None:
    raise EntitiesForbidden(name, "", "", "", "", "")


def _forbid_unparsed_entity(name: str, *_: object) -> None:
    raise EntitiesForbidden(name, "", "", "", "", "")


def _forbid_external(context: str, base: str | None, system_id: str | None, *_: object) -> int:
    raise ExternalReferenceForbidden(context, base or "", system_id or "", "")


def _forbid_processing_instruction(target: str, _data: str) -> None:
    raise DecodeError(f"XML processing instruction <?{target} ...?> is not allowed in SOAP")


def parse(data: bytes, limits: Limits, log: DeviationLog | None = None) -> Element:
    """Parse one XML document into an ElementTree tree, or raise ``DecodeError``.

    The document is first converted to UTF-8 (``to_utf8``: an allowed encoding, or a refusal;
    ``log`` hears of an encoding named by an alias). Plain documents then go through
    ElementTree's C parser; anything else (or anything it refuses) through expat with the DTD,
    entity and processing-instruction handlers that refuse, and the limits checked element by
    element, which also gives the precise error. Both run expat with the same encoding and the
    same namespace separator, so they read every document alike.
    """
    if len(data) > limits.max_envelope_size:
        raise LimitExceeded("max_envelope_size", limits.max_envelope_size)
    data = to_utf8(data, log)
    if _provably_plain(data, limits):
        try:
            return _parse_plainly(data)
        except ParseError:
            pass  # the careful parser below says exactly what is wrong
    return _parse_carefully(data, _ENCODING, limits)


def _parse_plainly(data: bytes) -> Element:
    """ElementTree's C parser over a UTF-8 document ``_provably_plain`` let through."""
    parser = XMLParser(encoding=_ENCODING)  # what ``fromstring`` does, without its call
    parser.feed(data)
    root: Element = parser.close()
    return root


def _parse_carefully(data: bytes, override: str | None, limits: Limits) -> Element:
    parser = expat.ParserCreate(override, namespace_separator=_SEPARATOR)
    parser.buffer_text = True
    root = _install_tree_builder(parser, limits)
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_entity
    parser.UnparsedEntityDeclHandler = _forbid_unparsed_entity
    parser.ExternalEntityRefHandler = _forbid_external
    parser.ProcessingInstructionHandler = _forbid_processing_instruction
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except DecodeError:
        raise  # our own refusals from the handlers (limits) pass through unchanged
    except expat.ExpatError as error:
        raise DecodeError(
            f"malformed XML: {expat.errors.messages[error.code]} "
            f"(line {error.lineno}, column {error.offset})",
            offset=parser.ErrorByteIndex,
        ) from None
    except DTDForbidden:
        raise DecodeError(
            "XML document type declarations (DTDs) are not allowed in SOAP",
            offset=parser.CurrentByteIndex,
        ) from None
    except EntitiesForbidden:
        raise DecodeError(
            "XML entity declarations are not allowed", offset=parser.CurrentByteIndex
        ) from None
    except (ExternalReferenceForbidden, DefusedXmlException):
        raise DecodeError(
            "XML external references are not allowed", offset=parser.CurrentByteIndex
        ) from None
    except (RecursionError, MemoryError):
        raise LimitExceeded("max_xml_depth", limits.max_xml_depth) from None
    except (ValueError, LookupError) as error:  # pyexpat's own refusals (encodings)
        raise DecodeError(f"unreadable XML: {error}", offset=parser.CurrentByteIndex) from None
    if not root:
        raise DecodeError("no XML root element")
    return root[0]
