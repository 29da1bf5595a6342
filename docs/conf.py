"""Sphinx settings for the API reference: built from the docstrings alone, nitpicky, with
warnings as errors, so a broken cross-reference or a type the reader cannot look up fails
the build (``python -m sphinx -W -n -b html docs docs/_build/html``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

project = "mm7codec"
extensions = ["sphinx.ext.autodoc"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
html_theme = "alabaster"
exclude_patterns = ["_build"]
# No network here: names from the standard library and third-party packages cannot be
# linked, so they alone are exempt from the nitpicky check; every project name must resolve.
nitpick_ignore_regex = [
    (r"py:.*", r"(typing|collections\.abc|datetime|decimal|enum|os|io|pathlib|ssl|types)\..*"),
    (r"py:.*", r"(hypothesis|pytest|_pytest)\..*"),
    # Type variables of generic signatures have no page of their own.
    (r"py:.*", r"mm7codec\.[\w.]*\._?(M\d?|T|MessageT)"),
    # Sphinx splits the string annotation of a ``#:``-documented attribute at its commas
    # (``'tuple[str, str] | None'``) and looks the pieces up; the types themselves resolve.
    (r"py:class", r"""['"].*"""),
    # Type aliases are documented as data of ``mm7codec``; annotations name them as classes.
    (r"py:class", r"(mm7codec\.)?(AsyncHandler|Auth|Expected|Handler|HandlerResult|Side)"),
]
