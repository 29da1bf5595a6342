"""The dialects real MM7 peers write, as rewrites of a correctly encoded message.

Our encoder never writes any of these (see the deviation catalogue and ``QUIRKS.md``); test
peers and receiver fuzzers need them, to send what the field sends: the fake peers' ``sloppy``
mode, ``strategies.wire_messages`` and ``python -m mm7codec fuzz``. Each dialect rewrites
``(content_type, body)``; the envelope dialects touch only the SOAP envelope's own bytes, so
attachments stay as they were. A rewrite is meant to keep the message the same for a lenient
reader; callers that must be sure (the strategies) decode the result and compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ._messages import Message

__all__ = ["DIALECTS", "ENVELOPE_DIALECTS", "MULTIPART_DIALECTS", "WireMessage", "apply"]

Rewrite = Callable[[str, bytes], tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class WireMessage:
    """A message as bytes on the wire: what to POST (``content_type``, ``body``), the message
    a receiver must read from it, and the ``dialects`` it was written in (empty: clean)."""

    content_type: str
    body: bytes
    message: Message
    dialects: tuple[str, ...] = ()


def _envelope_span(body: bytes) -> tuple[int, int]:
    start = body.find(b"<?xml")
    end = body.find(b"</env:Envelope>", start)
    if start < 0 or end < 0:
        return 0, 0
    return start, end + len(b"</env:Envelope>")


def _in_envelope(rewrite: Callable[[bytes], bytes]) -> Rewrite:
    def apply_to_envelope(content_type: str, body: bytes) -> tuple[str, bytes]:
        start, end = _envelope_span(body)
        if start == end:
            return content_type, body
        return content_type, body[:start] + rewrite(body[start:end]) + body[end:]

    return apply_to_envelope


_TRANSACTION_ID = re.compile(rb"(<mm7:TransactionID[^>]*>)([^<]*)(</mm7:TransactionID>)")
_SIMPLE_ADDRESS = re.compile(rb"<(Sender|Recipient)><Number>([^<]*)</Number></\1>")
_BODY_ELEMENT = re.compile(rb'<env:Body><(\w+) xmlns="([^"]*)">')


def _soap_prefix(envelope: bytes) -> bytes:
    for ours, theirs in (
        (b"xmlns:env=", b"xmlns:SOAP-ENV="),
        (b"<env:", b"<SOAP-ENV:"),
        (b"</env:", b"</SOAP-ENV:"),
        (b" env:mustUnderstand=", b" SOAP-ENV:mustUnderstand="),
        (b"<faultcode>env:", b"<faultcode>SOAP-ENV:"),
    ):
        envelope = envelope.replace(ours, theirs)
    return envelope


def _namespace_on_envelope(envelope: bytes) -> bytes:
    """The MM7 namespace declared once, as the default, on the Envelope."""
    match = _BODY_ELEMENT.search(envelope)
    if match is None:
        return envelope
    namespace = match.group(2)
    envelope = envelope.replace(match.group(0), b"<env:Body><" + match.group(1) + b">", 1)
    return envelope.replace(b"<env:Envelope ", b'<env:Envelope xmlns="' + namespace + b'" ', 1)


def _content_type_of_soap(content_type: str, body: bytes) -> tuple[str, bytes]:
    if content_type.startswith("text/xml"):
        return "application/xml; charset=utf-8", body
    return content_type, body


def _missing_start(content_type: str, body: bytes) -> tuple[str, bytes]:
    return re.sub(r';\s*start="[^"]*"', "", content_type), body


def _start_without_brackets(content_type: str, body: bytes) -> tuple[str, bytes]:
    return re.sub(r'start="<([^">]*)>"', r'start="\1"', content_type), body


def _parameter_case(content_type: str, body: bytes) -> tuple[str, bytes]:
    for name in ("type", "start", "boundary"):
        content_type = content_type.replace(f"; {name}=", f"; {name.title()}=")
    return content_type, body


def _content_id_without_brackets(content_type: str, body: bytes) -> tuple[str, bytes]:
    unbracketed = re.sub(rb"\r\nContent-ID: <([^>\r\n]*)>\r\n", rb"\r\nContent-ID: \1\r\n", body)
    return content_type, unbracketed


def _no_space_after_colon(content_type: str, body: bytes) -> tuple[str, bytes]:
    return content_type, re.sub(rb"\r\n(Content-[A-Za-z-]+): ", rb"\r\n\1:", body)


def _bare_lf(content_type: str, body: bytes) -> tuple[str, bytes]:
    return content_type, body.replace(b"\r\n", b"\n")


#: Rewrites of the SOAP envelope, for any message.
ENVELOPE_DIALECTS: dict[str, Rewrite] = {
    "padded-transaction-id": _in_envelope(
        lambda envelope: _TRANSACTION_ID.sub(rb"\1\n    \2\n  \3", envelope, count=1)
    ),
    "namespace-on-envelope": _in_envelope(_namespace_on_envelope),
    "element-whitespace": _in_envelope(lambda envelope: envelope.replace(b"><", b">\n<")),
    "xml-comment": _in_envelope(
        lambda envelope: envelope.replace(b"<env:Body>", b"<env:Body><!-- relayed -->", 1)
    ),
    "legacy-address": _in_envelope(lambda envelope: _SIMPLE_ADDRESS.sub(rb"<\1>\2</\1>", envelope)),
    "href-without-cid": _in_envelope(lambda envelope: envelope.replace(b' href="cid:', b' href="')),
    "leading-whitespace": lambda content_type, body: (
        (content_type, b"\r\n\r\n" + body) if body.startswith(b"<?xml") else (content_type, body)
    ),
    "soap-content-type": _content_type_of_soap,
    # Last: the rewrites above find the envelope by our own prefix.
    "soap-prefix": _in_envelope(_soap_prefix),
}


def _multipart_only(rewrite: Rewrite) -> Rewrite:
    def apply_to_multipart(content_type: str, body: bytes) -> tuple[str, bytes]:
        if content_type.startswith("multipart/"):
            return rewrite(content_type, body)
        return content_type, body

    return apply_to_multipart


#: Rewrites of the MIME framing, for messages with attachments (others are left as they are).
MULTIPART_DIALECTS: dict[str, Rewrite] = {
    name: _multipart_only(rewrite)
    for name, rewrite in {
        "missing-start": _missing_start,
        "start-without-brackets": _start_without_brackets,
        "parameter-case": _parameter_case,
        "content-id-without-brackets": _content_id_without_brackets,
        "no-space-after-colon": _no_space_after_colon,
        "bare-lf": _bare_lf,
    }.items()
}

DIALECTS: dict[str, Rewrite] = {**ENVELOPE_DIALECTS, **MULTIPART_DIALECTS}


def apply(dialects: Iterable[str], content_type: str, body: bytes) -> tuple[str, bytes]:
    """``(content_type, body)`` rewritten in each of ``dialects`` (names from ``DIALECTS``),
    always in the order ``DIALECTS`` lists them, whatever the order given."""
    chosen = set(dialects)
    unknown = chosen - DIALECTS.keys()
    if unknown:
        raise ValueError(f"unknown dialects {sorted(unknown)}; see DIALECTS")
    for name, rewrite in DIALECTS.items():
        if name in chosen:
            content_type, body = rewrite(content_type, body)
    return content_type, body
