"""Looking back over the journal: scores per session, trends per client code, overviews.

pandas is imported here and nowhere on the form's start-up path; the trends page imports this
module when it draws. Scores are computed once per session with the questionnaire's rules, so
the overview, the trend and the printed summary can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..alliance import BY_ID, CHARACTERISTIC_IDS, PHASES, SESSION_CHANNELS
from ..i18n import _
from ..questionnaire import Questionnaire, load
from ..reliable_change import DEFAULT_RULE, WORSENED, ReliableChangeRule
from .models import Session

OFFICER = "officer:"
CLIENT = "client:"


def frame(sessions: Iterable[Session], qn: Questionnaire | None = None) -> pd.DataFrame:
    """One row per session: its facts plus the officer's and the client's score per
    characteristic (NaN where there is no score)."""
    qn = qn or load()
    sessions = list(sessions)
    officer = qn.score_many([s.answers for s in sessions])
    client = qn.score_many([s.client_answers for s in sessions])
    data: dict[str, object] = {
        "id": [s.id for s in sessions],
        "date": [s.session_date for s in sessions],
        "channel": [s.channel for s in sessions],
        "phase": [s.phase for s in sessions],
        "client_code": [s.client_code for s in sessions],
        "created_at": [s.created_at for s in sessions],
    }
    for cid in CHARACTERISTIC_IDS:
        data[OFFICER + cid] = officer[cid]
    for cid in CHARACTERISTIC_IDS:
        data[CLIENT + cid] = client[cid]
    score_columns = list(data)[6:]
    data["questionnaire_version"] = [s.questionnaire_version for s in sessions]
    data["parts"] = [s.parts for s in sessions]
    df = pd.DataFrame(data, columns=list(data))
    df["date"] = pd.to_datetime(df["date"])
    for col in score_columns:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df.sort_values(["date", "created_at", "id"], kind="stable").reset_index(drop=True)


@dataclass
class Overview:
    n_sessions: int
    n_codes: int
    #: mean officer score per characteristic (columns) by channel / phase (index), with counts
    by_channel: pd.DataFrame
    by_phase: pd.DataFrame
    counts_channel: pd.Series
    counts_phase: pd.Series
    average: pd.Series
    latest: pd.Series
    latest_label: str
    #: the latest session's client code, date and channel id, for a label in any language
    latest_session: tuple[str, Any, str] | None = None


def overview(df: pd.DataFrame) -> Overview:
    """Averages across all the officer's sessions: by channel, by phase, overall, latest."""
    officer_cols = [OFFICER + c for c in CHARACTERISTIC_IDS]
    scores = df[officer_cols].rename(columns=lambda c: c[len(OFFICER) :])

    def grouped(key: str, order: Iterable[str]) -> tuple[pd.DataFrame, pd.Series]:
        g = scores.groupby(df[key], observed=True)
        present = set(df[key].unique())
        means = g.mean().reindex([k for k in order if k in present])
        counts = df[key].value_counts().reindex(means.index).fillna(0).astype(int)
        return means, counts

    by_channel, counts_channel = grouped("channel", SESSION_CHANNELS)
    by_phase, counts_phase = grouped("phase", PHASES)
    if len(df):
        last = df.iloc[-1]
        latest = scores.iloc[-1]
        label = f"{last['client_code']}, {last['date']:%Y-%m-%d} ({last['channel']})"
        session = (last["client_code"], last["date"], last["channel"])
    else:
        latest = pd.Series(dtype=float, index=list(CHARACTERISTIC_IDS))
        label = ""
        session = None
    return Overview(
        n_sessions=len(df),
        n_codes=int(df["client_code"].nunique()),
        by_channel=by_channel,
        by_phase=by_phase,
        counts_channel=counts_channel,
        counts_phase=counts_phase,
        average=scores.mean(),
        latest=latest,
        latest_label=label,
        latest_session=session,
    )


@dataclass(frozen=True)
class Flag:
    """Something worth reflecting on: a reliable drop, or a strong officer-client gap."""

    characteristic: str
    kind: str  # "drop" (a reliable change for the worse, whichever way that is) or "gap"
    detail: str
    before: float | None = None
    after: float | None = None

    @property
    def short(self) -> str:
        """A few words for a table cell, e.g. "Reactance rose, worse" or "Trust: gap"."""
        char = BY_ID[self.characteristic]
        if self.kind == "drop" and self.before is not None and self.after is not None:
            return f"{_(char.name)} {char.change_words(self.before, self.after)}"
        return _("{name}: officer-client gap").format(name=_(char.name))


@dataclass
class ClientView:
    code: str
    rows: pd.DataFrame
    baseline: dict[str, float | None]
    flags: list[Flag] = field(default_factory=list)
    #: the latest session with a client rating: officer, client and gap per characteristic
    gaps: pd.DataFrame | None = None


# The sentences below are worded when a page draws a client's view, so in its language.


def _number(value: float) -> str:
    from ..i18n import number

    return number(value, "0.0")


def _fmt(cid: str, value: float) -> str:
    char = BY_ID[cid]
    return _number(value) + ("" if char.higher_is_better else f" ({_(char.direction_label)})")


