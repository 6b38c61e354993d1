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


def answer_buttons(
    qn: Questionnaire, *, client: bool = False, statement: str = ""
) -> widgets.ToggleButtons:
    """Five buttons, none chosen: a missing answer is visible, never a silent default.

    ``statement`` (HTML) is the row's own label, shown as the buttons' description: one
    model per statement instead of a box, a label and the buttons (a form has 14 rows and
    the browser fetches every model's state when the page opens). The page names the group
    of buttons by it for a screen reader (``ak-item-text``, see the template's script)."""
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
        description=statement,
        description_allow_html=bool(statement),
        style={"button_width": "auto" if client else "46px"},
    )
    buttons.add_class("ak-answer")
    return buttons


class ItemGrid:
    """The statements of the questionnaire with one row of answer buttons each.

    A row is its buttons alone, the statement their description; the officer's rows show
    the statement after the buttons, the client's above them (``alliance.css``). Its widgets
    share their layouts and styles (``lean``): a form holds many rows. ``intro`` (HTML) goes
    above the statements, in the officer's first heading rather than a widget of its own.
    """

    def __init__(
        self,
        qn: Questionnaire,
        *,
        client: bool = False,
        prefix: str = "officer",
        intro: str = "",
    ) -> None:
        self.qn = qn
        self.buttons: dict[str, widgets.ToggleButtons] = {}
        rows: list[widgets.Widget] = []
        if client and intro:
            rows.append(lean(widgets.HTML, value=intro))
        for cid in CHARACTERISTIC_IDS:
            if not client:
                rows.append(lean(widgets.HTML, value=intro + char_heading(cid)))
                intro = ""
            for item in qn.items_for(cid):
                number = qn.items.index(item) + 1
                text = item.client if client else item.professional
                statement = render_kept("score_session_item.html.j2", number=number, text=text)
                # The browser reads "$...$" in a description as mathematics: keep it text.
                statement = statement.replace("$", "&#36;").replace("\\", "&#92;")
                buttons = answer_buttons(qn, client=client, statement=statement)
                buttons.add_class("ak-item-row")
                if not client:
                    buttons.add_class("ak-statement-after")
                buttons.add_class(f"ak-{prefix}-{item.id}")
                self.buttons[item.id] = buttons
                rows.append(buttons)
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
        # One wrapping row: the legend fills the first line (``alliance.css``), the boxes
        # follow. A questionnaire without parts has nothing to tick: the row stays empty.
        children: list[widgets.Widget] = []
        if self.boxes:
            legend = lean(widgets.HTML, value=render_kept("score_session_parts_legend.html.j2"))
            legend.add_class("ak-parts-legend-row")
            children = [legend, *self.boxes.values()]
        self.box = lean(widgets.HBox, children=children, layout={"flex_flow": "wrap"})
        self.box.add_class("ak-session-parts")

    def parts(self) -> list[str] | None:
        ticked = [pid for pid, box in self.boxes.items() if box.value]
        return ticked or None

    def reset(self) -> None:
        for box in self.boxes.values():
            box.value = False
