"""The trends overview for 5 years of sessions against 10 sessions, same run.

Journals are real SQLite files in a temporary folder: one with about 1,500 sessions (6 a
working day for 5 years would be far more; 1,500 is a busy officer's 5 years of scored
sessions), one with 10. Each timed run reads every session from the journal, computes the
overview (scores, averages by channel and phase, latest against average) and builds its
plotly FigureWidgets, exactly as the page does. Runs alternate; the figure is the median.
Target: the large journal takes at most 1.5x the time of the small one.

    .venv/bin/python -m tests.benchmarks journal [--runs N] [--sessions N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench-results"
TARGET = 1.5


def fill(path: Path, n: int, seed: int = 7) -> None:
    from alliance_kit.journal import open_journal
    from alliance_kit.journal.exchange import import_rows
    from alliance_kit.questionnaire import load

    rng = random.Random(seed)
    items = [i.id for i in load().items]
    today = dt.date.today()
    span = 5 * 365
    rows = []
    for k in range(n):
        day = today - dt.timedelta(days=int(span * (n - k) / max(n, 1)))
        rec = {
            "id": f"bench-{k:06d}",
            "session_date": day.isoformat(),
            "channel": rng.choice(["face-to-face", "phone", "video", "messaging", "mixed"]),
            "phase": rng.choice(["intake", "early", "established", "closing"]),
            "client_code": f"C-{rng.randint(1, 60):03d}",
            "answers": {i: rng.randint(1, 5) for i in items},
            "note": "",
        }
        if k % 4 == 0:
            rec["client_answers"] = {i: rng.randint(1, 5) for i in items}
            rec["client_source"] = "paper"
        rows.append((f"row {k}", rec))
    with open_journal(path) as j:
        j.set_retention_months(120)
        report = import_rows(j, rows)
        assert report.imported == n, report.lines()


def once(path: Path) -> float:
    from alliance_kit.journal import open_journal
    from alliance_kit.pages.my_trends import build_overview

    start = time.perf_counter()
    with open_journal(path) as j:
        sessions = j.sessions()
    ov, figs = build_overview(sessions)
    elapsed = time.perf_counter() - start
    assert ov.n_sessions == len(sessions) and len(figs) == 2
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench journal")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sessions", type=int, default=1500)
    args = parser.parse_args(argv or [])
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.sqlite", Path(tmp) / "small.sqlite"
        fill(big, args.sessions)
        fill(small, 10)
        once(big), once(small)  # warm up: imports, caches
        times: dict[str, list[float]] = {"big": [], "small": []}
        for _ in range(args.runs):
            times["big"].append(once(big))
            times["small"].append(once(small))
    med_big, med_small = statistics.median(times["big"]), statistics.median(times["small"])
    ratio = med_big / med_small
    ok = ratio <= TARGET
    lines = [
        "journal overview (read + compute + FigureWidgets), median of "
        f"{args.runs} alternating runs",
        f"  {args.sessions:>5} sessions: {med_big * 1000:8.1f} ms",
        f"  {10:>5} sessions: {med_small * 1000:8.1f} ms",
        f"  ratio {ratio:.2f}x (target at most {TARGET}x): {'ok' if ok else 'TOO SLOW'}",
    ]
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "journal.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
