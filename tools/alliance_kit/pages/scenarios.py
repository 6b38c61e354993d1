"""The scenario player: one case, one channel, choices with feedback, a debrief, a comparison.

All rules live in ``alliance_kit.scenarios.player.Player``; this module turns its state into
widgets. Finished plays are kept in memory for this page only (nothing is stored), so that
after two channels of the same case the trainee sees them side by side.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..alliance import BY_ID, CHANNELS, CHARACTERISTICS, PHASES
from ..scenarios.loading import catalogue
from ..scenarios.model import ENDINGS, PERCEPTION_KINDS, RISK_LEVELS, Case
from ..scenarios.player import Comparison, Player, PlayResult, compare
from .charts import private_chart
from .common import Status, message_html, page, safe

INTRO = (
    "Play a supervision situation on one channel, then play it again on another. Each channel "
    "lets you perceive different things: only the voice by phone; face and surroundings by "
    "video; the words and their timing in messaging; everything in the room. After two channels "
    "you see them side by side."
)
CHOICE_PROMPT = "What do you do?"


def _name(cid: str) -> str:
    return BY_ID[cid].label


def _signed(value: float) -> str:
    return f"{value:+.1f}" if value else "0"


def case_html(case: Case) -> str:
    meta = " · ".join(
        [PHASES[case.phase], RISK_LEVELS[case.risk], f"Situation: {case.situation_label}"]
    )
    return (
        f'<div class="ak-scenario-case" data-case="{escape(case.id)}">'
        f'<p class="ak-meta">{escape(meta)}</p>'
        f"<p>{escape(case.summary)}</p>"
        f'<p class="ak-scenario-client">{escape(case.client)}</p></div>'
    )


def scene_html(player: Player) -> str:
    scene = player.scene
    step = f"Step {len(player.steps) + 1}" if not player.finished else "The end"
    return (
        f'<div class="ak-scenario-scene" data-scene="{escape(scene.id)}">'
        f'<p class="ak-meta">{escape(CHANNELS[player.channel])} · {step}</p>'
        f"<p>{escape(player.text())}</p></div>"
    )


def cues_html(player: Player) -> str:
    perceivable = ", ".join(PERCEPTION_KINDS[k] for k in _kinds(player.channel))
    items = "".join(
        f'<li class="ak-cue ak-cue-{escape(c.kind)}"><span class="ak-cue-kind">'
        f"{escape(c.kind.capitalize())}:</span> {escape(c.text)}</li>"
        for c in player.cues()
    )
    if not items:
        items = '<li class="ak-cue-none">Nothing beyond the words in this moment.</li>'
    hidden = player.hidden_cues()
    hidden_note = ""
    if hidden:
        kinds = sorted({PERCEPTION_KINDS[c.kind] for c in hidden})
        hidden_note = (
            f'<p class="ak-cue-hidden">This channel hides {len(hidden)} thing(s) here '
            f"({escape('; '.join(kinds))}). Ask for what you cannot perceive.</p>"
        )
    return (
        '<div class="ak-scenario-cues" role="region" aria-label="What you can perceive">'
        "<h3>What you can perceive on this channel</h3>"
        f'<p class="ak-meta">{escape(CHANNELS[player.channel])}: {escape(perceivable)}</p>'
        f"<ul>{items}</ul>{hidden_note}</div>"
    )


def _kinds(channel: str) -> tuple[str, ...]:
    from ..scenarios.model import CHANNEL_PERCEPTION

    return CHANNEL_PERCEPTION[channel]


def meters_html(meters: dict[str, float]) -> str:
    rows = []
    for c in CHARACTERISTICS:
        value = meters[c.id]
        # A meter's content is not read out, so its spoken value carries the direction too.
        spoken = f"{value:.1f} of 10, {c.direction_label}"
        rows.append(
            f'<div class="ak-meter ak-meter-{c.id}" role="meter" aria-valuemin="0" '
            f'aria-valuemax="10" aria-valuenow="{value:.1f}" aria-valuetext="{escape(spoken)}" '
            f'aria-label="{escape(c.name)}">'
            f'<span class="ak-meter-name">{escape(c.name)}</span>'
            f'<span class="ak-meter-bar"><span style="width:{value * 10:.0f}%;'
            f'background:{c.colour}"></span></span>'
            f'<span class="ak-meter-value">{value:.1f} / 10</span>'
            f'<span class="ak-meter-direction">{escape(c.direction_label)}</span></div>'
        )
    return '<div class="ak-scenario-meters"><h3>The alliance so far</h3>' + "".join(rows) + "</div>"


def feedback_html(player: Player) -> str:
    if not player.steps:
        return ""
    step = player.steps[-1]
    signals = player.case.signals
    extra = ""
    if step.noticed:
        names = "; ".join(signals[s].label for s in step.noticed)
        extra += f'<p class="ak-signal-caught">Risk signal noticed: {escape(names)}</p>'
    if step.missed:
        names = "; ".join(signals[s].label for s in step.missed)
        extra += f'<p class="ak-signal-missed">Risk signal missed: {escape(names)}</p>'
    moved = ", ".join(f"{_name(k)} {_signed(v)}" for k, v in step.effects.items() if v)
    if moved:
        extra += f'<p class="ak-meta">Moved: {escape(moved)}</p>'
    return (
        '<div class="ak-scenario-feedback" role="status">'
        f'<p class="ak-meta">You chose: {escape(step.label)}</p>'
        f"<p>{escape(step.feedback)}</p>{extra}</div>"
    )


def resources_html(case: Case, result: PlayResult) -> str:
    """Links into the resource library, matched on the weakest characteristics and the channel."""
    try:
        from ..library import search
    except ImportError:
        return '<p class="ak-meta">The resource library is not installed in this kit.</p>'
    weakest = sorted(
        (c for c in BY_ID),
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
    hits = []
    for kwargs in attempts:
        try:
            hits = list(search(limit=4, **kwargs).hits)
        except Exception:  # the library has its own checks; a debrief never fails because of it
            hits = []
        if hits:
            break
    if not hits:
        return '<p class="ak-meta">No matching resource yet.</p>'
    items = "".join(
        f'<li><a class="ak-link" href="library.ipynb?resource={escape(h.id)}">'
        f"{escape(h.title)}</a> — {escape(h.summary)}</li>"
        for h in hits
    )
    return f'<ul class="ak-scenario-resources">{items}</ul>'


def _sources_html(cites: tuple[str, ...]) -> str:
    """The debrief's sources in author-year form; the full references are in the library."""
    from ..bibliography import cite_label

    label = cite_label(cites)
    return f'<p class="ak-source">Sources: {escape(label)}</p>' if label else ""


