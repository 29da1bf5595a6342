"""A reader that goes away (``| head``) ends a command quietly: no traceback, exit status 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import mm7codec
from mm7codec import Part, Recipients, SubmitReq

PROJECT = Path(__file__).resolve().parent.parent


def test_a_closed_pipe_ends_the_command_without_a_traceback(tmp_path: Path) -> None:
    # A message whose JSON form (its body in base64) is several times a pipe's buffer, so the
    # command is still writing when the reader closes its end.
    message = SubmitReq(
        recipients=Recipients(["15553199144"]),
        content=Part.from_bytes(os.urandom(512 * 1024), "application/octet-stream"),
    )
    content_type, body = mm7codec.encode(message)
    capture = tmp_path / "big.http"
    capture.write_bytes(
        f"POST /mm7 HTTP/1.1\r\nContent-Type: {content_type}\r\n\r\n".encode() + body
    )
    environment = {**os.environ, "PYTHONPATH": str(PROJECT)}
    command = [sys.executable, "-m", "mm7codec", "decode", "--json", str(capture)]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=PROJECT,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(100)
        process.stdout.close()
        errors = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert "Traceback" not in errors
    assert errors == ""
    assert status == 1
