"""The debrief after a play: the text and table (the radar chart's text alternative), the
resources to read next, the chart itself, and the comparison of two channels."""

from __future__ import annotations

from ..alliance import BY_ID, CHARACTERISTICS
from ..fragments import render
from ..i18n import _, active
from ..scenarios.model import ENDINGS, Case
from ..scenarios.player import Comparison, PlayResult
from .common import decimal
from .language import href
from .practise_labels import channel_name, chart_separators, label, name, signed
from .scenario_view import perception


def ending_name(ending: str | None) -> str:
    return _(ENDINGS[ending]) if ending in ENDINGS else _("Not finished")


def status_name(status: str) -> str:
    words = {"caught": _("caught"), "missed": _("missed"), "not met": _("not met")}
    return words.get(status, status)


def _sources(cites: tuple[str, ...]) -> str:
    """The debrief's sources in author-year form; the full references are in the library."""
    from ..bibliography import cite_label

    return cite_label(cites)


def debrief_html(case: Case, result: PlayResult) -> str:
    signals = case.signals
    return render(
        "scenario_debrief.html.j2",
        ending_id=result.ending or "",
        ending=ending_name(result.ending),
        channel=channel_name(result.channel),
        debrief=result.debrief,
        sources=_sources(result.cites),
        rows=[
            (
                label(c),
                decimal(result.start_meters[c]),
                decimal(result.end_meters[c]),
                signed(result.moved[c]),
            )
            for c in BY_ID
        ],
        path=[(s.label, s.feedback) for s in result.steps],
        caught=[signals[s].label for s in result.noticed],
        missed=[(signals[s].label, signals[s].why) for s in result.missed],
        hidden=[(perception(c.kind), c.text) for _step, c in result.cues_hidden],
    )


def _matching_resources(case: Case, result: PlayResult) -> list:
    from ..library import search

    weakest = sorted(
        BY_ID,
        key=lambda c: (
            result.end_meters[c] if BY_ID[c].higher_is_better else 10 - result.end_meters[c]
        ),
    )
    wanted = tuple(dict.fromkeys([*case.resource_characteristics, *weakest[:1]]))
    attempts = (
        {
            "query": case.resource_query,
            "characteristics": wanted,
            "channels": (result.channel,),
            "phases": (case.phase,),
        },
        {"characteristics": wanted, "channels": (result.channel,), "phases": (case.phase,)},
        {"characteristics": wanted, "channels": (result.channel,)},
        {"characteristics": wanted},
    )
    # Versions in the page's language first (the case's query is in its language), by facets
    # if the query finds none; any language only when no resource has a version in it.
    lang = active()
    only = [(lang,), ()] if lang != "en" else [()]
    for languages in only:
        for kwargs in attempts:
            try:
                found = search(limit=4, language=lang, languages=languages, **kwargs)
                hits = list(found.hits)
            except Exception:  # the library has its own checks; a debrief never fails by it
                hits = []
            if hits:
                return hits
    return []


def resources_html(case: Case, result: PlayResult) -> str:
    """Links into the resource library, matched on the weakest characteristics and the channel,
    each in the page's language where the resource has a version in it."""
    try:
        hits = _matching_resources(case, result)
    except ImportError:
        return render("scenario_resources.html.j2", installed=False, hits=[])
    return render(
        "scenario_resources.html.j2",
        installed=True,
        hits=[(href(f"library.ipynb?resource={h.id}"), h.title, h.summary) for h in hits],
    )


def comparison_html(cmp: Comparison) -> str:
    return render(
        "scenario_comparison.html.j2",
        channels=[channel_name(c) for c in cmp.channels],
        endings=[ending_name(r.ending) for r in cmp.results],
        cues=cmp.cues,
        hidden_counts=cmp.hidden_counts,
        signals=[
            (row.signal.label, [(s.replace(" ", "-"), status_name(s)) for s in row.status])
            for row in cmp.signals
        ],
        meters=[
            (
                label(m.characteristic),
                [(signed(m.moved[i]), decimal(m.end[i])) for i in (0, 1)],
            )
            for m in cmp.meters
        ],
    )


def radar_figure(result: PlayResult):  # noqa: ANN201 - plotly is imported lazily
    """Start and end of the four characteristics; imported only when a debrief is drawn."""
    import plotly.graph_objects as go

    labels = [name(c.id) for c in CHARACTERISTICS]
    fig = go.Figure()
    for which, values, colour in (
        (_("Start"), result.start_meters, "#9aa5b1"),
        (_("End"), result.end_meters, "#1f5f8b"),
    ):
        r = [values[c.id] for c in CHARACTERISTICS]
        fig.add_trace(
            go.Scatterpolar(
                r=[*r, r[0]],
                theta=[*labels, labels[0]],
                name=which,
                line={"color": colour},
                fill="toself" if values is result.end_meters else None,
                opacity=0.8,
            )
        )
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 10]}},
        height=360,
        margin={"l": 60, "r": 60, "t": 40, "b": 30},
        title={
            "text": _("%(channel)s: start and end") % {"channel": channel_name(result.channel)},
            "x": 0.5,
        },
        separators=chart_separators(),
    )
    return fig
