"""The other shipped profiles, each checked against its peer facts (../shared/mm7/PEERS.md),
a user's own profile, and the properties that hold for every profile."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mm7codec
from mm7codec import Address, Part, Recipients, SubmitReq, peers
from mm7codec.__main__ import SAMPLES, main
from mm7codec.peers import Finding, PeerRefusal
from mm7codec.strategies import messages

_BASE = mm7codec.SUPPORTED_VERSIONS[0].namespace or ""
_REL5_1_2 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-2"
_REL6_1_4 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"


def _submit(**fields: Any) -> SubmitReq:
    base: dict[str, Any] = {
        "version": "6.8.0",
        "vasp_id": "account",
        "sender_address": Address("12345", "ShortCode"),
        "recipients": Recipients(to=["15551234567"]),
        "content": Part.multipart([Part.from_text("hello")], "mixed", content_id="c"),
    }
    base.update(fields)
    return SubmitReq(**base)


def _errors(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.where, f.code) for f in findings if f.level == "error"]


def _levels(findings: list[Finding], where: str) -> list[str]:
    return [f.level for f in findings if f.where == where]


# -- Vibes: two schemas, Basic auth, a 1 MB body ----------------------------------------------


def test_vibes_takes_5_3_0_with_rel_5_1_2_and_6_8_0() -> None:
    vibes = peers.get("vibes")
    five = _submit(version="5.3.0")
    assert five.namespace != _REL5_1_2  # the library's own pairing for 5.3.0
    assert _levels(vibes.lint(five), "namespace") == ["warning"]
    prepared = vibes.prepare(five)
    assert (prepared.message.version, prepared.message.namespace) == ("5.3.0", _REL5_1_2)
    assert prepared.losses == ()
    assert vibes.lint(prepared.message) == []
    assert _errors(vibes.lint(_submit(version="6.3.0"))) == [("version", None)]
    moved = vibes.prepare(_submit(version="6.3.0")).message
    assert (moved.version, moved.namespace) == ("6.8.0", _REL6_1_4)


def test_vibes_refuses_a_body_over_1_mb_with_http_413() -> None:
    vibes = peers.get("vibes")

    def with_image(size: int) -> SubmitReq:
        parts = [Part.from_bytes(bytes(size), "image/jpeg")]
        return _submit(content=Part.multipart(parts, "mixed", content_id="c"))

    def body_length(size: int) -> int:
        length = mm7codec.encode_stream(with_image(size)).content_length
        assert length is not None
        return length

    low, high = 0, 1_000_000  # the largest image whose body fits in 1 MB
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if body_length(middle) <= 1_000_000 else (low, middle - 1)
    size = low
    assert body_length(size) <= 1_000_000 < body_length(size + 1)
    assert vibes.lint(with_image(size)) == []
    [error] = vibes.lint(with_image(size + 1))
    assert (error.level, error.where) == ("error", "content")
    assert "HTTP 413" in error.message and f"{body_length(size + 1):,} bytes" in error.message
    transport = vibes.transport
    assert transport is not None and dict(transport.auth) == {"basic": "required"}


# -- Telnyx: 6.8.0 only, To and Cc, media types, attachments under 1 MB ------------------------


def test_telnyx_rules() -> None:
    telnyx = peers.get("telnyx")
    assert _errors(telnyx.lint(_submit(version="5.3.0"))) == [("version", None)]
    moved = telnyx.prepare(_submit(version="5.3.0"))
    assert (moved.message.version, moved.losses) == ("6.8.0", ())
    bcc = _submit(recipients=Recipients(to=["15551234567"], bcc=["15551234568"]))
    assert _errors(telnyx.lint(bcc)) == [("recipients.bcc", None)]
    email = _submit(recipients=Recipients(to=[Address("a@example.com", "RFC2822Address")]))
    assert _errors(telnyx.lint(email)) == [("recipients", None)]
    bitmap = Part.multipart([Part.from_bytes(b"BM", "image/bmp")], "mixed", content_id="c")
    assert _levels(telnyx.lint(_submit(content=bitmap)), "content/parts[0]") == ["warning"]

    def with_media(size: int) -> SubmitReq:
        parts = [Part.from_bytes(bytes(size), "image/png"), Part.from_text("x" * 10)]
        return _submit(content=Part.multipart(parts, "mixed", content_id="c"))

    assert telnyx.lint(with_media(999_999 - 10)) == []
    assert _errors(telnyx.lint(with_media(1_000_000 - 10))) == [("content", None)]


# -- NowSMS, Nokia MC5.0, the plain standard ---------------------------------------------------


def test_nowsms_rules() -> None:
    nowsms = peers.get("nowsms")
    assert _errors(nowsms.lint(_submit(recipients=Recipients()))) == [("recipients", None)]
    assert _levels(nowsms.lint(_submit(version="5.3.0")), "namespace") == ["warning"]
    assert nowsms.lint(_submit(version="6.5.0")) == []  # versions are configurable
    assert _errors(nowsms.lint(mm7codec.CancelReq(message_id="m"))) == [("CancelReq", None)]
    assert nowsms.transport is not None and nowsms.transport.content_length_required


def test_nokia_writes_numbers_as_plmn_addresses() -> None:
    nokia = peers.get("nokia-mc5")
    plain = nokia.lint(_submit())
    assert _levels(plain, "recipients") == ["info"]
    plmn = _submit(recipients=Recipients(to=[Address("+15551234567/TYPE=PLMN")]))
    assert nokia.lint(plmn) == []
    assert _errors(nokia.lint(_submit(version="6.5.0"))) == [("version", None)]
    assert nokia.status(4002).confidence == "S"


def test_the_standard_is_strict_about_namespaces() -> None:
    standard = peers.get("3gpp")
    assert standard.lint(_submit()) == []
    mismatched = _submit(namespace=_BASE)
    assert _errors(standard.lint(mismatched)) == [("namespace", None)]
    assert standard.prepare(mismatched).message.namespace == _REL6_1_4
    assert standard.lint(mm7codec.CancelReq(message_id="m")) == []
    assert standard.status(4006).retry == "later"
    assert standard.status(2005).retry == "fix"


# -- a user's profile, and conversions that would lose something ------------------------------

_OLD_MMSC = """
id = "old-mmsc"
name = "Old MMSC"
role = "rs"
as_of = "2025"

