"""The printable summary for supervision, and files offered for download from the page.

Everything printed or exported carries pseudonymous client codes only, never notes.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from markupsafe import Markup

from ...alliance import CHARACTERISTIC_IDS
from ...fragments import render
from ...reliable_change import DEFAULT_RULE, ReliableChangeRule
from ..common import day
from .labels import channel_name, char_label, char_name, direction, phase_name, score
from .tables import averages_table_html

SUMMARY_CSS = Markup("""
body { font-family: system-ui, Arial, sans-serif; color: #1d2733; font-size: 11pt; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4pt 0; } h2 { font-size: 12pt; margin: 10pt 0 4pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #c5ced8; padding: 2pt 4pt; text-align: left; }
.ak-muted { color: #52606d; font-size: 9pt; }
@page { size: A4; margin: 14mm; }
@media print { body { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
""")
SUMMARY_MAX_CODES = 14


def summary_html(sessions: list, rule: ReliableChangeRule = DEFAULT_RULE, df: Any = None) -> str:
    """A one-page summary for supervision with a line manager: codes and scores, no notes.
    ``df``: the sessions' frame when the caller has it already."""
    from ...journal import analysis

    df = analysis.frame(sessions) if df is None else df
    ov = analysis.overview(df)
    context: dict[str, Any] = {
        "made": day(dt.date.today()),
        "sessions": ov.n_sessions,
        "codes": ov.n_codes,
        "reactance": char_name("reactance"),
        "direction": direction("reactance"),
        "rule": rule.describe(),
        "heads": [char_label(c) for c in CHARACTERISTIC_IDS],
        "rows": [],
        "more": 0,
        "by_channel": "",
        "by_phase": "",
    }
    if ov.n_sessions:
        context["by_channel"] = averages_table_html(
            ov.by_channel, ov.counts_channel, channel_name, "ak-sum"
        )
        context["by_phase"] = averages_table_html(
            ov.by_phase, ov.counts_phase, phase_name, "ak-sum"
        )
        latest = df.groupby("client_code")["date"].max().sort_values(ascending=False)
        for code in list(latest.index[:SUMMARY_MAX_CODES]):
            view = analysis.client_view(df, code, rule)
            last = view.rows.iloc[-1]
            context["rows"].append(
                {
                    "code": code,
                    "count": len(view.rows),
                    "latest": f"{last['date']:%Y-%m-%d}",
                    "cells": [score(last[analysis.OFFICER + c]) for c in CHARACTERISTIC_IDS],
                    "flags": "; ".join(f.short for f in view.flags),
                }
            )
        context["more"] = max(0, len(latest) - SUMMARY_MAX_CODES)
    return render("trends_summary.html.j2", **context)


def standalone(body: str, title: str) -> str:
    return render(
        "trends_summary_document.html.j2", title=title, css=SUMMARY_CSS, body=Markup(body)
    )


def download_link(text: str, filename: str, mime: str, label: str, css: str, note: str = "") -> str:
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return render(
        "trends_download.html.j2",
        css=css,
        filename=filename,
        mime=mime,
        data=data,
        label=label,
        note=note,
    )
