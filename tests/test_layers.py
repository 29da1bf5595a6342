"""The layers point down only: no core module imports the edge, the peers, the test peers, the
strategies or the command line, not even lazily inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mm7codec"
ABOVE_THE_CORE = {"wsgi", "asgi", "client", "testing", "peers", "strategies", "cli"}
CORE = sorted(
    path
    for path in [*PACKAGE.glob("_*.py"), *PACKAGE.glob("_mime/*.py")]
    if path.name != "__main__.py"  # the command line itself
)


def _imported_top_names(source: str, depth_of_package: int = 0) -> set[str]:
    """The first name below ``mm7codec`` of everything a module imports (``depth_of_package``:
    how many subpackages down the module sits)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: climb to the package, then read the module path
                if node.level - 1 != depth_of_package:
                    continue  # relative to a subpackage of the core
                parts = (node.module or "").split(".") if node.module else []
                names.update([parts[0]] if parts else [alias.name for alias in node.names])
            elif node.module and node.module.startswith("mm7codec."):
                names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mm7codec."):
                    names.add(alias.name.split(".")[1])
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_core_modules_import_nothing_above_the_core(path: Path) -> None:
    depth = len(path.relative_to(PACKAGE).parts) - 1
    assert not _imported_top_names(path.read_text(encoding="utf-8"), depth) & ABOVE_THE_CORE


def test_the_check_sees_lazy_and_absolute_imports() -> None:
    source = "def f():\n    from . import client\n    from .peers import x\nimport mm7codec.cli\n"
    assert _imported_top_names(source) == {"client", "peers", "cli"}
    assert _imported_top_names("from .. import testing", depth_of_package=1) == {"testing"}
