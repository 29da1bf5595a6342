"""Write a seed corpus for fuzz_decode.py from the bundled samples, the test vectors and, when
present beside the project, the peer samples (which are never copied into the project)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
SOURCES = [
    PROJECT / "mm7codec" / "samples",
    PROJECT / "tests" / "vectors" / "soap",
    PROJECT / "tests" / "vectors" / "mime",
    PROJECT.parent / "shared" / "mm7" / "samples",
]


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for folder in SOURCES:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in (".toml", ".md", ".json", ".gif", ".txt") and "__" not in path.name:
                continue
            data = path.read_bytes()
            stripped = data.lstrip()
            if stripped.startswith((b"POST", b"HTTP/")):
                modes = (2,)
            elif stripped.startswith(b"<"):
                modes = (0,)
            else:
                modes = (1, 3, 4)
            for mode in modes:
                seed = bytes([mode]) + data
                name = hashlib.sha1(seed).hexdigest()
                (target / name).write_bytes(seed)
                count += 1
    print(f"wrote {count} seeds to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "corpus")
