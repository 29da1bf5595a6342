"""Coverage-guided fuzz target for the mm7codec decoder (atheris).

Contract under test: whatever the bytes, decoding returns a message or raises an MM7Error
subclass, within the limits; and a decoded message either encodes or raises EncodeError.
The first input byte chooses how the rest is decoded, so one corpus exercises every path.
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    import mm7codec

# Small limits keep each run fast; the code paths are the same as with the defaults.
LIMITS = mm7codec.Limits(
    max_envelope_size=256 * 1024,
    max_total_size=1024 * 1024,
    max_part_size=512 * 1024,
    spool_threshold=64 * 1024,
)

MODES = 5


def _sniffed_content_type(body: bytes) -> str:
    first = body.lstrip(b"\r\n").split(b"\n", 1)[0].rstrip(b"\r \t")
    boundary = first[2:].decode("latin-1") if first.startswith(b"--") else "b"
    return f'multipart/related; type="text/xml"; boundary="{boundary}"'


def _decode(mode: int, body: bytes) -> mm7codec.Message:
    strict = mode >= MODES
    mode %= MODES
    if mode == 0:
        return mm7codec.decode(body, "text/xml", strict=strict, limits=LIMITS)
    if mode == 1:
        return mm7codec.decode(body, _sniffed_content_type(body), strict=strict, limits=LIMITS)
    if mode == 2:
        return mm7codec.decode_http(body, strict=strict, limits=LIMITS)
    # Chunked feeding: sizes taken from the body's own bytes, so splits vary with the input.
    decoder = mm7codec.Decoder(_sniffed_content_type(body), strict=strict, limits=LIMITS)
    position = 0
    # Mode 3 goes one byte at a time through small inputs; large ones would only be slow.
    step = 1 if mode == 3 and len(body) < 4096 else 1 + (body[0] if body else 0)
    while position < len(body):
        decoder.feed(body[position : position + step])
        position += step
        if not (mode == 3 and len(body) < 4096):
            step = 1 + body[position % len(body)] * 3
    return decoder.close()


def test_one_input(data: bytes) -> None:
    if not data:
        return
    try:
        message = _decode(data[0] % (2 * MODES), data[1:])
    except mm7codec.MM7Error:
        return
    assert isinstance(message, mm7codec.Message)
    with contextlib.suppress(mm7codec.EncodeError):
        mm7codec.encode(message)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
