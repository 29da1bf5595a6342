"""Validation of encoded envelopes against the REL-6-MM7-1-4 XML Schema rebuilt from the schema
evidence (``../shared/mm7/xsd``), and the small MIME split the schema tests need.

The schema covers MM7 elements only, not the SOAP envelope, so what is validated is the
header's TransactionID and the body's MM7 element (for a Fault, the MM7 element in its
detail), each on its own. The schema file lives beside the project, never inside it: tests
that use it skip, saying why, where it or lxml (a test-only dependency) is absent.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import pytest

from .conftest import TESTS

etree: Any
try:
    from lxml import etree
except ImportError:  # only the schema checks need it; the vectors' other checks run without
    etree = None

#: The rebuilt schema; like the peer samples, it lives beside the project, not in it.
XSD = TESTS.parent.parent / "shared" / "mm7" / "xsd" / "REL-6-MM7-1-4.reconstructed.xsd"
REL6_1_4 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"

needs_xsd = pytest.mark.skipif(
    etree is None or not XSD.is_file(),
    reason="lxml (in the test extra) is not installed"
    if etree is None
    else f"the rebuilt REL-6-MM7-1-4 schema is not at {XSD} (it lives beside the project)",
)

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?')


@cache
def _schema() -> Any:
    return etree.XMLSchema(etree.parse(str(XSD)))


def schema_problems(envelope: bytes) -> list[str]:
    """What the schema refuses in ``envelope``: one line per error, the namespace shortened
    to ``mm7:``; an empty list when the MM7 elements validate."""
    root = etree.fromstring(envelope)
    header = root.find(f"{{{SOAP}}}Header")
    body = root.find(f"{{{SOAP}}}Body")
    targets = [] if header is None else list(header)
    for child in [] if body is None else list(body):
        if child.tag == f"{{{SOAP}}}Fault":
            detail = child.find("detail")
            targets.extend([] if detail is None else list(detail))
        else:
            targets.append(child)
    if not targets:
        return ["no MM7 element in the envelope"]
    schema = _schema()
    problems = []
    for element in targets:
        if not schema.validate(etree.ElementTree(copy.deepcopy(element))):
            problems.extend(
                error.message.replace(f"{{{REL6_1_4}}}", "mm7:") for error in schema.error_log
            )
    return problems


def mime_parts(content_type: str, body: bytes) -> list[tuple[bytes, bytes]]:
    """The (headers, body) of each part of a one-level multipart body, split exactly at its
    delimiters (no parser in between, so the bytes are the wire's own)."""
    match = _BOUNDARY.search(content_type)
    assert match is not None, f"no boundary in {content_type!r}"
    delimiter = b"--" + match[1].encode("ascii")
    assert body.startswith(delimiter + b"\r\n"), "the body does not open with its boundary"
    closing = b"\r\n" + delimiter + b"--\r\n"
    assert body.endswith(closing), "the body does not end with its closing delimiter"
    inner = body[len(delimiter) + 2 : -len(closing)]
    parts = []
    for raw in inner.split(b"\r\n" + delimiter + b"\r\n"):
        headers, separator, content = raw.partition(b"\r\n\r\n")
        assert separator, f"a part without a blank line after its headers: {raw[:80]!r}"
        parts.append((headers, content))
    return parts


def envelope_of(content_type: str, body: bytes) -> bytes:
    """The SOAP envelope of an encoded message: the body itself, or the first MIME part."""
    if content_type.startswith("multipart/"):
        return mime_parts(content_type, body)[0][1]
    return body
