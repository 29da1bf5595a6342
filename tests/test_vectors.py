"""Hand-written wire examples, one per item of the field's quirk list and per refused input.

Each ``vectors/<group>/<name>.wire`` holds exact bytes; ``<name>.toml`` says what lenient
decoding must give (type, fields, the deviations recorded) and what strict mode does, or the
error both modes must raise.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

import mm7codec

from .conftest import VECTORS
from .helpers import decode_any, resolve, same

CASES = sorted(VECTORS.glob("*/*.toml"))


def _load(path: Path) -> tuple[bytes, dict[str, Any]]:
    with path.open("rb") as handle:
        spec = tomllib.load(handle)
    return path.with_suffix(".wire").read_bytes(), spec


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_vector(case: Path) -> None:
    wire, spec = _load(case)
    content_type = spec["content_type"]
    if "error" in spec:
        expected = spec["error"]
        with pytest.raises(mm7codec.MM7Error) as raised:
            decode_any(wire, content_type)
        error = raised.value
        assert type(error).__name__ == expected["class"]
        assert error.status_code == expected["status_code"]
        assert expected["contains"] in str(error)
        # Strict mode refuses too, possibly earlier, at a deviation that comes first.
        with pytest.raises(mm7codec.DecodeError):
            decode_any(wire, content_type, strict=True)
        return
    expect = spec["expect"]
    message = decode_any(wire, content_type)
    assert type(message).__name__ == expect["type"]
    for key in ("transaction_id", "version", "namespace"):
        if key in expect:
            assert getattr(message, key) == expect[key]
    assert [d.code for d in message.deviations] == expect["deviations"]
    for path, value in expect.get("fields", {}).items():
        actual = resolve(message, path)
        assert same(actual, value), f"{path}: {actual!r} != {value!r}"
    if expect["strict"] == "pass":
        strict_message = decode_any(wire, content_type, strict=True)
        assert strict_message == message
        assert strict_message.deviations == ()
    else:
        with pytest.raises(mm7codec.DeviationError) as raised:
            decode_any(wire, content_type, strict=True)
        assert raised.value.deviation.code == expect["strict"]
        # Strict mode reports every deviation, exactly those lenient decoding records.
        assert raised.value.deviations == message.deviations


def test_every_vector_has_its_wire_file() -> None:
    assert len(CASES) >= 60
    for case in CASES:
        assert case.with_suffix(".wire").is_file(), case
