"""Two small sections of the trends page: the structure of the officer's sessions, and a note
when a client's sessions were scored with different questionnaire versions.

Kept apart from ``my_trends`` so each can change without the other. Both return HTML built
from ``journal.analysis`` (pandas is imported only when they are drawn).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..alliance import BY_ID, CHARACTERISTIC_IDS, SESSION_CHANNELS
from ..fragments import render
from ..i18n import N_, _, active
from ..questionnaire import Questionnaire
from .common import decimal

if TYPE_CHECKING:
    import pandas as pd

NO_CAUSE = N_(
    "This shows what went together in your sessions, not what caused what: sessions with a "
    "part may also differ in phase, client, channel or how the day went."
)


def _mean(value: Any) -> str:
    return "–" if value is None or math.isnan(float(value)) else decimal(float(value))


def structure_html(df: pd.DataFrame, qn: Questionnaire) -> str:
    """How often each part of a structured session happened, per channel, and beside it the
    mean alliance of the sessions with and without each part (when there are enough).

    Part labels come from ``qn``: load it in the page's language."""
    from ..journal.analysis import MIN_GROUP, structure

    if not qn.parts:
        return ""
    labels = {p.id: p.label for p in qn.parts}
    result = structure(df, qn.part_ids)
    if not result.recorded:
        return render("session_structure_parts.html.j2", recorded=0)
    frequency = [
        (
            _(SESSION_CHANNELS.get(ch, ch)),
            row["sessions"],
            [(row[p], round(100 * row[p] / row["sessions"])) for p in qn.part_ids],
        )
        for ch, row in result.frequency.iterrows()
    ]
    comparison = [
        (
            labels[p],
            int(row["with"]),
            int(row["without"]),
            [(_mean(row[f"{c}:with"]), _mean(row[f"{c}:without"])) for c in CHARACTERISTIC_IDS],
        )
        for p, row in result.comparison.iterrows()
    ]
    return render(
        "session_structure_parts.html.j2",
        recorded=result.recorded,
        minimum=MIN_GROUP,
        part_labels=[labels[p] for p in qn.part_ids],
        characteristics=[BY_ID[c].label for c in CHARACTERISTIC_IDS],
        frequency=frequency,
        comparison=comparison,
        no_cause=_(NO_CAUSE),
    )


def versions_note_html(rows: pd.DataFrame, qn: Questionnaire) -> str:
    """A note when the sessions shown were scored with more than one questionnaire version,
    naming each statement that changed: the line is continuous, the statements are not."""
    from babel.lists import format_list

    versions = sorted({int(v) for v in rows.get("questionnaire_version", [])})
    if len(versions) < 2:
        return ""
    changed = [
        (BY_ID[i.characteristic].shown_name, i.professional, i.client, i.retired_in, i.why)
        for i in qn.changes_between(versions[0], versions[-1])
    ]
    return render(
        "session_structure_versions.html.j2",
        versions=format_list([str(v) for v in versions], locale=active()),
        changed=changed,
    )
