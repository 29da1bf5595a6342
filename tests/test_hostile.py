"""Hostile input: every attack or fault in the catalogue gives its typed error (or a recorded
deviation), in bounded memory, and nothing valid is lost.

Inputs are built before memory tracing starts, so the traced peak is the decoder's own.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

import mm7codec
from mm7codec import DecodeError, LimitExceeded, Limits

from .helpers import memory_kept_without_gc

NS = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
ENV = "http://schemas.xmlsoap.org/soap/envelope/"
MIB = 1024 * 1024
MEMORY_BOUND = 8 * MIB  # every catalogue item stays under this, whatever its input size


def envelope(
    body: str, header: str = f'<m:TransactionID xmlns:m="{NS}">t-1</m:TransactionID>'
) -> bytes:
    return (
        f'<?xml version="1.0"?><e:Envelope xmlns:e="{ENV}"><e:Header>{header}</e:Header>'
        f"<e:Body>{body}</e:Body></e:Envelope>"
    ).encode()


def report(extra: str = "") -> str:
    return (
        f'<DeliveryReportReq xmlns="{NS}"><MM7Version>6.8.0</MM7Version><MessageID>m</MessageID>'
        "<Recipient><Number>15553199144</Number></Recipient><Sender><ShortCode>1234</ShortCode>"
        "</Sender><Date>2026-01-01T00:00:00Z</Date><MMStatus>Retrieved</MMStatus>"
        f"{extra}</DeliveryReportReq>"
    )


VALID = envelope(report())


def multipart(parts: Iterable[bytes], boundary: bytes = b"b", close: bool = True) -> bytes:
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
    return body + (b"--" + boundary + b"--\r\n" if close else b"")


SOAP_PART = b"Content-Type: text/xml\r\n\r\n" + envelope(
    f'<DeliverReq xmlns="{NS}"><MM7Version>6.8.0</MM7Version>'
    "<Sender><Number>15553199144</Number></Sender></DeliverReq>"
)


def related(boundary: str = "b") -> str:
    return f'multipart/related; type="text/xml"; boundary="{boundary}"'


@dataclass
class Case:
    name: str
    make: Callable[[], tuple[bytes | Iterable[bytes], str]]
    error: type[mm7codec.MM7Error]
    contains: str
    limits: Limits = mm7codec.DEFAULT_LIMITS


def _deep_xml(depth: int) -> bytes:
    return envelope(report("<x>" * depth + "</x>" * depth))


def _densest_attributes() -> bytes:
    shell = envelope(report("<x />"))
    room = mm7codec.DEFAULT_LIMITS.max_envelope_size - len(shell)
    attributes = b" ".join(b'a%d="1"' % i for i in range(room // 9))
    return shell.replace(b"<x />", b"<x " + attributes[: room - 10].rsplit(b" ", 1)[0] + b"/>")


def _xml_cases() -> list[Case]:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + "]>"
    ).encode() + VALID[VALID.index(b"<e:Envelope") :].replace(b"t-1", b"&j;")
    quadratic = (
        b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x "'
        + b"x" * 50_000
        + b'">]>'
        + VALID[VALID.index(b"<e:Envelope") :].replace(b"t-1", b"&x;" * 10_000)
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY f SYSTEM "file:///etc/passwd">]>'
        + VALID[VALID.index(b"<e:Envelope") :].replace(b"t-1", b"&f;")
    )
    network = external.replace(b"file:///etc/passwd", b"http://127.0.0.1:9/x")
    parameter = (
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY % r SYSTEM "http://127.0.0.1:9/p.dtd"> %r;]>'
        + VALID[VALID.index(b"<e:Envelope") :]
    )
    attributes = b"<x " + b" ".join(b'a%d="1"' % i for i in range(1_000_000)) + b"/>"
    return [
        Case(
            "dtd",
            lambda: (VALID.replace(b"?>", b"?><!DOCTYPE x>", 1), "text/xml"),
            DecodeError,
            "DTD",
        ),
        Case("billion-laughs", lambda: (laughs, "text/xml"), DecodeError, "DTD"),
        Case("quadratic-blowup", lambda: (quadratic, "text/xml"), DecodeError, "DTD"),
        Case("external-entity-file", lambda: (external, "text/xml"), DecodeError, "DTD"),
        Case("external-entity-network", lambda: (network, "text/xml"), DecodeError, "DTD"),
        Case("parameter-entity", lambda: (parameter, "text/xml"), DecodeError, "DTD"),
        Case(
            "processing-instruction",
            lambda: (VALID.replace(b"<e:Body>", b"<e:Body><?php system('id'); ?>"), "text/xml"),
            DecodeError,
            "processing instruction",
        ),
        Case(
            "deep-nesting",
            lambda: (_deep_xml(100_000), "text/xml"),
            LimitExceeded,
            "max_envelope_size",
        ),
        Case(
            "deep-nesting-under-size-limit",
            lambda: (_deep_xml(20_000), "text/xml"),
            LimitExceeded,
            "max_xml_depth",
        ),
        Case(
            "million-attributes",
            lambda: (envelope(report(attributes.decode())), "text/xml"),
            LimitExceeded,
            "max_envelope_size",
        ),
        Case(
            # Expat builds an element's attributes before any handler can count them, so the
            # envelope size is what bounds this; the densest envelope under it stays small.
            "attributes-up-to-the-envelope-limit",
            lambda: (_densest_attributes(), "text/xml"),
            LimitExceeded,
            "max_xml_attributes",
        ),
        Case(
            "million-children",
            lambda: (envelope(report("<x/>" * 1_000_000)), "text/xml"),
            LimitExceeded,
            "max_envelope_size",
        ),
        Case(
            "million-children-under-size-limit",
            lambda: (envelope(report("<x/>" * 1_000_000)), "text/xml"),
            LimitExceeded,
            "max_xml_elements",
            Limits(max_envelope_size=64 * MIB),
        ),
        Case(
            "hundred-megabyte-text-node",
            lambda: (
                (VALID[:200], *(b"x" * MIB for _ in range(100)), VALID[200:]),
                "text/xml",
            ),
            LimitExceeded,
            "max_envelope_size",
        ),
        Case(
            "big-text-node-under-size-limit",
            lambda: (envelope(report(f"<StatusText>{'x' * 100_000}</StatusText>")), "text/xml"),
            LimitExceeded,
            "max_xml_text",
        ),
        Case(
            "invalid-utf8",
            lambda: (VALID.replace(b"t-1", b"t-\xff\xfe"), "text/xml"),
            DecodeError,
            "malformed XML",
        ),
        Case(
            "utf16-declaration-lies",
            lambda: (
                VALID.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"'),
                "text/xml",
            ),
            DecodeError,
            "XML",
        ),
        Case(
            "utf32-declaration-lies",
            lambda: (
                VALID.replace(b'version="1.0"', b'version="1.0" encoding="UTF-32"'),
                "text/xml",
            ),
            DecodeError,
            "unknown XML encoding 'UTF-32'",
        ),
        Case(
            "nul-bytes",
            lambda: (VALID.replace(b"t-1", b"t\x00-1"), "text/xml"),
            DecodeError,
            "malformed XML",
        ),
        Case(
            "not-soap",
            lambda: (b"<html><body>hi</body></html>", "text/xml"),
            DecodeError,
            "not a SOAP 1.1 envelope",
        ),
        Case(
            "two-mm7-elements",
            lambda: (envelope(report() + report()), "text/xml"),
            DecodeError,
            "exactly one",
        ),
        Case(
            "unknown-mm7-element",
            lambda: (envelope(report().replace("DeliveryReportReq", "FooReq")), "text/xml"),
            DecodeError,
            "not an MM7 operation",
        ),
        Case(
            "missing-required-element",
            lambda: (envelope(report().replace("<MessageID>m</MessageID>", "")), "text/xml"),
            DecodeError,
            "MessageID",
        ),
        Case(
            "duplicated-single-element",
            lambda: (envelope(report("<MMStatus>Expired</MMStatus>")), "text/xml"),
            DecodeError,
            "more than once",
        ),
    ]


def _many(count: int, item: bytes) -> Iterable[bytes]:
    for _ in range(count // 1000):
        yield item * 1000


def _mime_cases() -> list[Case]:
    text_part = b"Content-Type: text/plain\r\n\r\nhello"
    nested_open = b"".join(
        b'--n%d\r\nContent-Type: multipart/mixed; boundary="n%d"\r\n\r\n' % (i, i + 1)
        for i in range(10_000)
    )
    return [
        Case(
            "boundary-never-appears",
            lambda: (multipart([SOAP_PART, text_part], b"x"), related("y")),
            DecodeError,
            "never appears",
        ),
        Case(
            "boundary-only-in-epilogue",
            lambda: (b"preamble only\r\n--b--\r\nepilogue --b\r\n", related()),
            DecodeError,
            "no parts",
        ),
        Case(
            "missing-closing-delimiter",
            lambda: (multipart([SOAP_PART, text_part], close=False), related()),
            DecodeError,
            "closing boundary",
        ),
        Case(
            "ten-megabyte-header-line",
            lambda: (b"--b\r\nX-Long: " + b"a" * (10 * MIB) + b"\r\n\r\nx\r\n--b--\r\n", related()),
            LimitExceeded,
            "max_header_line",
        ),
        Case(
            "ten-megabyte-header-line-streamed",
            lambda: ((b"--b\r\nX-Long: ", *(b"a" * 65536 for _ in range(160))), related()),
            LimitExceeded,
            "max_header_line",
        ),
        Case(
            "hundred-thousand-headers",
            lambda: (
                (b"--b\r\n", *_many(100_000, b"X-A: 1\r\n"), b"\r\nx\r\n--b--\r\n"),
                related(),
            ),
            LimitExceeded,
            "max_header_count",
        ),
        Case(
            "hundred-thousand-empty-parts",
            lambda: ((*_many(100_000, b"--b\r\n\r\n\r\n"), b"--b--\r\n"), related()),
            LimitExceeded,
            "max_part_count",
        ),
        Case(
            "ten-thousand-deep-nesting",
            lambda: (nested_open, 'multipart/related; type="text/xml"; boundary="n0"'),
            LimitExceeded,
            "max_part_depth",
        ),
        Case(
            "start-names-no-part",
            lambda: (
                multipart([SOAP_PART, text_part]),
                'multipart/related; type="text/xml"; start="<nowhere>"; boundary="b"',
            ),
            mm7codec.DeviationError,
            "start-unmatched",
        ),
        Case(
            "content-type-without-boundary",
            lambda: (multipart([SOAP_PART]), 'multipart/related; type="text/xml"'),
            DecodeError,
            "without a boundary",
        ),
        Case(
            "boundary-over-limit",
            lambda: (multipart([SOAP_PART], b"b" * 201), related("b" * 201)),
            LimitExceeded,
            "max_boundary_length",
        ),
        Case(
            "total-size",
            lambda: ((b"x" * MIB for _ in range(300)), related()),
            LimitExceeded,
            "max_total_size",
        ),
        Case(
            "part-size",
            lambda: (
                (
                    b"--b\r\n" + SOAP_PART + b"\r\n--b\r\nContent-Type: video/3gpp\r\n\r\n",
                    *(b"v" * MIB for _ in range(9)),
                ),
                related(),
            ),
            LimitExceeded,
            "max_part_size",
            Limits(max_part_size=8 * MIB),
        ),
    ]


CASES = _xml_cases() + _mime_cases()


def _chunks(made: bytes | Iterable[bytes]) -> list[bytes]:
    return [made] if isinstance(made, bytes) else list(made)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_catalogue(case: Case) -> None:
    made, content_type = case.make()
    chunks = _chunks(made)
    strict = case.error is mm7codec.DeviationError
    tracemalloc.start()
    try:
        with pytest.raises(case.error) as raised:
            decoder = mm7codec.Decoder(content_type, limits=case.limits, strict=strict)
            for chunk in chunks:
                decoder.feed(chunk)
            decoder.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert case.contains in str(raised.value)
    assert isinstance(raised.value, mm7codec.MM7Error)
    assert peak < MEMORY_BOUND, f"{case.name}: peak {peak / MIB:.1f} MiB"
    if isinstance(raised.value, LimitExceeded):
        assert raised.value.limit == case.contains


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-32"])
def test_dtd_in_utf16_or_utf32_without_bom_is_refused(codec: str) -> None:
    laughs = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    text = VALID.decode().replace("?>", "?>" + laughs, 1).replace("t-1", "&b;")
    with pytest.raises(DecodeError):
        mm7codec.decode(text.encode(codec), "text/xml")


def test_xinclude_is_never_followed() -> None:
    body = report(
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd"/>'
    )
    message = mm7codec.decode(envelope(body), "text/xml")
    assert [d.code for d in message.deviations] == ["child-namespace", "unknown-element"]
    assert "root:" not in repr(message)
    with pytest.raises(mm7codec.DeviationError):
        mm7codec.decode(envelope(body), "text/xml", strict=True)


def test_start_that_names_no_part_falls_back_to_the_first() -> None:
    body = multipart([SOAP_PART, b"Content-Type: text/plain\r\n\r\nhello"])
    message = mm7codec.decode(body, 'multipart/related; type="text/xml"; start="<x>"; boundary="b"')
    assert "start-unmatched" in [d.code for d in message.deviations]


def test_content_href_pointing_at_the_soap_part_itself() -> None:
    soap = SOAP_PART.replace(
        b"Content-Type: text/xml\r\n", b"Content-Type: text/xml\r\nContent-ID: <root>\r\n"
    )
    soap = soap.replace(b"</Sender>", b'</Sender><Content href="cid:root"/>')
    body = multipart([soap, b"Content-Type: text/plain\r\nContent-ID: <c>\r\n\r\nhello"])
    message = mm7codec.decode(
        body, 'multipart/related; type="text/xml"; start="<root>"; boundary="b"'
    )
    # The root is never its own content: the reference falls back, and says so.
    assert message.content.body == b"hello"  # type: ignore[attr-defined]
    assert "href-fallback" in [d.code for d in message.deviations]


def test_boundary_over_70_characters_is_a_deviation() -> None:
    boundary = "b" * 71
    body = multipart([SOAP_PART], boundary.encode())
    message = mm7codec.decode(body, related(boundary))
    assert "long-boundary" in [d.code for d in message.deviations]


@pytest.mark.parametrize(
    ("transfer", "payload", "code"),
    [
        ("base64", b"aGVsbG8*!!", "invalid-base64"),
        ("quoted-printable", b"a=ZZb", "invalid-quoted-printable"),
    ],
)
def test_invalid_transfer_encodings_are_recorded(transfer: str, payload: bytes, code: str) -> None:
    part = (
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: "
        + transfer.encode()
        + b"\r\n\r\n"
        + payload
    )
    body = multipart([SOAP_PART, part])
    message = mm7codec.decode(body, related())
    assert code in [d.code for d in message.deviations]
    with pytest.raises(mm7codec.DeviationError):
        mm7codec.decode(body, related(), strict=True)


def _bundled_samples() -> list[tuple[str, bytes]]:
    from mm7codec.__main__ import SAMPLES

    return [(p.stem, p.read_bytes()) for p in sorted(SAMPLES.glob("*.http"))]


@pytest.mark.parametrize(
    ("name", "data"), _bundled_samples(), ids=[n for n, _ in _bundled_samples()]
)
def test_truncation_at_every_offset(name: str, data: bytes) -> None:
    capture = mm7codec.split_http(data)
    body, content_type = capture.body, capture.content_type
    whole = mm7codec.decode(body, content_type)
    for cut in range(len(body)):
        try:
            message = mm7codec.decode(body[:cut], content_type)
        except DecodeError:
            continue
        # Only a cut inside the epilogue may still decode, and then nothing is lost.
        assert message == whole, cut


def test_encoder_refuses_a_forced_boundary_collision() -> None:
    hostile = b"before\r\n--=_mm7codec_2_0123\r\nafter"
    part = mm7codec.Part.from_bytes(hostile, "application/octet-stream", transfer_encoding="binary")
    message = mm7codec.SubmitReq(recipients=mm7codec.Recipients(to=["15553199144"]), content=part)
    with pytest.raises(mm7codec.EncodeError, match="boundary"):
        mm7codec.encode(message)
    # Left to choose, the encoder picks a safe encoding and the bytes survive.
    safe = mm7codec.Part.from_bytes(hostile, "text/plain")
    message = mm7codec.SubmitReq(recipients=mm7codec.Recipients(to=["15550001555"]), content=safe)
    content_type, body = mm7codec.encode(message)
    assert mm7codec.decode(body, content_type, strict=True).content.body == hostile  # type: ignore[attr-defined]


def test_a_failed_decode_leaves_no_spool_file_and_no_memory(tmp_path: Path) -> None:
    video = b"Content-Type: video/3gpp\r\n\r\n" + b"v" * (3 * MIB)
    truncated = multipart([SOAP_PART, video], close=False)
    with memory_kept_without_gc() as kept:
        decoder = mm7codec.Decoder(related(), spool_dir=tmp_path)
        for start in range(0, len(truncated), 65536):
            decoder.feed(truncated[start : start + 65536])
        assert decoder._ctx.spool_file is not None, "the part should be spooling at the end"
        assert list(tmp_path.iterdir()) == [], "a spool file has no name on disk"
        with pytest.raises(DecodeError, match="closing boundary"):
            decoder.close()
        del decoder
    assert list(tmp_path.iterdir()) == []
    assert kept[0] < MIB // 4
