"""What a Python user would write without mm7codec, and the raw limit of the C parts.

- stdlib path: ``email`` (default or compat32 policy) over the body, ElementTree over the SOAP
  part, every payload decoded.
- raw limit: expat over the SOAP part with no handlers, ``bytes.find`` for the boundaries,
  ``binascii`` for the base64 payloads; no objects built.
- floors: the parts of that work no pure-Python decoder or encoder can skip (ElementTree over
  the envelope; base64 in 76-character lines; the envelope's bytes joined from pieces), to
  show how much of a ratio is left to win.
"""

from __future__ import annotations

import binascii
import email
import email.policy
import itertools
import xml.etree.ElementTree as ElementTree
from xml.parsers import expat

from mm7codec._mime.transfer import encode_base64_pieces

from .corpus import Case

_SLICE = 57 * 1024  # the encoder's read size


def stdlib_decode(case: Case, policy: email.policy.Policy) -> object:
    if not case.has_content:
        return ElementTree.fromstring(case.body)
    head = f"Content-Type: {case.content_type}\r\n\r\n".encode()
    message = email.message_from_bytes(head + case.body, policy=policy)
    parts = [part for part in message.walk() if not part.is_multipart()]
    soap = ElementTree.fromstring(parts[0].get_payload(decode=True))
    payloads = [part.get_payload(decode=True) for part in parts[1:]]
    return soap, payloads


def _boundaries(case: Case) -> list[bytes]:
    """The boundaries in the body (found before timing: the raw limit only scans for them)."""
    found = []
    for marker in (case.content_type.encode(), case.body):
        start = 0
        while (index := marker.find(b'boundary="', start)) >= 0:
            end = marker.index(b'"', index + 10)
            found.append(b"\r\n--" + marker[index + 10 : end])
            start = end
    return found


def raw_limit_prepare(case: Case) -> list[bytes]:
    return _boundaries(case)


def raw_limit_decode(case: Case, boundaries: list[bytes]) -> None:
    body = case.body
    if not case.has_content:
        expat.ParserCreate(namespace_separator=" ").Parse(body, True)
        return
    cuts = []
    for delimiter in boundaries:
        index = body.find(delimiter)
        while index >= 0:
            cuts.append(index)
            index = body.find(delimiter, index + 1)
    cuts.sort()
    view = memoryview(body)
    soap_start = body.index(b"\r\n\r\n") + 4
    expat.ParserCreate(namespace_separator=" ").Parse(view[soap_start : cuts[0]], True)
    for start, end in itertools.pairwise(cuts):
        header_end = body.find(b"\r\n\r\n", start, end)
        if header_end >= 0 and body.find(b"base64", start, header_end) >= 0:
            binascii.a2b_base64(view[header_end + 4 : end])


def raw_limit_encode(case: Case, envelope: bytes, payloads: list[bytes]) -> bytes:
    """Base64-encode the payloads and join the parts: the floor for any MIME encoder."""
    pieces = [envelope]
    for payload in payloads:
        pieces.append(b"--boundary\r\nContent-Type: x\r\n\r\n")
        pieces.append(binascii.b2a_base64(payload))
    return b"".join(pieces)


def soap_part(case: Case) -> bytes:
    """The SOAP envelope's bytes (found before timing)."""
    if not case.has_content:
        return case.body
    start = case.body.index(b"\r\n\r\n") + 4
    return case.body[start : case.body.index(b"\r\n--", start)]


def elementtree_floor(envelope: bytes) -> object:
    """ElementTree's C parser over the envelope alone: what any decoder that reads the SOAP
    part into a tree pays before it builds anything of its own."""
    return ElementTree.fromstring(envelope)


def wrapped_base64_floor(envelope: bytes, payloads: list[bytes]) -> bytes:
    """``raw_limit_encode`` with the base64 in 76-character lines, as RFC 2045 requires of a
    MIME body (cut by mm7codec's writer, the fastest way found in pure Python, in the same
    57 KiB slices the encoder uses)."""
    pieces = [envelope]
    for payload in payloads:
        pieces.append(b"--boundary\r\nContent-Type: x\r\n\r\n")
        view = memoryview(payload)
        for start in range(0, len(view), _SLICE):
            pieces.extend(encode_base64_pieces(view[start : start + _SLICE]))
    return b"".join(pieces)


def envelope_pieces(envelope: bytes) -> list[bytes]:
    """The envelope cut before every "<" (made before timing): the pieces an encoder that
    writes one tag or one text at a time joins."""
    pieces = envelope.split(b"<")
    return [pieces[0], *(b"<" + piece for piece in pieces[1:])]


def plain_join_floor(pieces: list[bytes]) -> bytes:
    """The envelope's own size written by a plain join of its pieces: the floor for encoding a
    message with no payload, where base64 (the floor of the others) has nothing to do."""
    return b"".join(pieces)
