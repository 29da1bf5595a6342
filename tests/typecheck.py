"""Run ``mypy --strict`` on a snippet of user code, once, and say where it found errors."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest


def _mypy_errors(tmp_path: Path, source: str) -> dict[int, str]:
    """The error lines mypy reports for ``source``: line number -> its messages."""
    api = pytest.importorskip("mypy.api", reason="mypy (the dev extra) checks the types")
    module = tmp_path / "typed_snippet.py"
    module.write_text(source, encoding="utf-8")
    report, errors, _ = api.run(
        ["--strict", "--no-incremental", "--cache-dir", os.devnull, str(module)]
    )
    found: dict[int, str] = {}
    for line, message in re.findall(r"typed_snippet\.py:(\d+): error: (.*)", report + errors):
        found[int(line)] = found.get(int(line), "") + message
    assert found or "Success" in report, report + errors  # mypy itself ran
    return found


def _with_mistakes(correct: str, mistakes: dict[str, str]) -> tuple[str, dict[str, range]]:
    """``correct`` followed by each mistake in a function of its own, and the lines of each,
    so one mypy run checks that the correct code passes and every mistake is caught."""
    source = correct
    where: dict[str, range] = {}
    for index, (name, code) in enumerate(mistakes.items()):
        first = source.count("\n") + 2  # the line after the def
        source += f"def mistake_{index}() -> None:\n{textwrap.indent(code, '    ')}\n"
        where[name] = range(first, source.count("\n") + 1)
    return source, where


def assert_mypy_catches(
    tmp_path: Path, correct: str, mistakes: dict[str, str], saying: str = ""
) -> None:
    """One mypy run: ``correct`` passes, and each mistake is an error (whose message has
    ``saying`` in it)."""
    source, where = _with_mistakes(correct, mistakes)
    errors = _mypy_errors(tmp_path, source)
    assert [line for line in errors if line <= correct.count("\n")] == [], errors
    for mistake, lines in where.items():
        caught = [errors[line] for line in lines if line in errors]
        assert any(saying in message for message in caught), (mistake, errors)
