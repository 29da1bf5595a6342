"""Conversions written out by hand: ``conversions/<name>.in.wire`` converted to the TOML's
``version`` must encode to exactly ``<name>.out.wire`` and lose exactly the listed values;
with ``back = true`` the result converts back to the input's bytes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import mm7codec

from .conftest import TESTS
from .helpers import same

CASES = sorted((TESTS / "conversions").glob("*.toml"))
CONTENT_TYPE = 'text/xml; charset="utf-8"'


def _expected_value(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_conversion_vector(case: Path) -> None:
    with case.open("rb") as handle:
        spec = tomllib.load(handle)
    wire_in = case.with_name(f"{case.stem}.in.wire").read_bytes()
    wire_out = case.with_name(f"{case.stem}.out.wire").read_bytes()
    message = mm7codec.decode(wire_in, CONTENT_TYPE, strict=True)
    conversion = message.for_version(spec["version"])
    assert mm7codec.encode(conversion.message) == ('text/xml; charset="utf-8"', wire_out)
    expected = [(loss["field"], _expected_value(loss["value"])) for loss in spec["losses"]]
    actual = [(loss.field, loss.value) for loss in conversion.losses]
    assert [field for field, _ in actual] == [field for field, _ in expected]
    for (_, value), (_, wanted) in zip(actual, expected, strict=True):
        assert value == wanted or same(value, wanted)
    # The hand-written output is itself a clean message of the target version.
    assert mm7codec.decode(wire_out, CONTENT_TYPE, strict=True) == conversion.message
    if spec["back"]:
        back = conversion.message.for_version(message.version)
        assert back.losses == ()
        assert mm7codec.encode(back.message)[1] == wire_in


def test_there_are_conversion_vectors() -> None:
    assert len(CASES) >= 3
