"""Every configurable limit: exactly at the limit still decodes, one less fails naming it.
And decoding cost grows linearly with adversarial input (counted in operations, not timed)."""

from __future__ import annotations

import dataclasses
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pytest

import mm7codec
from mm7codec import Limits

NS = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"


def _message() -> mm7codec.DeliverReq:
    return mm7codec.DeliverReq(
        transaction_id="limits-1",
        sender=mm7codec.Address(
            "15553199144", display_only=True, address_coding="obfuscated", id="x"
        ),
        subject="s" * 500,
        content=mm7codec.Part.multipart(
            [
                mm7codec.Part.from_text("hello", content_id="t"),
                mm7codec.Part.multipart(
                    [mm7codec.Part.from_bytes(b"\x00" * 3000, "image/gif", content_id="g")],
                    "mixed",
                ),
            ],
            "related",
            content_id="c",
        ),
    )


ENCODED_TYPE, ENCODED = mm7codec.encode(_message())


def _envelope() -> bytes:
    start = ENCODED.index(b"<?xml")
    return ENCODED[start : ENCODED.index(b"\r\n--", start)]


def _depth(element: ElementTree.Element) -> int:
    return 1 + max((_depth(child) for child in element), default=0)


def _header_lines() -> list[bytes]:
    """Every header line of every part (and the delimiter lines' padding, which is empty)."""
    lines = []
    for block in ENCODED.split(b"\r\n\r\n"):
        tail = block.rsplit(b"\r\n--", 1)[-1]
        lines.extend(line for line in tail.split(b"\r\n")[1:] if b":" in line)
    return lines


def _header_counts() -> list[int]:
    counts = []
    for block in ENCODED.split(b"\r\n\r\n"):
        tail = block.rsplit(b"\r\n--", 1)[-1]
        counts.append(sum(1 for line in tail.split(b"\r\n")[1:] if b":" in line))
    return counts


def _measure() -> dict[str, int]:
    """What the encoded message needs of each limit, measured on the wire itself."""
    envelope = _envelope()
    root = ElementTree.fromstring(envelope)
    decoded = mm7codec.decode(ENCODED, ENCODED_TYPE)
    leaves = [p for p in decoded.content.walk() if not p.is_multipart]  # type: ignore[attr-defined]
    content_type = mm7codec._mime.headers.parse_content_type(ENCODED_TYPE)  # type: ignore[attr-defined]
    return {
        "max_envelope_size": len(envelope),
        "max_xml_depth": _depth(root),
        "max_xml_elements": sum(1 for _ in root.iter()),
        "max_xml_attributes": max(len(e.attrib) for e in root.iter()),
        "max_xml_text": max(len(e.text or "") for e in root.iter()),
        "max_total_size": len(ENCODED),
        # The HTTP Content-Type value is bounded like a part's header line.
        "max_header_line": max(len(ENCODED_TYPE), *(len(line) for line in _header_lines())),
        "max_header_count": max(_header_counts()),
        "max_part_count": sum(1 for _ in decoded.content.walk()) + 1,  # type: ignore[attr-defined]
        "max_part_depth": 3,  # the outer related, the content's related, its mixed
        "max_part_size": max(max(p.size or 0 for p in leaves), len(envelope)),
        "max_boundary_length": len(content_type[1]["boundary"]),
    }


NEEDED = _measure()
# These bound what is kept, not what is accepted (tests/test_hostile_memory.py covers them).
KEEPING_LIMITS = ("spool_threshold", "max_memory_held", "max_deviations")
LIMIT_NAMES = [f.name for f in dataclasses.fields(Limits) if f.name not in KEEPING_LIMITS]


def test_every_limit_is_measured() -> None:
    assert sorted(NEEDED) == sorted(LIMIT_NAMES)


@pytest.mark.parametrize("name", LIMIT_NAMES)
def test_limit_exactly_met_decodes_and_one_less_fails(name: str) -> None:
    needed = NEEDED[name]
    at_limit = Limits(**{name: needed})
    assert mm7codec.decode(ENCODED, ENCODED_TYPE, limits=at_limit, strict=True) == _message()
    with pytest.raises(mm7codec.LimitExceeded) as raised:
        mm7codec.decode(ENCODED, ENCODED_TYPE, limits=Limits(**{name: needed - 1}))
    assert raised.value.limit == name
    assert name in str(raised.value)


