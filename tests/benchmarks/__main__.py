"""Run the kit's benchmarks: ``python -m tests.benchmarks [NAME ...] [-- options]``.

Each benchmark is a module ``bench_<name>.py`` in this folder with a ``main(argv)`` function.
With no name, all of them run in turn; their tables are printed and written to
``bench-results/``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")]
    options = [a for a in argv if a.startswith("-")]
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}")
        return 2
    status = 0
    for name in names or available():
        print(f"\n=== benchmark: {name} ===", flush=True)
        module = importlib.import_module(f"tests.benchmarks.bench_{name}")
        status |= int(module.main(options) or 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