def _change(cid: str, before: float, after: float, previous: bool) -> str:
    char = BY_ID[cid]
    since = (
        _(
            "{name} {change}: from {before} at the previous session to {after}, more than a "
            "reliable change."
        )
        if previous
        else _(
            "{name} {change}: from {before} at the first session to {after}, more than a "
            "reliable change."
        )
    )
    sentence = since.format(
        name=_(char.name),
        change=char.change_words(before, after),
        before=_number(before),
        after=_number(after),
    )
    direction = _(char.direction_label)
    return sentence + (
        "" if char.higher_is_better else f" ({direction[:1].upper()}{direction[1:]}.)"
    )


def client_view(df: pd.DataFrame, code: str, rule: ReliableChangeRule = DEFAULT_RULE) -> ClientView:
    """The trend for one client code, with what the reliable-change rule flags."""
    rows = df[df["client_code"] == code].reset_index(drop=True)
    baseline: dict[str, float | None] = {}
    flags: list[Flag] = []
    for cid in CHARACTERISTIC_IDS:
        series = rows[OFFICER + cid].dropna()
        baseline[cid] = float(series.iloc[0]) if len(series) else None
        if len(series) < 2:
            continue
        better = BY_ID[cid].higher_is_better
        last, prev, first = float(series.iloc[-1]), float(series.iloc[-2]), float(series.iloc[0])
        if rule.classify(prev, last, higher_is_better=better) == WORSENED:
            detail = _change(cid, prev, last, previous=True)
            flags.append(Flag(cid, "drop", detail, prev, last))
        elif rule.classify(first, last, higher_is_better=better) == WORSENED:
            detail = _change(cid, first, last, previous=False)
            flags.append(Flag(cid, "drop", detail, first, last))
    rated = rows.dropna(subset=[CLIENT + c for c in CHARACTERISTIC_IDS], how="all")
    gaps = None
    if len(rated):
        last = rated.iloc[-1]
        records = []
        for cid in CHARACTERISTIC_IDS:
            o, c = last[OFFICER + cid], last[CLIENT + cid]
            gap = None if pd.isna(o) or pd.isna(c) else float(c - o)
            records.append({"characteristic": cid, "officer": o, "client": c, "gap": gap})
            if gap is not None and rule.strong_gap(float(o), float(c)):
                flags.append(
                    Flag(
                        cid,
                        "gap",
                        _("On {date} you scored {name} {officer} and the client {client}.").format(
                            date=f"{last['date']:%Y-%m-%d}",
                            name=_(BY_ID[cid].name),
                            officer=_fmt(cid, float(o)),
                            client=_fmt(cid, float(c)),
                        ),
                    )
                )
        gaps = pd.DataFrame.from_records(records).set_index("characteristic")
        gaps.attrs["date"] = f"{last['date']:%Y-%m-%d}"
    return ClientView(code, rows, baseline, flags, gaps)


#: A mean of the sessions with (or without) a part is shown only when each group has at least
#: this many sessions: with fewer, one unusual session can move a mean on the 1-5 scale by half
#: a point or more (the range of 4 divided by the group size), more than most real differences.
MIN_GROUP = 8


@dataclass
class Structure:
    """How often each part of a structured session happened, and the alliance beside it."""

    #: sessions with the parts recorded (those without the check are left out of everything)
    recorded: int
    #: per channel (index): "sessions" recorded, then the count of each part id (columns)
    frequency: pd.DataFrame
    #: per part id (index): "with" and "without" counts, then for each characteristic the
    #: mean officer score with and without the part ("<cid>:with", "<cid>:without"); NaN
    #: where either group has fewer than MIN_GROUP scored sessions
    comparison: pd.DataFrame


def structure(df: pd.DataFrame, part_ids: Iterable[str]) -> Structure:
    """Which parts the recorded sessions had, per channel, and the mean officer score of the
    sessions with and without each part. This shows what went together, not what caused it."""
    part_ids = list(part_ids)
    rec = df[df["parts"].notna()]
    has = pd.DataFrame(
        {p: [p in parts for parts in rec["parts"]] for p in part_ids}, index=rec.index, dtype=bool
    )
    present = set(rec["channel"])
    channels = [c for c in SESSION_CHANNELS if c in present]
    frequency = has.groupby(rec["channel"]).sum().reindex(channels).fillna(0).astype(int)
    frequency.insert(0, "sessions", rec["channel"].value_counts().reindex(channels).astype(int))
    records = []
    for p in part_ids:
        row: dict[str, object] = {"with": int(has[p].sum()), "without": int((~has[p]).sum())}
        for cid in CHARACTERISTIC_IDS:
            scores = rec[OFFICER + cid]
            with_, without = scores[has[p]].dropna(), scores[~has[p]].dropna()
            enough = len(with_) >= MIN_GROUP and len(without) >= MIN_GROUP
            row[f"{cid}:with"] = float(with_.mean()) if enough else float("nan")
            row[f"{cid}:without"] = float(without.mean()) if enough else float("nan")
        records.append(row)
    comparison = pd.DataFrame.from_records(records, index=part_ids)
    return Structure(len(rec), frequency, comparison)