[sources.ops]
title = "Our operations notes"

[versions]
accept = ["5.3.0"]
preferred = "5.3.0"
source = "ops notes"
confidence = "V"

[operations]
supported = ["SubmitReq"]
source = "ops notes"
confidence = "V"

[content]
source = "ops notes"
confidence = "V"
"""


def test_prepare_moves_down_only_what_the_older_schema_can_carry(tmp_path: Path) -> None:
    path = tmp_path / "old-mmsc.toml"
    path.write_text(_OLD_MMSC, encoding="utf-8")
    old = peers.load(path)
    moved = old.prepare(_submit())
    assert (moved.message.version, moved.message.namespace) == ("5.3.0", _BASE)
    mm7codec.encode(moved.message)
    with pytest.raises(PeerRefusal) as raised:
        old.prepare(_submit(applic_id="app", content_class="text"))
    [error] = [f for f in raised.value.findings if f.level == "error"]
    assert error.where == "version"
    assert "applic_id, content_class" in error.message


# -- properties over every profile -------------------------------------------------------------


@settings(max_examples=50)
@given(
    st.sampled_from(peers.available()),
    messages(message_type="SubmitReq"),
    st.sampled_from([None, "10dlc"]),
)
def test_prepare_either_refuses_with_findings_or_gives_a_message_without_errors(
    name: str, message: mm7codec.Message, variant: str | None
) -> None:
    profile = peers.get(name)
    if variant not in profile.variants:
        variant = None
    try:
        prepared = profile.prepare(message, variant=variant)
    except PeerRefusal as refusal:
        assert any(f.level == "error" for f in refusal.findings)
        return
    assert _errors(profile.lint(prepared.message, variant=variant)) == []
    mm7codec.encode(prepared.message)
    for loss in prepared.losses:
        assert getattr(prepared.message, loss.field) is None


def _leaf_segments(body: bytes) -> list[int]:
    """The encoded body length of every leaf part in an encoded multipart, in order."""
    sizes = []
    # The body opens with the SOAP part's delimiter, so the first piece is the SOAP part.
    for segment in body.split(b"\r\n--=_mm7codec_")[1:]:
        headers, blank, rest = segment.partition(b"\r\n\r\n")
        if b"Content-Type:" not in headers or b"Content-Type: multipart/" in headers:
            continue  # a closing delimiter, or a multipart's own headers
        assert blank
        sizes.append(len(rest))
    return sizes


@settings(max_examples=25)
@given(messages(message_type="SubmitReq"))
def test_part_sizes_are_the_exact_encoded_sizes(message: mm7codec.Message) -> None:
    assert isinstance(message, SubmitReq)
    encoded = mm7codec.encode_stream(message)
    if message.content is None:
        assert encoded.part_sizes == ()
        return
    leaves = [p for p in message.content.walk() if not p.is_multipart]
    assert len(encoded.part_sizes) == len(leaves)
    body = encoded.body()
    assert list(encoded.part_sizes) == _leaf_segments(body)


def test_part_sizes_of_streams_and_quoted_printable() -> None:
    unknown = Part.from_file(io.BytesIO(b"x" * 100), "image/gif")
    known = Part.from_file(io.BytesIO(b"x" * 100), "image/gif", size=100)
    accented = Part.from_text("caf\u00e9 " * 30)
    content = Part.multipart([unknown, known, accented], "mixed", content_id="c")
    encoded = mm7codec.encode_stream(_submit(content=content))
    assert encoded.part_sizes[0] is None  # a stream of unknown size: known once written
    assert encoded.part_sizes[1:] == tuple(_leaf_segments(encoded.body())[1:])


# -- the lint command --------------------------------------------------------------------------


def test_lint_command_prints_findings_and_exits_1_on_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lint", "--peer", "sinch", str(SAMPLES / "submit-text.json")]) == 1
    out = capsys.readouterr().out
    assert "error content: Sinch requires SMIL" in out
    assert main(["lint", "--peer", "telnyx", str(SAMPLES / "submit-text.http")]) == 0
    assert "no findings" in capsys.readouterr().out


def test_lint_command_passes_variant_number_type_and_carrier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    description = {
        "type": "SubmitReq",
        "version": "6.8.0",
        "vasp_id": "k",
        "sender_address": {"short_code": "12345"},
        "recipients": {"to": ["15551234567", {"number": "15551234568", "display_only": True}]},
        "content": {
            "content_type": "multipart/related",
            "params": {"type": "application/smil", "start": "<s>"},
            "parts": [
                {"text": "<smil/>", "content_type": "application/smil", "content_id": "s"},
                {"text": "x" * 2_100_000, "content_id": "big"},
            ],
        },
    }
    path = tmp_path / "group.json"
    path.write_text(json.dumps(description), encoding="utf-8")
    args = ["lint", "--peer", "sinch", str(path)]
    assert main([*args, "--variant", "10dlc"]) == 0
    assert main(args) == 1
    assert "error [2503] recipients" in capsys.readouterr().out
    assert main([*args, "--variant", "10dlc", "--carrier", "Verizon"]) == 1
    assert "error content" in capsys.readouterr().out
    assert main([*args, "--number-type", "short_code", "--carrier", "Sprint"]) == 2
    assert "carrier 'Sprint'" in capsys.readouterr().err
