"""The command line never hands peer-controlled control characters to the operator's
terminal, and ``--extract`` never writes outside the folder it is given."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mm7codec.__main__ import _file_name, main
from mm7codec._repr import terminal_safe

_NAMESPACE = b"http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
_CONTENT_TYPE = 'multipart/related; type="text/xml"; start="<s>"; boundary="b"'

#: What a peer can put in the XML: C1 (U+009B is the 8-bit CSI), DEL, a bidi override, a
#: line separator, and CR/LF that would forge a line of the summary.
_SUBJECT = "hi\u009b31m red\r\nforged: line\x7f \u2028 \u202eevil"
_SENDER = "1555\u202e3199144"
#: And in a MIME header, anything, ESC and BEL included.
_LOCATION = "../../\x1b[2Jevil\u202e.txt"
_NAME = "\x1b]0;pwned\x07.txt"


def _hostile_wire(location: str = _LOCATION) -> bytes:
    subject = _SUBJECT.replace("\r", "&#13;").encode("utf-8")
    soap = (
        b'<?xml version="1.0" encoding="UTF-8"?><env:Envelope '
        b'xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>'
        b'<mm7:TransactionID xmlns:mm7="' + _NAMESPACE + b'">t\xc2\x9b2J</mm7:TransactionID>'
        b'</env:Header><env:Body><DeliverReq xmlns="' + _NAMESPACE + b'">'
        b"<MM7Version>6.8.0</MM7Version><Sender><Number>"
        + _SENDER.encode("utf-8")
        + b"</Number></Sender><Subject>"
        + subject
        + b'</Subject><Content href="cid:c"/></DeliverReq></env:Body></env:Envelope>'
    )
    return (
        b"--b\r\nContent-Type: text/xml\r\nContent-ID: <s>\r\n\r\n"
        + soap
        + b'\r\n--b\r\nContent-Type: text/plain; name="'
        + _NAME.encode("utf-8")
        + b'"\r\nContent-ID: <c\x1b[1m>\r\nContent-Location: '
        + location.encode("utf-8")
        + b"\r\nContent-Transfer-Encoding: x-\x1b[5m\x9b\r\n\r\nhello\r\n--b--\r\n"
    )


def _unsafe(text: str) -> list[str]:
    """The characters of ``text`` a terminal would not show as themselves (line breaks
    apart, which the output itself is made of)."""
    return [
        c for c in text if c != "\n" and not c.isprintable() and unicodedata.category(c) != "Zs"
    ]


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.mime"
    path.write_bytes(_hostile_wire())
    return path


def _decode(capture: Path, *options: str) -> list[str]:
    return ["decode", str(capture), "--content-type", _CONTENT_TYPE, *options]


def test_the_summary_escapes_every_control_character(
    capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_decode(capture)) == 0
    out = capsys.readouterr().out
    assert _unsafe(out) == []
    assert "\\u202e" in out and "\\x9b" in out and "\\x1b" in out
    # The subject's line break is shown escaped, so no line of the summary is forged.
    assert not any(line.startswith("forged") for line in out.splitlines())


def test_json_escapes_what_json_dumps_leaves_raw(
    capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_decode(capture, "--json")) == 0
    out = capsys.readouterr().out
    assert _unsafe(out) == []
    view = json.loads(out)  # the escapes are JSON's own: the values come back exactly
    assert view["subject"] == _SUBJECT
    assert view["sender"]["number"] == _SENDER
    assert view["transaction_id"] == "t\u009b2J"
    assert view["content"]["content_location"] == _LOCATION
    assert view["content"]["params"]["name"] == _NAME


def test_errors_escape_what_they_quote(capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_decode(capture, "--strict")) == 2
    err = capsys.readouterr().err
    assert "DeviationError" in err
    assert _unsafe(err) == []


def test_extract_names_are_safe_and_stay_in_the_folder(
    capture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"
    assert main(_decode(capture, "--extract", str(target))) == 0
    captured = capsys.readouterr()
    assert _unsafe(captured.err) == []
    [written] = list(target.iterdir())
    assert written.read_bytes() == b"hello"
    assert written.name.startswith("01-") and _unsafe(written.name) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.mime", "out"]


@pytest.mark.parametrize(
    "location",
    ["../escape.txt", "/etc/passwd", "..", ".", "a/../../b", "C:\\x\\..\\y", "x" * 5000, ""],
)
def test_extract_never_leaves_the_folder(
    location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capture = tmp_path / "capture.mime"
    capture.write_bytes(_hostile_wire(location))
    target = tmp_path / "out"
    assert main(_decode(capture, "--extract", str(target))) == 0
    capsys.readouterr()
    [written] = list(target.iterdir())
    assert written.parent == target and written.read_bytes() == b"hello"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["capture.mime", "out"]


def test_extract_refuses_a_link_planted_in_the_folder(
    capture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep me")
    name = _file_name(1, _LOCATION)
    os.symlink(outside, target / name)
    assert main(_decode(capture, "--extract", str(target))) == 2
    assert "outside" in capsys.readouterr().err
    assert outside.read_bytes() == b"keep me"


@given(st.text())
def test_extract_file_names_are_plain(name: str) -> None:
    file_name = _file_name(3, name)
    assert file_name.startswith("03-") and len(file_name) <= 103
    assert all(c.isalnum() or c in "._-" for c in file_name)


@given(st.text())
def test_terminal_safe_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    shown = terminal_safe(text)
    assert [c for c in shown if not c.isprintable() and unicodedata.category(c) != "Zs"] == []
    if text.isprintable():
        assert shown == text
