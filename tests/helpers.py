"""Small helpers the tests share."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import mm7codec


def resolve(value: Any, path: str) -> Any:
    """Follow a dotted path of attributes, mapping keys and sequence indexes."""
    for step in path.split("."):
        if step.isdigit():
            value = value[int(step)]
        elif isinstance(value, dict) or (hasattr(value, "keys") and not hasattr(value, step)):
            value = value[step]
        else:
            value = getattr(value, step)
    return value


def same(actual: Any, expected: Any) -> bool:
    """Equality for expectations written in TOML: bytes and odd types compare as text."""
    if isinstance(actual, bytes) and isinstance(expected, str):
        return actual == expected.encode("utf-8")
    if isinstance(expected, (bool, int)) and not isinstance(actual, str):
        return actual == expected
    return str(actual) == str(expected)


def decode_any(data: bytes, content_type: str, **options: Any) -> mm7codec.Message:
    """Decode a body, or a whole HTTP capture when the content type is ``http``."""
    if content_type == "http":
        return mm7codec.decode_http(data, **options)
    return mm7codec.decode(data, content_type, **options)


@contextmanager
def memory_kept_without_gc() -> Iterator[list[int]]:
    """Trace allocations with the cycle collector paused; afterwards the list holds the bytes
    still allocated at the end of the block, so a test can see what outlived its work (objects
    that only a GC pass would have freed count as kept)."""
    kept: list[int] = []
    enabled = gc.isenabled()
    gc.disable()
    tracemalloc.start()
    try:
        yield kept
        kept.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
        if enabled:
            gc.enable()
