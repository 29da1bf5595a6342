"""A 50 MB MMS decoded in 64 KiB chunks stays small in memory, and nothing is lost."""

from __future__ import annotations

import hashlib
import random
import tracemalloc
from pathlib import Path

import mm7codec

from .helpers import memory_kept_without_gc

CHUNK = 64 * 1024
MIB = 1024 * 1024


def _sha256_of(stream_part: mm7codec.Part) -> str:
    digest = hashlib.sha256()
    with stream_part.open() as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def test_fifty_megabyte_message_in_64k_chunks(tmp_path: Path) -> None:
    video = tmp_path / "clip.3gp"
    video.write_bytes(random.Random(23140).randbytes(38 * MIB))  # about 50 MB once in base64
    original_digest = hashlib.sha256(video.read_bytes()).hexdigest()
    message = mm7codec.SubmitReq(
        recipients=mm7codec.Recipients(to=["15553199144"]),
        subject="big video",
        content=mm7codec.Part.multipart(
            [mm7codec.Part.from_text("watch this"), mm7codec.Part.from_path(video, "video/3gpp")],
            "mixed",
            content_id="clip",
        ),
    )
    encoded = mm7codec.encode_stream(message)
    wire = tmp_path / "wire.bin"
    with wire.open("wb") as out:
        for chunk in encoded.chunks():
            out.write(chunk)
    assert wire.stat().st_size == encoded.content_length
    assert encoded.content_length is not None and encoded.content_length > 50 * 1000 * 1000

    spool = tmp_path / "spool"
    spool.mkdir()
    tracemalloc.start()
    try:
        decoder = mm7codec.Decoder(encoded.content_type, spool_dir=spool)
        with wire.open("rb") as incoming:
            while chunk := incoming.read(CHUNK):
                decoder.feed(chunk)
                del chunk
        decoded = decoder.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"peak traced memory while decoding: {peak / MIB:.2f} MiB")
    assert peak < 16 * MIB, f"peak traced memory {peak / MIB:.1f} MiB"

    content = decoded.content  # type: ignore[attr-defined]
    video_part = content.parts[1]
    assert video_part.size == 38 * MIB
    assert type(video_part.source).__name__ == "SpooledBody", "the large part should be spooled"
    assert list(spool.iterdir()) == [], "a spool file has no name on disk"
    assert _sha256_of(video_part) == original_digest
    assert content.parts[0].text == "watch this"


def test_a_decoded_message_is_freed_without_the_cycle_collector() -> None:
    """No reference cycle may keep decoded parts alive until a GC pass (a gateway decoding
    large MMS back to back would otherwise hold several of them at once)."""
    part = mm7codec.Part.from_bytes(random.Random(7).randbytes(MIB), "image/jpeg", content_id="i")
    message = mm7codec.DeliverReq(
        sender=mm7codec.Address("15553199144"), content=mm7codec.Part.multipart([part])
    )
    content_type, body = mm7codec.encode(message)
    mm7codec.decode(body, content_type)  # warm up caches before measuring
    with memory_kept_without_gc() as kept:
        for _ in range(3):
            decoded = mm7codec.decode(body, content_type)
            assert decoded.content is not None  # type: ignore[attr-defined]
            del decoded
    assert kept[0] < MIB // 4, f"{kept[0]} bytes kept alive after decoding"