def debrief_html(case: Case, result: PlayResult) -> str:
    signals = case.signals
    path = "".join(
        f"<li><em>{escape(s.label)}</em><br>{escape(s.feedback)}</li>" for s in result.steps
    )
    caught = "".join(f"<li>{escape(signals[s].label)}</li>" for s in result.noticed)
    missed = "".join(
        f"<li><strong>{escape(signals[s].label)}</strong> — {escape(signals[s].why)}</li>"
        for s in result.missed
    )
    hidden = "".join(
        f"<li>{escape(PERCEPTION_KINDS[c.kind])}: {escape(c.text)}</li>"
        for _, c in result.cues_hidden
    )
    moved = "".join(
        f"<tr><th scope='row'>{escape(_name(c))}</th><td>{result.start_meters[c]:.1f}</td>"
        f"<td>{result.end_meters[c]:.1f}</td><td>{_signed(result.moved[c])}</td></tr>"
        for c in BY_ID
    )
    return (
        f'<div class="ak-scenario-debrief-text" data-ending="{escape(result.ending or "")}">'
        f"<h2>Debrief: {escape(ENDINGS.get(result.ending or '', 'Not finished'))} "
        f"({escape(CHANNELS[result.channel])})</h2>"
        f"<p>{escape(result.debrief)}</p>"
        + _sources_html(result.cites)
        + '<table class="ak-scenario-moved"><caption>How the four characteristics moved</caption>'
        "<tr><th>Characteristic</th><th>Start</th><th>End</th><th>Moved</th></tr>"
        f"{moved}</table>"
        f'<h3>The path you took</h3><ol class="ak-scenario-path">{path}</ol>'
        f'<h3>Risk signals you caught</h3><ul class="ak-scenario-caught">'
        f"{caught or '<li>None.</li>'}</ul>"
        f'<h3>Risk signals you missed</h3><ul class="ak-scenario-missed">'
        f"{missed or '<li>None: well spotted.</li>'}</ul>"
        + (
            f"<h3>What this channel hid from you</h3><ul class='ak-scenario-hidden'>{hidden}</ul>"
            if hidden
            else ""
        )
        + "</div>"
    )


