"""Hand-written wire vectors that pin the MM7 schemas, written from the schema evidence
(``../shared/mm7/SCHEMA.md``), never from the encoder's output.

``vectors/schema/rel6-*`` hold one "maximal" message per REL-6-MM7-1-4 message type (every 3GPP
element the schema allows, in schema order, version 6.8.0) and a SOAP Fault carrying an
RSErrorRsp; ``vectors/schema/rel5-*`` hold the Release 5 differences (plain-text SenderAddress,
DistributionProtection, no ServiceCode in DeliverRsp). Each is written in the encoder's one
canonical form (declaration, prefixes, no white space, attribute order, MIME framing), so a
message that decodes from it must encode back to exactly it. Each TOML names the schema
evidence, the discrepancies of SCHEMA.md (D1-D29) the vector pins, and what was left out
because the evidence is doubtful.

Checks per vector: lenient decoding records no deviation and gives the expected fields, strict
decoding gives the same message; encoding that message gives the same Content-Type, the same
envelope byte for byte and the same MIME parts; the REL-6-MM7-1-4 vectors validate against the
rebuilt schema (which checks the vectors themselves, whatever the codec does).
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import mm7codec

from .conftest import VECTORS
from .helpers import resolve, same
from .xsd import envelope_of, mime_parts, needs_xsd, schema_problems

CASES = sorted((VECTORS / "schema").glob("*.toml"))
IDS = [case.stem for case in CASES]


def _load(case: Path) -> tuple[bytes, dict[str, Any]]:
    with case.open("rb") as handle:
        spec = tomllib.load(handle)
    return case.with_suffix(".wire").read_bytes(), spec


def _decoded(case: Path) -> tuple[bytes, dict[str, Any], mm7codec.Message]:
    wire, spec = _load(case)
    return wire, spec, mm7codec.decode(wire, spec["content_type"])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_decodes_without_deviation(case: Path) -> None:
    wire, spec, message = _decoded(case)
    expect = spec["expect"]
    assert type(message).__name__ == expect["type"]
    assert (message.transaction_id, message.version, message.namespace) == (
        expect["transaction_id"],
        expect["version"],
        expect["namespace"],
    )
    recorded = [(d.code, d.where) for d in message.deviations]
    assert recorded == [], f"deviations recorded: {recorded}"
    for path, value in expect["fields"].items():
        actual = resolve(message, path)
        assert same(actual, value), f"{path}: {actual!r} != {value!r}"
    strict = mm7codec.decode(wire, spec["content_type"], strict=True)
    assert strict == message


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_encodes_to_the_same_bytes(case: Path) -> None:
    wire, spec, message = _decoded(case)
    content_type, body = mm7codec.encode(message)
    # The envelope first, so a failure shows the schema difference rather than MIME noise.
    written = envelope_of(spec["content_type"], wire).decode()
    assert envelope_of(content_type, body).decode() == written
    assert content_type == spec["content_type"]
    if content_type.startswith("multipart/"):
        assert mime_parts(content_type, body) == mime_parts(spec["content_type"], wire)
    assert body == wire


REFUSALS = [case for case in CASES if "refuse" in _load(case)[1]]


@pytest.mark.parametrize("case", REFUSALS, ids=[case.stem for case in REFUSALS])
def test_encoding_refuses_what_the_schema_lacks(case: Path) -> None:
    _, spec, message = _decoded(case)
    refuse = spec["refuse"]
    assert getattr(message, refuse["field"]) is None
    changed = replace(message, **{refuse["field"]: refuse["value"]})
    with pytest.raises(mm7codec.MM7Error) as raised:
        mm7codec.encode(changed)
    assert type(raised.value).__name__ == refuse["error"]


XSD_CASES = [case for case in CASES if _load(case)[1]["xsd"]]


@needs_xsd
@pytest.mark.parametrize("case", XSD_CASES, ids=[case.stem for case in XSD_CASES])
def test_vector_is_valid_against_the_schema(case: Path) -> None:
    wire, spec = _load(case)
    assert spec["expect"]["namespace"].endswith("/REL-6-MM7-1-4")
    problems = schema_problems(envelope_of(spec["content_type"], wire))
    assert problems == [], "\n".join(problems)


def test_every_message_type_has_its_maximal_vector() -> None:
    covered = {
        _load(case)[1]["expect"]["type"] for case in XSD_CASES if case.stem.startswith("rel6-")
    }
    assert covered == {*mm7codec.MESSAGE_TYPES, "Fault"}
    pinned = {pin for case in CASES for pin in _load(case)[1]["pins"]}
    assert {"D16", "D17", "D18"} <= pinned
    for case in CASES:
        assert case.with_suffix(".wire").is_file(), case
