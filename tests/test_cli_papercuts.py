"""The command line fails in one readable line (exit 2, never a traceback), reads standard input
for ``-``, lists the samples for an unknown one, names extracted files by their media type, and
writes a Host header in the captures it encodes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import mm7codec
from mm7codec.__main__ import SAMPLES, main

_SUBMIT: dict[str, Any] = json.loads((SAMPLES / "submit-text.json").read_text(encoding="utf-8"))


def _with(**changes: Any) -> dict[str, Any]:
    return {**_SUBMIT, **changes}


def _encode(tmp_path: Path, description: Any, *extra: str) -> int:
    path = tmp_path / "description.json"
    path.write_text(json.dumps(description), encoding="utf-8")
    (tmp_path / "hello.txt").write_bytes((SAMPLES / "hello.txt").read_bytes())
    return main(["encode", str(path), "-o", str(tmp_path / "out.http"), *extra])


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    "description",
    [
        _with(content=None),
        _with(recipients=["15553199144", {"number": "15553199145"}]),
        _with(subject=None),
    ],
    ids=["content-null", "recipients-list", "field-null"],
)
def test_encode_takes_null_content_and_a_recipient_list(
    tmp_path: Path, description: dict[str, Any]
) -> None:
    assert _encode(tmp_path, description) == 0
    message = mm7codec.decode_http((tmp_path / "out.http").read_bytes(), strict=True)
    assert isinstance(message, mm7codec.SubmitReq)
    assert message.recipients.to[0].value == "15553199144"


@pytest.mark.parametrize(
    ("description", "says"),
    [
        ([1, 2], "JSON object"),
        ({}, "a message needs its 'type'"),
        ({"type": "SubmitReq", "fields": {}}, "old description shape"),
        (_with(recipients=5), "recipients are a list"),
        (_with(recipients={"to": [7]}), "an address is an object or a phone number"),
        (_with(recipients={"too": ["15553199144"]}), "recipients has no 'too'"),
        (_with(recipients=["12345"]), "(a short code?) (at recipients[0])"),
        (_with(content=[]), "a part is an object"),
        (_with(content={"text": "hi", "base64": ""}), "exactly one of parts, text"),
        (_with(time_stamp="yesterday"), "not an xs:dateTime"),
        (_with(sender_address={"value": "1"}), "an address has no 'value'"),
        (_with(subject=5), "expected a string, not the number 5 (at subject)"),
        (_with(recipients=None), "SubmitReq needs recipients (at recipients)"),
    ],
)
def test_bad_descriptions_fail_in_one_line_without_a_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], description: Any, says: str
) -> None:
    assert _encode(tmp_path, description) == 2
    line = _one_error_line(capsys)
    assert line.startswith("error: ") and says in line
    assert "MM7 status" not in line


def test_invalid_json_and_missing_files_fail_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["encode", str(broken)]) == 2
    assert "not a JSON description" in _one_error_line(capsys)
    assert main(["decode", str(tmp_path / "absent.http")]) == 2
    assert "absent.http" in _one_error_line(capsys)


def test_usage_errors_are_one_line_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["decode", "--no-such-option", "x"])
    assert exited.value.code == 2
    assert "unrecognized arguments" in _one_error_line(capsys)


def test_mm7_errors_keep_their_status_and_json_gives_an_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "garbage.xml"
    garbage.write_bytes(b"<not-soap/>")
    assert main(["decode", str(garbage)]) == 2
    line = _one_error_line(capsys)
    assert line.startswith("error: DecodeError: ") and line.endswith("[MM7 status 2007]")
    assert main(["decode", str(garbage), "--json"]) == 2
    report = json.loads(_one_error_line(capsys))
    assert report["error"] == "DecodeError" and report["status"] == 2007
    assert "[MM7 status" not in report["reason"]
    assert main(["decode", "--sample", "nope", "--json"]) == 2
    assert json.loads(_one_error_line(capsys))["status"] is None


def test_unknown_sample_lists_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "--sample", "mo-foto"]) == 2
    line = _one_error_line(capsys)
    assert "no sample 'mo-foto'" in line
    for sample in SAMPLES.glob("*.http"):
        assert sample.stem in line
    assert main(["decode", "--sample", "../samples/mo-photo"]) == 2  # never a path
    assert "no sample" in _one_error_line(capsys)


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_dash_reads_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin((SAMPLES / "mo-photo.http").read_bytes()))
    assert main(["decode", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["type"] == "DeliverReq"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hello.txt").write_bytes((SAMPLES / "hello.txt").read_bytes())
    monkeypatch.setattr(sys, "stdin", _Stdin(json.dumps(_SUBMIT).encode()))
    assert main(["encode", "-", "-o", "out.http"]) == 0
    message = mm7codec.decode_http((tmp_path / "out.http").read_bytes(), strict=True)
    assert isinstance(message, mm7codec.SubmitReq) and message.content is not None


def test_encode_writes_a_host_header(tmp_path: Path) -> None:
    assert _encode(tmp_path, _SUBMIT) == 0
    capture = mm7codec.split_http((tmp_path / "out.http").read_bytes())
    assert capture.headers.get("host") == "localhost"
    assert _encode(tmp_path, _SUBMIT, "--host", "mmsc.example:8080") == 0
    capture = mm7codec.split_http((tmp_path / "out.http").read_bytes())
    assert capture.headers.get("host") == "mmsc.example:8080"


def _extracted(tmp_path: Path, parts: list[dict[str, Any]]) -> list[str]:
    description = _with(content={"parts": parts, "content_type": "multipart/related"})
    assert _encode(tmp_path, description) == 0
    folder = tmp_path / "parts"
    assert main(["decode", str(tmp_path / "out.http"), "--extract", str(folder)]) == 0
    return sorted(path.name for path in folder.iterdir())


def test_extracted_files_get_an_extension_from_their_media_type(tmp_path: Path) -> None:
    names = _extracted(
        tmp_path,
        [
            {"text": "<smil/>", "content_type": "application/smil", "content_id": "layout"},
            {"text": "hi", "content_type": "text/plain", "content_location": "note.txt"},
            {"text": "GIF89a", "content_type": "image/gif", "content_location": "photo"},
            {"text": "MZ", "content_type": "image/jpeg", "content_location": "photo.exe"},
        ],
    )
    assert names == ["01-layout.smil", "02-note.txt", "03-photo.gif", "04-photo.exe.jpg"]