def comparison_html(cmp: Comparison) -> str:
    a, b = cmp.channels
    head = (
        f"<tr><th></th><th scope='col'>{escape(CHANNELS[a])}</th>"
        f"<th scope='col'>{escape(CHANNELS[b])}</th></tr>"
    )

    def cues(texts: tuple[str, ...]) -> str:
        return "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in texts) + "</ul>" if texts else "—"

    rows = [
        "<tr><th scope='row'>Ending</th>"
        + "".join(
            f"<td>{escape(ENDINGS.get(r.ending or '', 'Not finished'))}</td>" for r in cmp.results
        )
        + "</tr>",
        f"<tr><th scope='row'>Cues available</th><td>{cues(cmp.cues[0])}</td>"
        f"<td>{cues(cmp.cues[1])}</td></tr>",
        f"<tr><th scope='row'>Cues the channel hid</th><td>{cmp.hidden_counts[0]}</td>"
        f"<td>{cmp.hidden_counts[1]}</td></tr>",
    ]
    for row in cmp.signals:
        cells = "".join(
            f'<td class="ak-signal-{escape(s.replace(" ", "-"))}">{escape(s)}</td>'
            for s in row.status
        )
        rows.append(f"<tr><th scope='row'>Signal: {escape(row.signal.label)}</th>{cells}</tr>")
    for m in cmp.meters:
        rows.append(
            f"<tr><th scope='row'>{escape(_name(m.characteristic))}</th>"
            f"<td>{_signed(m.moved[0])} (to {m.end[0]:.1f})</td>"
            f"<td>{_signed(m.moved[1])} (to {m.end[1]:.1f})</td></tr>"
        )
    return (
        f"<h2>{escape(CHANNELS[a])} and {escape(CHANNELS[b])} side by side</h2>"
        '<table class="ak-compare-table"><caption>The same case on two channels: what you '
        "could perceive, which risk signals you caught, how the alliance moved</caption>"
        f"{head}{''.join(rows)}</table>"
    )


def radar_figure(result: PlayResult):  # noqa: ANN201 - plotly is imported lazily
    """Start and end of the four characteristics; imported only when a debrief is drawn."""
    import plotly.graph_objects as go

    labels = [_name(c.id) for c in CHARACTERISTICS]
    fig = go.FigureWidget()
    for name, values, colour in (
        ("Start", result.start_meters, "#9aa5b1"),
        ("End", result.end_meters, "#1f5f8b"),
    ):
        r = [values[c.id] for c in CHARACTERISTICS]
        fig.add_trace(
            go.Scatterpolar(
                r=[*r, r[0]],
                theta=[*labels, labels[0]],
                name=name,
                line={"color": colour},
                fill="toself" if name == "End" else None,
                opacity=0.8,
            )
        )
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 10]}},
        height=360,
        margin={"l": 60, "r": 60, "t": 40, "b": 30},
        title={"text": f"{CHANNELS[result.channel]}: start and end", "x": 0.5},
    )
    return fig


