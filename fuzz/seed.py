"""Write a seed corpus for fuzz_decode.py: the bundled samples, the test vectors, the peer samples
when present beside the project (never copied into it), and structure-aware seeds of realistic
size built with the encoder and then bent the ways real peers bend them (bare LF, chunked HTTP,
UTF-16 envelopes, RFC 2231 and RFC 2047 headers), so mutations start deep inside valid input."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
SOURCES = [
    PROJECT / "mm7codec" / "samples",
    PROJECT / "tests" / "vectors" / "soap",
    PROJECT / "tests" / "vectors" / "mime",
    PROJECT.parent / "shared" / "mm7" / "samples",
]


def _pseudo_random_bytes(size: int, seed: int) -> bytes:
    """Incompressible-looking payload bytes, the same on every run."""
    out = bytearray()
    state = seed.to_bytes(8, "big")
    while len(out) < size:
        state = hashlib.sha256(state).digest()
        out += state
    return bytes(out[:size])


def _realistic_messages() -> Iterator[tuple[str, str, bytes]]:
    """(name, content type, body) for MO and MT messages of 12 KiB and more."""
    sys.path.insert(0, str(PROJECT))
    import mm7codec

    smil = (
        b'<smil><head><layout><region id="Image" top="0" height="70%"/>'
        b'<region id="Text" top="70%" height="30%"/></layout></head><body><par dur="5s">'
        b'<img src="photo.jpg" region="Image"/><text src="hello.txt" region="Text"/>'
        b"</par></body></smil>"
    )
    mo = mm7codec.DeliverReq(
        transaction_id="fuzz-mo-1",
        mms_relay_server_id="mmsc.example",
        sender=mm7codec.Address("15553199144"),
        recipients=mm7codec.Recipients(to=[mm7codec.Address("12345", "ShortCode")]),
        time_stamp=datetime(2026, 1, 1, tzinfo=UTC),
        subject="Photo from the beach \u00e9t\u00e9",
        content=mm7codec.Part.multipart(
            [
                mm7codec.Part.from_bytes(smil, "application/smil", content_id="smil"),
                mm7codec.Part.from_text("Hello \u00e9t\u00e9 " * 40, content_id="hello.txt"),
                mm7codec.Part.from_bytes(
                    _pseudo_random_bytes(16 * 1024, 1), "image/jpeg", content_id="photo.jpg"
                ),
            ],
            "related",
            content_id="mms",
        ),
    )
    mt = mm7codec.SubmitReq(
        transaction_id="fuzz-mt-1",
        version="6.8.0",
        vasp_id="api-key",
        vas_id="12345",
        sender_address=mm7codec.Address("12345", "ShortCode"),
        recipients=mm7codec.Recipients(
            to=["15553199144", "15553199145"], cc=["15553199146"], bcc=["15553199147"]
        ),
        subject="Weekly offer",
        delivery_report=True,
        content=mm7codec.Part.multipart(
            [
                mm7codec.Part.from_text("Line one\r\nLine two =\r\n" * 200),
                mm7codec.Part.multipart(
                    [
                        mm7codec.Part.from_bytes(
                            _pseudo_random_bytes(20 * 1024, 2), "video/3gpp", content_id="clip"
                        ),
                        mm7codec.Part.from_bytes(b"GIF89a" + b"\x00" * 4000, "image/gif"),
                    ],
                    "mixed",
                ),
            ],
            "mixed",
            content_id="mt",
        ),
    )
    report = mm7codec.DeliveryReportReq(
        transaction_id="fuzz-dr-1",
        message_id="msg-1",
        recipient=mm7codec.Address("15553199144"),
        sender=mm7codec.Address("12345", "ShortCode"),
        date=datetime(2026, 1, 1, tzinfo=UTC),
        mm_status="Retrieved",
    )
    for name, message in (("mo", mo), ("mt", mt), ("report", report)):
        content_type, body = mm7codec.encode(message)
        yield name, content_type, body


def _http_capture(content_type: str, body: bytes, chunk: int | None) -> bytes:
    head = f"POST /mm7 HTTP/1.1\r\nHost: vasp.example\r\nContent-Type: {content_type}\r\n"
    if chunk is None:
        return f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
    pieces = [
        f"{len(body[i : i + chunk]):x}\r\n".encode() + body[i : i + chunk] + b"\r\n"
        for i in range(0, len(body), chunk)
    ]
    return f"{head}Transfer-Encoding: chunked\r\n\r\n".encode() + b"".join(pieces) + b"0\r\n\r\n"


def _bent_headers(body: bytes) -> bytes:
    """The same multipart with RFC 2231 and RFC 2047 parameters and an unbracketed Content-ID."""
    return body.replace(
        b"Content-ID: <photo.jpg>",
        b"Content-ID: photo.jpg\r\nContent-Disposition: attachment;\r\n"
        b" filename*0*=utf-8''%C3%A9t%C3%A9;\r\n filename*1*=.jpg\r\n"
        b"Content-Location: =?utf-8?B?w6l0w6kuanBn?=",
        1,
    )


def structure_aware_seeds() -> Iterator[tuple[str, bytes]]:
    """(name, seed) pairs; each seed's first byte picks fuzz_decode.py's decoding mode."""
    for name, content_type, body in _realistic_messages():
        if content_type.startswith("multipart/"):
            for mode in (1, 3, 4):
                yield f"{name}-multipart-{mode}", bytes([mode]) + body
            yield f"{name}-bare-lf", b"\x01" + body.replace(b"\r\n", b"\n")
            yield f"{name}-bent-headers", b"\x01" + _bent_headers(body)
        else:
            yield f"{name}-soap", b"\x00" + body
            text = body.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
            yield f"{name}-utf16", b"\x00" + text.encode("utf-16")
        yield f"{name}-http", b"\x02" + _http_capture(content_type, body, None)
        yield f"{name}-http-chunked", b"\x02" + _http_capture(content_type, body, 1000)


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for _name, seed in structure_aware_seeds():
        (target / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        count += 1
    for folder in SOURCES:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in (".toml", ".md", ".json", ".gif", ".txt") and "__" not in path.name:
                continue
            data = path.read_bytes()
            stripped = data.lstrip()
            if stripped.startswith((b"POST", b"HTTP/")):
                modes = (2,)
            elif stripped.startswith(b"<"):
                modes = (0,)
            else:
                modes = (1, 3, 4)
            for mode in modes:
                seed = bytes([mode]) + data
                name = hashlib.sha1(seed).hexdigest()
                (target / name).write_bytes(seed)
                count += 1
    print(f"wrote {count} seeds to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "corpus")