def test_spool_threshold(tmp_path: Path) -> None:
    size = 3000  # the image part
    kept = mm7codec.decode(
        ENCODED, ENCODED_TYPE, limits=Limits(spool_threshold=size), spool_dir=tmp_path
    )
    spooled = mm7codec.decode(
        ENCODED, ENCODED_TYPE, limits=Limits(spool_threshold=size - 1), spool_dir=tmp_path
    )
    in_memory = mm7codec.decode(ENCODED, ENCODED_TYPE, limits=Limits(spool_threshold=1))
    assert type(in_memory.content.parts[1].parts[0].source).__name__ != "SpooledBody"  # type: ignore[attr-defined]
    image_kept = kept.content.parts[1].parts[0]  # type: ignore[attr-defined]
    image_spooled = spooled.content.parts[1].parts[0]  # type: ignore[attr-defined]
    assert type(image_kept.source).__name__ in ("BytesBody", "ChunksBody")
    assert type(image_spooled.source).__name__ == "SpooledBody"
    assert image_kept == image_spooled


# -- linear cost ---------------------------------------------------------------------------


def _operations(action: Callable[[], object]) -> int:
    """Function calls, Python and C, made while running ``action``: a deterministic measure
    of work that does not depend on the machine's speed or load."""
    count = 0

    def profiler(_frame: object, event: str, _arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profiler)
    try:
        action()
    except mm7codec.MM7Error:
        pass
    finally:
        sys.setprofile(None)
    return count


def _deep(n: int) -> Callable[[], object]:
    body = (
        f'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header>'
        f'<m:TransactionID xmlns:m="{NS}">t</m:TransactionID></e:Header><e:Body>'
        f'<SubmitRsp xmlns="{NS}"><MM7Version>6.8.0</MM7Version><Status><StatusCode>1000'
        f"</StatusCode><Details>{'<x>' * n}{'</x>' * n}</Details></Status></SubmitRsp>"
        "</e:Body></e:Envelope>"
    ).encode()
    limits = Limits(max_xml_depth=n + 10, max_envelope_size=64 * n + 4096)
    return lambda: mm7codec.decode(body, "text/xml", limits=limits)


def _fed_in_chunks(
    body: bytes, size: int, limits: Limits = mm7codec.DEFAULT_LIMITS
) -> Callable[[], object]:
    """A decode of ``body`` fed in ``size``-byte chunks, as a callable to count."""
    chunks = [body[i : i + size] for i in range(0, len(body), size)]

    def run() -> object:
        decoder = mm7codec.Decoder('multipart/related; boundary="b"', limits=limits)
        for chunk in chunks:
            decoder.feed(chunk)
        return decoder.close()

    return run


def _many_parts(n: int) -> Callable[[], object]:
    parts = b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(n))
    body = b"--b\r\nContent-Type: text/xml\r\n\r\n<x/>\r\n" + parts + b"--b--\r\n"
    return _fed_in_chunks(body, 4096, Limits(max_part_count=n + 10))


def _long_header(n: int) -> Callable[[], object]:
    body = b"--b\r\nX-Long: " + b"a" * n + b"\r\n"
    return _fed_in_chunks(body, 512, Limits(max_header_line=n + 100))


def _long_body_small_chunks(n: int) -> Callable[[], object]:
    body = b"--b\r\nContent-Type: text/plain\r\n\r\n" + b"-\r\n" * n + b"\r\n--b--\r\n"
    return _fed_in_chunks(body, 7)


@pytest.mark.parametrize(
    ("make", "size"),
    [
        (_deep, 2_000),
        (_many_parts, 300),
        (_long_header, 200_000),
        (_long_body_small_chunks, 20_000),
    ],
    ids=["deep-nesting", "many-parts", "long-header-line", "boundary-like-body-in-small-chunks"],
)
def test_doubling_adversarial_input_at_most_doubles_the_work(
    make: Callable[[int], Callable[[], object]], size: int
) -> None:
    single = _operations(make(size))
    double = _operations(make(2 * size))
    assert single > 0
    assert double <= 2.2 * single, (single, double)
