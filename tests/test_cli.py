"""The command line: decode (text, JSON, extract), encode, samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mm7codec
from mm7codec.__main__ import SAMPLES, main


def test_every_bundled_sample_decodes_strictly_except_the_sloppy_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = sorted(p.stem for p in SAMPLES.glob("*.http"))
    assert "mo-photo" in names and "sloppy-mmsc" in names
    for name in names:
        strict = name != "sloppy-mmsc"
        message = mm7codec.decode_http((SAMPLES / f"{name}.http").read_bytes(), strict=strict)
        assert isinstance(message, mm7codec.Message)
    assert main(["samples"]) == 0
    assert capsys.readouterr().out.split() == names


def test_decode_prints_a_readable_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "--sample", "mo-photo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DeliverReq  MM7Version 6.8.0  namespace REL-6-MM7-1-4")
    assert "image/gif <photo> 'pixel.gif' 42 bytes" in out


def test_decode_json_and_extract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "--sample", "sloppy-mmsc", "--json", "--extract", str(tmp_path)]) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["type"] == "DeliverReq"
    assert view["transaction_id"] == "77001"
    assert "legacy-address" in [d["code"] for d in view["deviations"]]
    [written] = list(tmp_path.iterdir())
    assert written.read_bytes() == b"Hello from a sloppy MMSC!"


def test_strict_decode_fails_with_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "--sample", "sloppy-mmsc", "--strict"]) == 2
    assert "DeviationError" in capsys.readouterr().err


def test_encode_then_decode(tmp_path: Path) -> None:
    out = tmp_path / "submit.http"
    assert main(["encode", str(SAMPLES / "submit-text.json"), "-o", str(out)]) == 0
    message = mm7codec.decode_http(out.read_bytes(), strict=True)
    assert isinstance(message, mm7codec.SubmitReq)
    assert message.vasp_id == "your-api-key"
    assert message.content is not None
    assert message.content.body == (SAMPLES / "hello.txt").read_bytes()


def test_bare_body_is_sniffed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capture = mm7codec.split_http((SAMPLES / "mo-photo.http").read_bytes())
    body = tmp_path / "body.mime"
    body.write_bytes(capture.body)
    assert main(["decode", str(body)]) == 0
    assert "DeliverReq" in capsys.readouterr().out
    assert main(["decode", str(body), "--content-type", capture.content_type, "--strict"]) == 0


def test_encode_refuses_unknown_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    description = tmp_path / "bad.json"
    description.write_text(json.dumps({"type": "SubmitReq", "colour": "red"}))
    assert main(["encode", str(description)]) == 2
    assert "SubmitReq has no field 'colour' (at colour)" in capsys.readouterr().err
