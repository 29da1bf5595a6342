"""The outcome dump: a few thousand deterministic decodes, one canonical text line each, and
one digest over them all. It guards speed work: a change that only makes the codec faster
leaves the dump, and so the digest, exactly as it was.

    python -m benchmarks.outcomes /tmp/after.txt         # prints the digest, writes the dump

To check a change, run it in two checkouts (before and after) and compare:

    (cd ../before && python -m benchmarks.outcomes /tmp/before.txt)
    python -m benchmarks.outcomes /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt

No stored copy is kept in the repository: every deliberate change of behaviour (a new
deviation, a reworded reason) would change it. The inputs are the bundled samples, the test
vectors, the fuzz seeds, and seeded mutations of each (truncations, byte flips, header and
boundary damage, bare line ends), decoded whole and fed in seeded chunk sizes, lenient and
strict; each decoded message is encoded again and the encoding is part of its line.

Values are written by their plain text (``str``, ``int``, ISO dates, enum names, a hash of
bytes), never by ``repr``, so a change of a repr or of an enum's value type does not show.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import random
import sys
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

import mm7codec

PROJECT = Path(__file__).resolve().parent.parent
SEED = 4500


def _text(value: object) -> str:
    """A stable plain-text form of a decoded value."""
    if value is None or isinstance(value, bool):
        return str(value)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return repr(str.__str__(value))  # quoted, so "" and None differ; plain str only
    if isinstance(value, float):
        return float.__repr__(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"timedelta({value.total_seconds()})"
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return f"bytes[{len(data)}:{hashlib.sha256(data).hexdigest()[:16]}]"
    if isinstance(value, mm7codec.Part):
        return _part(value)
    if isinstance(value, mm7codec.Headers):
        return "{" + ",".join(f"{_text(k)}:{_text(v)}" for k, v in value.items_in_order()) + "}"
    if isinstance(value, Mapping):
        items = sorted((_text(k), _text(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple, frozenset, set)):
        texts = [_text(item) for item in value]
        if isinstance(value, (frozenset, set)):
            texts.sort()
        return "[" + ",".join(texts) + "]"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(
            f"{f.name}={_text(getattr(value, f.name))}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__name__}({fields})"
    return f"{type(value).__name__}<{value!s}>"


def _part(part: mm7codec.Part) -> str:
    inner = (
        "[" + ",".join(_part(child) for child in part.parts) + "]"
        if part.is_multipart
        else _text(part.body)
    )
    return (
        f"Part({part.content_type} {_text(part.params)} id={_text(part.content_id)} "
        f"loc={_text(part.content_location)} headers={_text(part.headers)} {inner})"
    )


def _message(message: mm7codec.Message) -> str:
    line = _text(message)  # every field, deviations and extras included
    try:
        content_type, body = mm7codec.encode(message)
    except mm7codec.MM7Error as error:
        return f"{line} | encode: {_error(error)}"
    return f"{line} | encode: {content_type} {_text(body)}"


def _error(error: BaseException) -> str:
    fields = [type(error).__name__, str(error)]
    if isinstance(error, mm7codec.MM7Error):
        fields += [
            f"status={error.status_code}",
            f"where={_text(error.where)}",
            f"offset={_text(error.offset)}",
        ]
    if isinstance(error, mm7codec.DeviationError):
        fields.append(_text(error.deviations))
    return " ".join(fields)


# -- the inputs ------------------------------------------------------------------------------


def _sniffed_content_type(body: bytes) -> str:
    first = body.lstrip(b"\r\n").split(b"\n", 1)[0].rstrip(b"\r \t")
    boundary = first[2:].decode("latin-1") if first.startswith(b"--") else "b"
    return f'multipart/related; type="text/xml"; boundary="{boundary}"'


def corpus_inputs() -> Iterator[tuple[str, str, bytes]]:
    """(name, content type or "http", body) of every unmutated input."""
    for path in sorted((PROJECT / "mm7codec" / "samples").glob("*.http")):
        yield path.name, "http", path.read_bytes()
    for path in sorted((PROJECT / "tests" / "vectors").glob("*/*.wire")):
        content_type = tomllib.loads(path.with_suffix(".toml").read_text())["content_type"]
        yield str(path.relative_to(PROJECT)), content_type, path.read_bytes()
    sys.path.insert(0, str(PROJECT))
    from fuzz.seed import structure_aware_seeds

    for name, seed in structure_aware_seeds():
        mode, body = seed[0], seed[1:]
        kind = "http" if mode == 2 else "text/xml" if mode == 0 else _sniffed_content_type(body)
        yield f"seed:{name}", kind, body


def mutations_of(name: str, body: bytes) -> Iterator[tuple[str, bytes]]:
    """(label, body) of the input whole and of its mutations, seeded by its name."""
    rng = random.Random(f"{SEED}:{name}")
    yield "whole", body
    if not body:
        return
    for _ in range(3):
        cut = rng.randrange(len(body))
        yield f"cut@{cut}", body[:cut]
    for _ in range(4):
        flipped = bytearray(body)
        at = rng.randrange(len(body))
        flipped[at] ^= 1 << rng.randrange(8)
        yield f"flip@{at}", bytes(flipped)
    yield "bare-lf", body.replace(b"\r\n", b"\n")
    for old, new in (
        (b"Content-Type:", b"Content-Typ:"),
        (b"Content-Transfer-Encoding: base64", b"Content-Transfer-Encoding: 8bit"),
        (b"Content-ID: <", b"Content-ID: "),
        (b"\r\n--", b"\r\n-"),
        (b"--\r\n", b"\r\n"),
        (b"boundary=", b"boundary=x"),
        (b"charset=", b"charset=x-"),
    ):
        if old in body:
            count = body.count(old)
            yield f"{old!r}->{new!r}", body.replace(old, new, 1 + rng.randrange(count))


def _decode(kind: str, body: bytes, strict: bool, chunks: int | None) -> mm7codec.Message:
    if kind == "http":
        return mm7codec.decode_http(body, strict=strict)
    if chunks is None:
        return mm7codec.decode(body, kind, strict=strict)
    decoder = mm7codec.Decoder(kind, strict=strict)
    rng = random.Random(chunks)
    position = 0
    while position < len(body):
        step = 1 + rng.randrange(chunks)
        decoder.feed(body[position : position + step])
        position += step
    return decoder.close()


def outcomes() -> Iterator[str]:
    for name, kind, base in corpus_inputs():
        for mutation, body in mutations_of(name, base):
            for strict in (False, True):
                ways: tuple[int | None, ...] = (None,)
                if kind != "http" and mutation in ("whole", "bare-lf"):
                    ways = (None, 7, 700)
                for chunks in ways:
                    label = f"{name} {mutation} strict={strict} chunks={chunks}"
                    try:
                        outcome = _message(_decode(kind, body, strict, chunks))
                    except mm7codec.MM7Error as error:
                        outcome = "error: " + _error(error)
                    yield f"{label} => {outcome}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    digest = hashlib.sha256()
    count = 0
    with open(argv[0], "w", encoding="utf-8") as dump:
        for line in outcomes():
            line = line.replace("\n", "\\n")
            dump.write(line + "\n")
            digest.update(line.encode("utf-8", "backslashreplace") + b"\n")
            count += 1
    print(f"{count} outcomes, digest {digest.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
