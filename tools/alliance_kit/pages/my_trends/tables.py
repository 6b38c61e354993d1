"""The numbers behind the trends page's charts, as tables: a screen reader cannot read a
chart, and nobody reads a marker's shape or colour as precisely as a number."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ...alliance import CHARACTERISTIC_IDS
from ...fragments import render
from ...i18n import _
from .labels import channel_name, char_label, score, short_date

if TYPE_CHECKING:
    from ...journal.analysis import ClientView


def trend_table_html(view: ClientView) -> str:
    from ...journal.analysis import CLIENT, OFFICER

    rated = any(view.rows[CLIENT + c].notna().any() for c in CHARACTERISTIC_IDS)
    who = ((OFFICER, _("you")), (CLIENT, _("client"))) if rated else ((OFFICER, ""),)
    heads = [
        f"{char_label(c)}, {word}" if word else char_label(c)
        for c in CHARACTERISTIC_IDS
        for _prefix, word in who
    ]
    rows = [
        {
            "date": short_date(row["date"]),
            "channel": channel_name(row["channel"]),
            "cells": [score(row[prefix + c]) for c in CHARACTERISTIC_IDS for prefix, _w in who],
        }
        for row in view.rows.to_dict("records")  # iterrows makes a Series per session
    ]
    return render("trends_trend_table.html.j2", code=view.code, heads=heads, rows=rows)


def averages_table_html(
    table: Any, counts: Any, name: Callable[[str], str], css: str = "ak-table"
) -> Markup:
    """Mean scores per channel or phase (``name`` words the row's id in the page language)."""
    rows = [
        {
            "name": name(k),
            "count": counts.get(k, 0),
            "cells": [score(table.loc[k, c]) for c in CHARACTERISTIC_IDS],
        }
        for k in table.index
    ]
    heads = [char_label(c) for c in CHARACTERISTIC_IDS]
    return Markup(render("trends_averages_table.html.j2", css=css, heads=heads, rows=rows))


def gap_table_html(view: ClientView) -> str:
    rows = [
        {
            "name": char_label(c),
            "officer": score(r["officer"]),
            "client": score(r["client"]),
            "gap": score(r["gap"]),
        }
        for c, r in view.gaps.iterrows()
    ]
    return render("trends_gap_table.html.j2", rows=rows)
