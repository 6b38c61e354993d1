"""Benchmark: 10,000 simulated clients x 26 weeks of the channel-plan model (target < 1 s).

Run with ``.venv/bin/python tests/benchmarks/bench_channel_model.py`` (not collected by pytest).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from alliance_kit.channel_model.parameters import spec
from alliance_kit.channel_model.plans import PRESETS
from alliance_kit.channel_model.simulation import Profile, simulate

if not __package__:  # run as a script (see above): the repository makes ``tests`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import summary

RUNS, WEEKS, TARGET_S = 10_000, 26, 1.0


def main(argv: list[str] | None = None) -> int:
    spec()  # parse the parameter file once, as a page does at start-up
    profile = Profile(risk="high", complex_needs="substance-use", childcare=True)
    plan = PRESETS["Face-to-face for 6 weeks, then alternate video and phone"]
    timings = []
    for seed in range(7):
        start = time.perf_counter()
        result = simulate(profile, plan, runs=RUNS, seed=seed)
        timings.append(time.perf_counter() - start)
    assert len(result.weeks) == WEEKS
    best, median = min(timings), statistics.median(timings)
    verdict = "ok" if median < TARGET_S else "TOO SLOW"
    print(
        f"channel model: {RUNS:,} runs x {WEEKS} weeks: median {median * 1000:.0f} ms, "
        f"best {best * 1000:.0f} ms (target < {TARGET_S:.0f} s) {verdict}"
    )
    summary.record(f"{RUNS:,} clients x {WEEKS} weeks", median, "s", target_max=TARGET_S)
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
