"""Run the benchmarks and print one table: every case x implementation, the median time, the
ratio to the raw limit and to the faster stdlib path, then check the performance targets.

    python -m benchmarks.report            # runs pytest-benchmark, then reports
    python -m benchmarks.report run.json   # reports on an earlier --benchmark-json file

Exit status 1 when a target is missed. Ratios, not times, are what carry over between runs on
a shared machine; the table states the machine it ran on.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import tracemalloc
from collections import defaultdict
from pathlib import Path

import mm7codec

from .corpus import case

DECODE = "mm7codec.decode"
STREAM = "mm7codec.Decoder 64K"
RAW = "raw limit (expat+find+binascii)"
STDLIB = ("stdlib email(default)+ET", "stdlib email(compat32)+ET")
ENCODE = "mm7codec.encode"
RAW_ENCODE = "raw encode (binascii+join)"
TREE_FLOOR = "floor: ElementTree over the envelope"
WRAP_FLOOR = "floor: 76-column base64+join"
JOIN_FLOOR = "floor: envelope by plain join"
HOT_PATH = "decode+reply()+encode"
CASES = ("delivery-report", "submit-rsp", "deliver-30k", "deliver-1m", "submit-20m")
SMALL = ("delivery-report", "submit-rsp")
CHUNK = 64 * 1024


def _run_benchmarks() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "run.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                str(Path(__file__).parent),
                "-q",
                "-p",
                "no:cacheprovider",
                f"--benchmark-json={output}",
                # The same for every implementation: a collection inside pytest's large heap
                # is noise that depends on the test runner, not on the code measured.
                "--benchmark-disable-gc",
                # Every implementation is warmed up before it is timed, so the first case run
                # does not pay for cold caches alone.
                "--benchmark-warmup=on",
            ],
            check=True,
        )
        loaded: dict[str, object] = json.loads(output.read_text())
        return loaded


def _medians(run: dict[str, object]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for entry in run["benchmarks"]:  # type: ignore[attr-defined]
        table[entry["group"]][entry["extra_info"]["impl"]] = entry["stats"]["median"]
    return table


def _format_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:8.2f} {unit}"
    return f"{seconds / 1e-9:8.0f} ns"


def _streaming_peak() -> int:
    """Peak traced memory while feeding the 20 MB case in 64 KiB chunks (spooled)."""
    big = case("submit-20m")
    with tempfile.TemporaryDirectory() as spool:
        tracemalloc.start()
        try:
            decoder = mm7codec.Decoder(big.content_type, spool_dir=spool)
            for start in range(0, len(big.body), CHUNK):
                decoder.feed(big.body[start : start + CHUNK])
            decoder.close()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return peak


def main(argv: list[str]) -> int:
    run = json.loads(Path(argv[0]).read_text()) if argv else _run_benchmarks()
    medians = _medians(run)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    print(f"\n{'case':<16} {'implementation':<34} {'median':>11} {'x raw':>7} {'x stdlib':>9}")
    for name in (*CASES, "receiver"):
        row = medians[name]
        raw = row[RAW]
        # The receiver's hot path has no stdlib counterpart: its column stays empty.
        stdlib = min((row[impl] for impl in STDLIB if impl in row), default=None)
        for impl, median in sorted(row.items(), key=lambda item: item[1]):
            versus = "" if stdlib is None else f" {median / stdlib:9.2f}"
            print(f"{name:<16} {impl:<34} {_format_time(median)} {median / raw:7.2f}{versus}")
        print()

    misses: list[str] = []

    def target(ok: bool, text: str) -> None:
        print(f"  [{'ok' if ok else 'MISS'}] {text}")
        if not ok:
            misses.append(text)

    print("targets:")
    for name in SMALL:
        row = medians[name]
        decode_ratio = row[DECODE] / row[RAW]
        target(decode_ratio <= 4.0, f"{name}: decode {decode_ratio:.2f}x raw limit (<= 4)")
        print(f"  [{'ok' if decode_ratio <= 3.3 else 'info'}] {name}: stretch <= 3.3x raw limit")
        tree_ratio = row[DECODE] / row[TREE_FLOOR]
        target(tree_ratio <= 2.5, f"{name}: decode {tree_ratio:.2f}x ElementTree alone (<= 2.5)")
        join_ratio = row[ENCODE] / row[JOIN_FLOOR]
        print(f"  [info] {name}: encode {join_ratio:.1f}x the envelope by plain join")
    mid = medians["deliver-30k"]
    ratio = mid[DECODE] / mid[RAW]
    target(ratio <= 1.5, f"deliver-30k: decode {ratio:.2f}x raw limit (<= 1.5)")
    speedup = min(mid[impl] for impl in STDLIB) / mid[DECODE]
    target(speedup >= 5, f"deliver-30k: decode {speedup:.1f}x faster than stdlib (>= 5)")
    ratio = mid[ENCODE] / mid[WRAP_FLOOR]
    target(ratio <= 1.5, f"deliver-30k: encode {ratio:.2f}x 76-column base64 (<= 1.5)")
    receiver = medians["receiver"]
    ratio = receiver[HOT_PATH] / receiver[RAW]
    target(ratio <= 1.6, f"receiver: decode+reply()+encode {ratio:.2f}x raw decode (<= 1.6)")
    for name in ("deliver-1m", "submit-20m"):
        ratio = medians[name][DECODE] / medians[name][RAW]
        target(ratio <= 1.1, f"{name}: decode {ratio:.2f}x raw limit (<= 1.1)")
    big = medians["submit-20m"]
    stream_ratio = big[STREAM] / big[DECODE]
    target(stream_ratio <= 1.2, f"submit-20m: 64K streaming {stream_ratio:.2f}x one-shot (<= 1.2)")
    peak = _streaming_peak()
    target(
        peak < 4 * 1024 * 1024,
        f"submit-20m: streaming peak traced memory {peak / 2**20:.2f} MiB (< 4 MiB)",
    )
    print("floors (what pure Python cannot skip, as the same ratios):")
    for name in CASES:
        row = medians[name]
        text = f"  [info] {name}: ElementTree alone {row[TREE_FLOOR] / row[RAW]:.2f}x raw limit"
        if WRAP_FLOOR in row:
            text += f"; 76-column base64 alone {row[WRAP_FLOOR] / row[RAW_ENCODE]:.2f}x raw encode"
        print(text)
    print(f"\n{len(misses)} target(s) missed" if misses else "\nall targets met")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
