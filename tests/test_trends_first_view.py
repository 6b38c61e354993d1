"""The trends page's first view with five years of sessions reads and frames one client's
sessions, not the whole journal: what it does must not grow with the journal.

A real SQLite journal of 1,500 sessions; the page is built as a user opens it. The sessions
the store turns into entries and the rows the analysis frames are counted.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from alliance_kit.journal import analysis, open_journal
from alliance_kit.journal.exchange import import_rows
from alliance_kit.journal.store import Journal
from alliance_kit.questionnaire import load

SESSIONS = 1500


@pytest.fixture(scope="module")
def five_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("five-years") / "journal.sqlite"
    rng = random.Random(3)
    items = [i.id for i in load().items]
    today = dt.date.today()
    rows = []
    for k in range(SESSIONS):
        rec = {
            "id": f"five-{k:06d}",
            "session_date": (
                today - dt.timedelta(days=(SESSIONS - k) * 365 * 5 // SESSIONS)
            ).isoformat(),
            "channel": rng.choice(["face-to-face", "phone", "video", "messaging"]),
            "phase": rng.choice(["intake", "early", "established", "closing"]),
            "client_code": f"C-{rng.randint(1, 60):03d}",
            "answers": {i: rng.randint(1, 5) for i in items},
        }
        rows.append((f"row {k}", rec))
    with open_journal(path) as j:
        j.set_retention_months(120)
        assert import_rows(j, rows).imported == SESSIONS
    return path


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """How many sessions the store read, and the size of each frame the analysis built."""
    seen: dict[str, list[int]] = {"read": [0], "framed": []}
    read_one, frame = Journal._session, analysis.frame

    def reading(row: tuple):
        seen["read"][0] += 1
        return read_one(row)

    def framing(sessions, qn=None):
        sessions = list(sessions)
        seen["framed"].append(len(sessions))
        return frame(sessions, qn)

    monkeypatch.setattr(Journal, "_session", staticmethod(reading))
    monkeypatch.setattr(analysis, "frame", framing)
    return seen


def test_first_view_reads_and_frames_only_the_latest_clients_sessions(
    five_years, counted, monkeypatch
):
    from alliance_kit.pages.my_trends import Trends, trends_page

    # Draw the chart at once, as without a running event loop (another test's browser may
    # leave one running in this process); what is read happens before either way.
    monkeypatch.setattr(trends_page, "after_page_shown", lambda draw, prepare, into: draw(prepare))
    with open_journal(five_years) as j:
        every = j.sessions()
    latest = every[-1].client_code
    theirs = sum(s.client_code == latest for s in every)
    counted["read"][0] = 0

    page = Trends(five_years)
    try:
        # the page opens on the trend of the client seen last, with all their sessions
        assert page.code.value == latest
        assert len(page.code.options) == len({s.client_code for s in every})
        heading = page.area.children[0].children[0].value
        assert f"{latest}: {theirs} session(s)" in heading
        # ... and reads and frames those sessions, and the latest one, nothing more
        assert counted["read"][0] <= theirs + 1 < SESSIONS // 10
        assert counted["framed"] == [theirs]

        # another client: that client's sessions only
        other = next(c for c in page.code.options if c != latest)
        counted["read"][0] = 0
        page.code.value = other
        assert counted["read"][0] == sum(s.client_code == other for s in every)

        # the overview still covers every session, read once when it is opened
        counted["read"][0] = 0
        page.view.value = "overview"
        assert counted["read"][0] == SESSIONS
        tables = next(
            w for w in page.area.children[0].children if "ak-overview-tables" in w._dom_classes
        )
        assert f"<td>{sum(s.channel == 'phone' for s in every)}</td>" in tables.value
        counted["read"][0] = 0
        page.view.value = "trend"
        page.view.value = "overview"
        assert counted["read"][0] == 0  # kept until the journal is read again

        # the printable summary covers every session from what the overview read and framed
        framed = len(counted["framed"])
        page.summary_button.click()
        assert f"from {SESSIONS} session(s)" in page.summary.value
        assert counted["read"][0] == 0 and len(counted["framed"]) == framed

        # a session written meanwhile shows after Refresh: what was read is not kept past it
        with open_journal(five_years) as j:
            j.add_session(
                {
                    "session_date": dt.date.today().isoformat(),
                    "channel": "phone",
                    "phase": "closing",
                    "client_code": latest,
                    "answers": {i.id: 3 for i in load().items},
                }
            )
        page.view.value = "trend"
        page.code.value = latest
        page.refresh.click()
        heading = page.area.children[0].children[0].value
        assert f"{latest}: {theirs + 1} session(s)" in heading
        page.view.value = "overview"
        page.summary_button.click()
        assert f"from {SESSIONS + 1} session(s)" in page.summary.value
    finally:
        page.journal.close()