class ScenarioPage:
    def __init__(self) -> None:
        self.status = Status()
        self.catalogue = catalogue()
        self.cases = {c.id: c for c in self.catalogue.cases}
        self.finished: dict[str, dict[str, PlayResult]] = {}
        self.order: dict[str, list[str]] = {}
        self.player: Player | None = None
        self._switching = False

        self.case_pick = widgets.Dropdown(
            options=[(c.title, c.id) for c in self.catalogue.cases],
            description="Case",
            layout=widgets.Layout(width="36em"),
        )
        self.case_pick.add_class("ak-scenario-case-pick")
        self.channel_pick = widgets.ToggleButtons(description="Channel", options=[])
        self.channel_pick.add_class("ak-scenario-channel")
        self.case_info = widgets.HTML()
        self.scene = widgets.HTML()
        self.prompt = widgets.HTML(f'<p class="ak-prompt">{CHOICE_PROMPT}</p>')
        self.choices = widgets.VBox()
        self.choices.add_class("ak-scenario-choices")
        self.feedback = widgets.HTML()
        self.back = widgets.Button(
            description="Back", icon="arrow-left", tooltip="Undo the last choice"
        )
        self.back.add_class("ak-scenario-back")
        self.restart = widgets.Button(
            description="Restart", icon="refresh", tooltip="Start the case again"
        )
        self.restart.add_class("ak-scenario-restart")
        self.cues = widgets.HTML()
        self.meters = widgets.HTML()
        self.debrief_text = widgets.HTML()
        self.radar = widgets.VBox()
        self.radar.add_class("ak-scenario-radar")
        self.resources = widgets.HTML()
        self.debrief = widgets.VBox(
            [
                self.debrief_text,
                self.radar,
                widgets.HTML("<h3>Resources to try next</h3>"),
                self.resources,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.debrief.add_class("ak-scenario-debrief")
        self.compare = widgets.HTML(layout=widgets.Layout(display="none"))
        self.compare.add_class("ak-scenario-compare")
        self.compare_hint = widgets.HTML()

        pickers = widgets.HBox([self.case_pick, self.channel_pick])
        pickers.add_class("ak-scenario-pickers")
        main = widgets.VBox(
            [
                self.scene,
                self.prompt,
                self.choices,
                self.feedback,
                widgets.HBox([self.back, self.restart]),
            ]
        )
        main.add_class("ak-scenario-main")
        side = widgets.VBox([self.cues, self.meters])
        side.add_class("ak-scenario-side")
        body = widgets.HBox([main, side])
        body.add_class("ak-scenario-body")
        self.box = widgets.VBox(
            [
                pickers,
                self.case_info,
                body,
                self.status,
                self.debrief,
                self.compare_hint,
                self.compare,
            ]
        )
        self.box.add_class("ak-scenario-player")

        self.case_pick.observe(safe(self.status)(self._on_case), names="value")
        self.channel_pick.observe(safe(self.status)(self._on_channel), names="value")
        self.back.on_click(safe(self.status)(self._on_back))
        self.restart.on_click(safe(self.status)(self._on_restart))

        if self.catalogue.problems:
            self.status.show(
                f"{len(self.catalogue.problems)} problem(s) in the scenario files kept some cases "
                "out; an educator can run 'alliance-kit check scenarios' to see them.",
                "warn",
            )
        if self.cases:
            self._on_case(None)

    # callbacks ---------------------------------------------------------------------------
    def _on_case(self, _change: object) -> None:
        case = self.cases[self.case_pick.value]
        self.case_info.value = case_html(case)
        self._switching = True
        try:
            self.channel_pick.options = [(CHANNELS[c], c) for c in case.channels]
            self.channel_pick.value = case.channels[0]
        finally:
            self._switching = False
        self._start(case, case.channels[0])

    def _on_channel(self, change: dict) -> None:
        if self._switching or not change.get("new"):
            return
        self._start(self.cases[self.case_pick.value], change["new"])

    def _on_back(self, _button: object) -> None:
        if self.player and self.player.back():
            self._render()

    def _on_restart(self, _button: object) -> None:
        if self.player:
            self.player.restart()
            self._render()

    def _on_choice(self, index: int) -> None:
        assert self.player is not None
        self.player.choose(index)
        if self.player.finished:
            self._finish()
        self._render()

    # drawing -----------------------------------------------------------------------------
    def _start(self, case: Case, channel: str) -> None:
        self.player = Player(case, channel)
        self.status.clear()
        self._render()
        self._draw_comparison(case)

    def _render(self) -> None:
        player = self.player
        assert player is not None
        # The scene goes last: it carries data-scene, which tells a waiting test (or a screen
        # reader's user) that the whole step has been drawn.
        self.cues.value = cues_html(player)
        self.meters.value = meters_html(player.meters)
        self.feedback.value = feedback_html(player)
        buttons = []
        for index, choice in player.choices():
            button = widgets.Button(
                description=choice.label,
                tooltip=choice.label,
                layout=widgets.Layout(width="100%", height="auto"),
            )
            button.add_class("ak-scenario-choice")
            button.on_click(safe(self.status)(lambda _b, i=index: self._on_choice(i)))
            buttons.append(button)
        self.choices.children = buttons
        self.prompt.layout.display = "none" if player.finished else None
        self.back.disabled = not player.can_go_back
        if not player.finished:
            self.debrief.layout.display = "none"
        self.scene.value = scene_html(player)

    def _finish(self) -> None:
        player = self.player
        assert player is not None
        result = player.result()
        case = player.case
        self.finished.setdefault(case.id, {})[player.channel] = result
        order = self.order.setdefault(case.id, [])
        if player.channel in order:
            order.remove(player.channel)
        order.append(player.channel)
        self.debrief_text.value = debrief_html(case, result)
        self.resources.value = resources_html(case, result)
        self.radar.children = [private_chart(radar_figure(result))]
        self.debrief.layout.display = None
        self._draw_comparison(case)

    def _draw_comparison(self, case: Case) -> None:
        order = self.order.get(case.id, [])
        if len(order) < 2:
            self.compare.layout.display = "none"
            others = [CHANNELS[c] for c in case.channels if c not in order]
            self.compare_hint.value = (
                message_html(
                    f"Now play this case on another channel ({', '.join(others)}) to compare "
                    "them side by side.",
                    "info",
                )
                if order
                else ""
            )
            return
        a, b = order[-2], order[-1]
        results = self.finished[case.id]
        self.compare_hint.value = ""
        self.compare.value = comparison_html(compare(case, results[a], results[b]))
        self.compare.layout.display = None


def show() -> None:
    from IPython.display import display

    page_obj = ScenarioPage()
    if not page_obj.cases:
        body = widgets.HTML(
            message_html(
                "No scenario could be loaded. An educator can run 'alliance-kit check scenarios' "
                "to see what is wrong.",
                "error",
            )
        )
        display(page("Channel scenarios", body, page_obj.status, intro=INTRO))
        return
    display(page("Channel scenarios", page_obj.box, intro=INTRO))
