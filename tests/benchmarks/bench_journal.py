"""The trends page for 5 years of sessions against 10 sessions, same run.

Journals are real SQLite files in a temporary folder: one with about 1,500 sessions (6 a
working day for 5 years would be far more; 1,500 is a busy officer's 5 years of scored
sessions), one with 10. Two things are timed:

- the first view: building the trends page as a user opens it (open the journal, check
  retention, list the client codes, draw the latest client's trend with its chart widget).
  Target: the large journal takes at most 1.2x the time of the small one. The page opens on
  the latest client, who has about 30 sessions in the large journal and 1 in the small one;
  a third journal, the large one with only that client's sessions left, shows how much of
  the difference is that client's own history rather than the journal's size.
- the overview ("All my sessions"): read every session, compute the averages by channel and
  phase and build the plotly FigureWidgets, exactly as the page does. Target: at most 1.5x.

Runs alternate; each figure is the fastest run, the median beside it (see
:func:`ratio_lines`).

    .venv/bin/python -m tests.benchmarks journal [--runs N] [--sessions N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks import summary
from tests.support import REPO

RESULTS = REPO / "bench-results"
TARGET = 1.5
FIRST_VIEW_TARGET = 1.2


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


def first_view(path: Path) -> float:
    from alliance_kit.pages.my_trends import Trends

    start = time.perf_counter()
    page = Trends(path)
    elapsed = time.perf_counter() - start
    try:
        assert page.area.children and "ak-trend" in page.area.children[0]._dom_classes
    finally:
        page.journal.close()
    return elapsed


def only_latest_client(source: Path, target: Path) -> int:
    """A copy of ``source`` holding the sessions of its latest client only; how many."""
    from alliance_kit.journal import open_journal

    shutil.copy(source, target)
    with open_journal(target) as j:
        newest = j.latest_session()
    assert newest is not None
    conn = sqlite3.connect(target)
    try:
        conn.execute("DELETE FROM sessions WHERE client_code != ?", (newest.client_code,))
        conn.commit()
        return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])
    finally:
        conn.close()


def ratio_lines(
    title: str, runs: int, sizes: tuple[int, int], times: dict, target: float
) -> tuple[list[str], bool]:
    """The table for one timed thing, and whether it meets its target.

    Judged on the fastest run of each: the same view took 141 ms in one run and 212 ms as the
    median of seven on a busy shared machine, and the small journal's runs were spared by
    chance. Other work on the machine only ever adds to a run, so the fastest run is the cost
    with the least of it (as with every page's cost per view); the medians are printed beside.
    """
    med_big, med_small = statistics.median(times["big"]), statistics.median(times["small"])
    min_big, min_small = min(times["big"]), min(times["small"])
    ratio = min_big / min_small
    ok = ratio <= target
    return [
        f"{title}, {runs} alternating runs",
        f"  {sizes[0]:>5} sessions: fastest {min_big * 1000:6.1f} ms (median {med_big * 1000:.1f})",
        f"  {sizes[1]:>5} sessions: fastest {min_small * 1000:6.1f} ms "
        f"(median {med_small * 1000:.1f})",
        f"  ratio {ratio:.2f}x (target at most {target}x): {'ok' if ok else 'TOO SLOW'};"
        f" median against median {med_big / med_small:.2f}x",
    ], ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench journal")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sessions", type=int, default=1500)
    args = parser.parse_args(argv or [])
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.sqlite", Path(tmp) / "small.sqlite"
        fill(big, args.sessions)
        fill(small, 10)
        client = Path(tmp) / "client.sqlite"
        kept = only_latest_client(big, client)
        first_view(big), first_view(small), first_view(client), once(big), once(small)  # warm up
        first: dict[str, list[float]] = {"big": [], "small": []}
        same: dict[str, list[float]] = {"big": [], "small": []}
        times: dict[str, list[float]] = {"big": [], "small": []}
        for _ in range(args.runs):
            first["big"].append(first_view(big))
            first["small"].append(first_view(small))
            same["small"].append(first_view(client))
        same["big"] = first["big"]
        for _ in range(args.runs):
            times["big"].append(once(big))
            times["small"].append(once(small))
    sizes = (args.sessions, 10)
    first_lines, first_ok = ratio_lines(
        "trends page, first view (open + trend of the latest client + chart widget)",
        args.runs,
        sizes,
        first,
        FIRST_VIEW_TARGET,
    )
    same_lines, _ = ratio_lines(
        "first view against a journal of the latest client's sessions only (not a target)",
        args.runs,
        (args.sessions, kept),
        same,
        FIRST_VIEW_TARGET,
    )
    overview_lines, overview_ok = ratio_lines(
        "journal overview (read + compute + FigureWidgets)", args.runs, sizes, times, TARGET
    )
    for title, timed, target in (
        ("trends first view", first, FIRST_VIEW_TARGET),
        ("journal overview", times, TARGET),
    ):
        summary.record(
            f"{title}, {args.sessions} vs 10 sessions",
            min(timed["big"]),
            "s",
            reference=min(timed["small"]),
            target_ratio=target,
        )
    lines = first_lines + same_lines + overview_lines
    ok = first_ok and overview_ok
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "journal.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
