"""No private type in a public signature, and every public path argument takes ``os.PathLike``.

A type a user meets in a signature (a parameter, a return value, a dataclass field, a property)
must be importable under a public name, or the user cannot annotate their own code with it and
the API reference cannot link to it. The walk covers every name in ``__all__`` of every public
module; attributes and parameters whose own names start with ``_`` are private by convention
and skipped.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import os
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PUBLIC_MODULES = (
    "mm7codec",
    "mm7codec.asgi",
    "mm7codec.client",
    "mm7codec.peers",
    "mm7codec.pytest_plugin",
    "mm7codec.strategies",
    "mm7codec.testing",
    "mm7codec.wsgi",
)


def _public_objects() -> dict[str, object]:
    found: dict[str, object] = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            found[f"{module_name}.{name}"] = getattr(module, name)
    return found


PUBLIC = _public_objects()
PUBLIC_IDS = {id(value) for value in PUBLIC.values()}
# Names a module imports only under TYPE_CHECKING resolve against the public names.
NAMESPACE = {dotted.rsplit(".", 1)[1]: value for dotted, value in PUBLIC.items()}


def _leaf_types(hint: object) -> Iterator[type]:
    """Every class a hint mentions (``Literal`` values are not types)."""
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return
    if isinstance(origin, type) and origin is not types.UnionType:
        yield origin
    for argument in typing.get_args(hint):
        yield from _leaf_types(argument)
    if origin is None and isinstance(hint, type):
        yield hint


def _hints(target: Callable[..., Any] | type) -> dict[str, object]:
    module = inspect.getmodule(target)
    globalns = {**NAMESPACE, **(vars(module) if module else {})}
    return typing.get_type_hints(target, globalns=globalns)


def _with_overloads(where: str, function: Callable[..., Any]) -> Iterator[tuple[str, Any]]:
    """The function's own hints, and each of its ``@overload`` signatures'."""
    yield where, _hints(function)
    for variant in typing.get_overloads(function):
        yield f"{where} (overload)", _hints(variant)


def _signatures() -> Iterator[tuple[str, dict[str, object]]]:
    """(where, hints) for every public callable (overloads included), class, method and
    property."""
    for where, value in PUBLIC.items():
        if isinstance(value, type):
            if dataclasses.is_dataclass(value):
                yield where, _hints(value)
            for name, member in vars(value).items():
                if name.startswith("_") and name != "__init__":
                    continue
                if isinstance(member, property) and member.fget is not None:
                    yield f"{where}.{name}", _hints(member.fget)
                elif isinstance(member, classmethod | staticmethod):
                    yield from _with_overloads(f"{where}.{name}", member.__func__)
                elif inspect.isfunction(member):
                    yield from _with_overloads(f"{where}.{name}", member)
        elif inspect.isfunction(value):
            yield from _with_overloads(where, value)


def test_no_private_type_in_a_public_signature() -> None:
    leaks = []
    checked = 0
    for where, hints in _signatures():
        for name, hint in hints.items():
            if name.startswith("_"):
                continue
            checked += 1
            for leaf in _leaf_types(hint):
                home = getattr(leaf, "__module__", "")
                if home.split(".")[0] == "mm7codec" and id(leaf) not in PUBLIC_IDS:
                    leaks.append(f"{where} {name}: {home}.{leaf.__qualname__}")
    assert checked > 300, "the walk found too few annotations to be looking at the API"
    assert not leaks, "private types in public signatures:\n" + "\n".join(leaks)


def test_the_walk_sees_a_private_type() -> None:
    """The check above would notice a leak: a private class in a hint is found."""

    class _Hidden:
        pass

    def sample(value: list[_Hidden] | None) -> None: ...

    hint = typing.get_type_hints(sample, localns={"_Hidden": _Hidden})["value"]
    assert _Hidden in set(_leaf_types(hint))


_PATH_NAMES = ("path", "dir", "folder", "directory")
#: Names that say path but hold text that is no local file.
_NOT_LOCAL_PATHS = {
    # A file inside the Git repository a profile fact cites: data, never opened.
    "mm7codec.peers.Source",
    "mm7codec.peers.Source.__init__",
}


def _path_parameters() -> Iterator[tuple[str, str, object]]:
    """Parameters that take a path: by their type, or by a name that says so."""
    for where, hints in _signatures():
        for name, hint in hints.items():
            leaves = set(_leaf_types(hint))
            by_type = Path in leaves or os.PathLike in leaves
            by_name = name.endswith(_PATH_NAMES) and (str in leaves or bytes in leaves)
            if (by_type or by_name) and name != "return" and where not in _NOT_LOCAL_PATHS:
                yield where, name, hint


def test_every_path_parameter_takes_any_path_like() -> None:
    """Where a public signature takes a path, it takes ``str`` and any ``os.PathLike``."""
    found = list(_path_parameters())
    assert {"spool_dir", "path"} <= {name for _, name, _ in found}
    narrow = [
        f"{where} {name}: {hint}"
        for where, name, hint in found
        if os.PathLike not in set(_leaf_types(hint)) or str not in set(_leaf_types(hint))
    ]
    assert not narrow, "path parameters that refuse str or os.PathLike:\n" + "\n".join(narrow)


@pytest.mark.parametrize("spool", ["as-str", "as-path"])
def test_decode_http_spools_to_a_path_like_folder(tmp_path: Path, spool: str) -> None:
    import mm7codec

    sample = Path(mm7codec.__file__).parent / "samples" / "mo-photo.http"
    folder: str | Path = tmp_path if spool == "as-path" else str(tmp_path)
    # Nothing held in memory: every body goes to the spool folder given.
    limits = mm7codec.Limits(max_memory_held=0)
    message = mm7codec.decode_http(sample.read_bytes(), spool_dir=folder, limits=limits)
    assert message.content is not None
    assert all(leaf.body for leaf in message.content.walk() if not leaf.parts)
