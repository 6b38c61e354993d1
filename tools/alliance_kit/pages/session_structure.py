"""Two small sections of the trends page: the structure of the officer's sessions, and a note
when a client's sessions were scored with different questionnaire versions.

Kept apart from ``my_trends`` so each can change without the other. Both return HTML built
from ``journal.analysis`` (pandas is imported only when they are drawn).
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING, Any

from ..alliance import BY_ID, CHARACTERISTIC_IDS, SESSION_CHANNELS
from ..questionnaire import Questionnaire

if TYPE_CHECKING:
    import pandas as pd

NO_CAUSE = (
    "This shows what went together in your sessions, not what caused what: sessions with a "
    "part may also differ in phase, client, channel or how the day went."
)


def _mean(value: Any) -> str:
    return "–" if value is None or math.isnan(float(value)) else f"{float(value):.1f}"


def _char(cid: str) -> str:
    char = BY_ID[cid]
    return char.name if char.higher_is_better else f"{char.name} ({char.direction_label})"


def structure_html(df: pd.DataFrame, qn: Questionnaire) -> str:
    """How often each part of a structured session happened, per channel, and beside it the
    mean alliance of the sessions with and without each part (when there are enough)."""
    from ..journal.analysis import MIN_GROUP, structure

    if not qn.parts:
        return ""
    labels = {p.id: p.label for p in qn.parts}
    result = structure(df, qn.part_ids)
    head = "<h3>How your sessions were structured</h3>"
    if not result.recorded:
        return (
            f'<div class="ak-structure">{head}<p class="ak-structure-empty">None of your '
            "sessions has its parts recorded yet. Tick them at the end of the 'Score a session' "
            "form (it takes ten seconds) to see how often each part happens.</p></div>"
        )
    part_heads = "".join(f"<th>{escape(labels[p])}</th>" for p in qn.part_ids)
    freq_rows = "".join(
        f"<tr><th>{escape(SESSION_CHANNELS.get(ch, ch))}</th><td>{row['sessions']}</td>"
        + "".join(
            f"<td>{row[p]} ({round(100 * row[p] / row['sessions'])}%)</td>" for p in qn.part_ids
        )
        + "</tr>"
        for ch, row in result.frequency.iterrows()
    )
    frequency = (
        '<table class="ak-table ak-structure-frequency"><caption>How often each part '
        "happened, per channel</caption><thead><tr><th>channel</th><th>sessions</th>"
        f"{part_heads}</tr></thead><tbody>{freq_rows}</tbody></table>"
    )
    char_heads = "".join(f"<th>{escape(_char(c))}</th>" for c in CHARACTERISTIC_IDS)
    cmp_rows = "".join(
        f"<tr><th>{escape(labels[p])}</th><td>{int(row['with'])} / {int(row['without'])}</td>"
        + "".join(
            f"<td>{_mean(row[f'{c}:with'])} / {_mean(row[f'{c}:without'])}</td>"
            for c in CHARACTERISTIC_IDS
        )
        + "</tr>"
        for p, row in result.comparison.iterrows()
    )
    comparison = (
        '<table class="ak-table ak-structure-alliance"><caption>Your mean score with / '
        "without each part</caption><thead><tr><th>part</th><th>sessions</th>"
        f"{char_heads}</tr></thead><tbody>{cmp_rows}</tbody></table>"
    )
    note = (
        f'<p class="ak-muted ak-structure-note">From {result.recorded} session(s) with the '
        f"parts recorded. A mean is shown once at least {MIN_GROUP} of them had the part and "
        f"{MIN_GROUP} did not (–: not yet): with fewer, one unusual session can move a mean by "
        f"half a point or more on the 1-5 scale. {escape(NO_CAUSE)}</p>"
    )
    return (
        f'<div class="ak-structure">{head}<div style="display:flex;flex-wrap:wrap;gap:1.5em;'
        f'align-items:flex-start">{frequency}{comparison}</div>{note}</div>'
    )


def versions_note_html(rows: pd.DataFrame, qn: Questionnaire) -> str:
    """A note when the sessions shown were scored with more than one questionnaire version,
    naming each statement that changed: the line is continuous, the statements are not."""
    versions = sorted({int(v) for v in rows.get("questionnaire_version", [])})
    if len(versions) < 2:
        return ""
    changed = qn.changes_between(versions[0], versions[-1])
    listed = "".join(
        f"<li>{escape(BY_ID[i.characteristic].name)}: the pair “{escape(i.professional)}” / "
        f"“{escape(i.client)}” was replaced in version {i.retired_in} ({escape(i.why)}).</li>"
        for i in changed
    )
    shown = " and ".join(str(v) for v in versions)
    return (
        f'<div class="ak-versions-note ak-muted"><p>These sessions were scored with '
        f"questionnaire versions {shown}. Each session is scored on the statements it was "
        "answered with, on the same 1-5 scale per characteristic, so they share one line. "
        + ("Statements that changed in between:</p>" if listed else "</p>")
        + (f"<ul>{listed}</ul>" if listed else "")
        + "</div>"
    )
