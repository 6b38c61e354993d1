"""The questionnaire as widgets: its statements with a row of answer buttons each, and the
check of which parts a session had. The officer's form and the client's page share them, so
both ask the same statements in the same order, in the page's language.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..alliance import BY_ID, CHARACTERISTIC_IDS
from ..fragments import render_kept
from ..questionnaire import Questionnaire
from .looks import lean


def char_heading(cid: str) -> str:
    char = BY_ID[cid]
    direction = None if char.higher_is_better else char.direction_label
    return render_kept(
        "score_session_heading.html.j2", cid=cid, char=char.shown_name, direction=direction
    )


def answer_buttons(qn: Questionnaire, *, client: bool = False) -> widgets.ToggleButtons:
    """Five buttons, none chosen: a missing answer is visible, never a silent default."""
    labels = [p.client if client else p.professional for p in qn.points]
    if client:
        options = [(p.client, p.value) for p in qn.points]
    else:
        options = [(str(p.value), p.value) for p in qn.points]
    buttons = lean(
        widgets.ToggleButtons,
        options=options,
        value=None,
        tooltips=[f"{p.value} = {label}" for p, label in zip(qn.points, labels, strict=True)],
        style={"button_width": "auto" if client else "46px"},
    )
    buttons.add_class("ak-answer")
    return buttons


class ItemGrid:
    """The statements of the questionnaire with one row of answer buttons each.

    Its widgets share their layouts and styles (``lean``): a form holds many rows."""

    def __init__(self, qn: Questionnaire, *, client: bool = False, prefix: str = "officer") -> None:
        self.qn = qn
        self.buttons: dict[str, widgets.ToggleButtons] = {}
        rows: list[widgets.Widget] = []
        number = 0
        for cid in CHARACTERISTIC_IDS:
            if not client:
                rows.append(lean(widgets.HTML, value=char_heading(cid)))
            for item in qn.items_for(cid):
                number = qn.items.index(item) + 1
                text = item.client if client else item.professional
                label = lean(
                    widgets.HTML,
                    value=render_kept("score_session_item.html.j2", number=number, text=text),
                )
                label.add_class("ak-item-label")
                buttons = answer_buttons(qn, client=client)
                buttons.add_class(f"ak-{prefix}-{item.id}")
                self.buttons[item.id] = buttons
                row = (
                    lean(widgets.VBox, children=[label, buttons])
                    if client
                    else lean(widgets.HBox, children=[buttons, label])
                )
                row.add_class("ak-item-row")
                rows.append(row)
        self.box = lean(widgets.VBox, children=rows)
        self.box.add_class(f"ak-items-{prefix}")

    def answers(self) -> dict[str, int | None]:
        return {iid: b.value for iid, b in self.buttons.items()}

    def touched(self) -> bool:
        return any(b.value is not None for b in self.buttons.values())

    def reset(self) -> None:
        for b in self.buttons.values():
            b.value = None


class PartChecks:
    """The optional ten-second check of which parts of a structured session happened.

    Nothing ticked means "not recorded", so a session saved without the check never counts as
    a session that lacked every part.
    """

    def __init__(self, qn: Questionnaire) -> None:
        self.boxes: dict[str, widgets.Checkbox] = {}
        for part in qn.parts:
            box = lean(
                widgets.Checkbox,
                value=False,
                description=part.label,
                tooltip=part.hint,
                indent=False,
                layout={"width": "auto", "margin": "0 18px 0 0"},
            )
            box.add_class(f"ak-part-{part.id}")
            self.boxes[part.id] = box
        self.box = widgets.VBox(
            [
                lean(widgets.HTML, value=render_kept("score_session_parts_legend.html.j2")),
                lean(
                    widgets.HBox,
                    children=list(self.boxes.values()),
                    layout={"flex_flow": "wrap"},
                ),
            ]
        )
        self.box.add_class("ak-session-parts")
        if not self.boxes:
            self.box.layout.display = "none"

    def parts(self) -> list[str] | None:
        ticked = [pid for pid, box in self.boxes.items() if box.value]
        return ticked or None

    def reset(self) -> None:
        for box in self.boxes.values():
            box.value = False
