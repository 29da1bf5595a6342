"""The README's code examples run as written."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

import mm7codec
from mm7codec.__main__ import SAMPLES

README = Path(__file__).parent.parent / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 3
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    monkeypatch.chdir(tmp_path)
    capture = mm7codec.split_http((SAMPLES / "mo-photo.http").read_bytes())
    namespace: dict[str, Any] = {
        "content_type": capture.content_type,
        "request_body_chunks": [capture.body[:100], capture.body[100:]],
    }
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # our own README, as documentation
    status, content_type, body = namespace["handle_post"](capture.content_type, capture.body)
    assert status == 200
    assert isinstance(mm7codec.decode(body, content_type), mm7codec.DeliverRsp)
    status, _, body = namespace["handle_post"]("text/xml", b"<garbage/>")
    assert status == 500
    assert isinstance(namespace["submit"], mm7codec.SubmitReq)
    assert os.fspath(tmp_path) == os.getcwd()
