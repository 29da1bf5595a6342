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
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # our own README, as documentation
    answer = namespace["handle_post"](capture.content_type, capture.body)
    assert answer.status == 200
    assert isinstance(
        mm7codec.decode(answer.body, answer.header("Content-Type")), mm7codec.DeliverRsp
    )
    refusal = namespace["handle_post"]("text/xml", b"<garbage/>")
    assert refusal.status == 500
    assert isinstance(mm7codec.decode(refusal.body, "text/xml"), mm7codec.Fault)
    assert isinstance(namespace["submit"], mm7codec.SubmitReq)
    received = namespace["receive"](capture.content_type, [capture.body[:100], capture.body[100:]])
    assert received == mm7codec.decode(capture.body, capture.content_type)
    assert os.fspath(tmp_path) == os.getcwd()


def test_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """Users copy these: they must type-check as they stand, in order, as one module."""
    mypy = pytest.importorskip("mypy.api", reason="mypy (the dev extra) checks the examples")
    module = tmp_path / "readme_examples.py"
    module.write_text("\n".join(_python_blocks()), encoding="utf-8")
    report, errors, status = mypy.run(
        ["--strict", "--no-incremental", "--cache-dir", os.devnull, str(module)]
    )
    assert status == 0, report + errors
