"""The one kind of timing the test suite allows: a same-process ratio with a wide margin.

Operation counts miss work done inside single C calls (a backtracking regex, ``bytes.replace``
over a growing buffer, a quadratic codec), so each parser entry point is also timed on an
adversarial input of size n and of size 8n, back to back in one process. Linear code takes
about 8 times as long; quadratic code about 64 times. A ratio under 24 (best of three of each
size, so a scheduler hiccup on a shared machine does not decide the outcome) passes only for
code that is linear, or close to it, over the range measured. No absolute time is ever checked.
The clock is the process's CPU time: on a loaded machine, a longer run is preempted more often,
and wall-clock time would count the waits (ratios of 20-30 for linear code at a load of 4 per
core).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["FACTOR", "MAX_RATIO", "assert_linear", "growth_ratio"]

T = TypeVar("T")

#: How much larger the second input is than the first.
FACTOR = 8
#: The largest time ratio accepted for FACTOR times the input (linear: ~8; quadratic: ~64).
MAX_RATIO = 24.0


def _best_time(run: Callable[[T], object], data: T, repeats: int) -> float:
    # The process's CPU time, not the wall clock: on a busy machine a run shorter than a
    # scheduler time slice may finish unhindered while a longer one waits its turn several
    # times, which alone can make linear code look quadratic.
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        run(data)
        best = min(best, time.process_time() - started)
    return best


def growth_ratio(
    build: Callable[[int], T], run: Callable[[T], object], n: int, *, repeats: int = 3
) -> float:
    """Time ``run`` on ``build(n)`` and on ``build(FACTOR * n)`` (best of ``repeats`` each,
    garbage collector paused) and return the ratio of the two times."""
    small, large = build(n), build(FACTOR * n)
    enabled = gc.isenabled()
    gc.disable()
    try:
        run(small)  # warm caches and lazily built tables before timing anything
        small_time = _best_time(run, small, repeats)
        large_time = _best_time(run, large, repeats)
    finally:
        if enabled:
            gc.enable()
    return large_time / max(small_time, 1e-6)


def assert_linear(
    build: Callable[[int], T], run: Callable[[T], object], n: int, *, what: str = ""
) -> None:
    """Fail when ``run`` grows faster than linearly in ``build``'s size parameter.

    Pick ``n`` so that ``run(build(n))`` takes at least a millisecond or so: below that, fixed
    costs dominate and the ratio says little. ``run`` may raise (an adversarial input is often
    refused); only its time counts, so wrap it to swallow the expected ``MM7Error``.
    """
    ratio = growth_ratio(build, run, n)
    assert ratio < MAX_RATIO, (
        f"{what or run!r}: {FACTOR}x the input took {ratio:.1f}x the time "
        f"(linear code stays under {MAX_RATIO:g})"
    )
