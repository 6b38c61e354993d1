"""Layouts and styles that the widgets of a page share, and closing a page no longer shown.

Every ipywidget brings a Layout model and most a Style model of their own, and a browser
opening a page asks its kernel for the state of every model at once; a room of 30 trainees
asks at the same moment. Most widgets of a page look alike, so they can share those models.
"""

from __future__ import annotations

from typing import Any, TypeVar

import ipywidgets as widgets
from traitlets import TraitError, validate

W = TypeVar("W", bound=widgets.DOMWidget)

#: Layouts and styles that many widgets of a page share, one per look, per kernel.
_shared_looks: dict[tuple[str, tuple[tuple[str, Any], ...]], widgets.Widget] = {}


def shared_look(kind: type[widgets.Widget], spec: dict[str, Any]) -> widgets.Widget:
    """The one open model of ``kind`` made with ``spec`` in this kernel."""
    key = (kind.__name__, tuple(sorted(spec.items())))
    model = _shared_looks.get(key)
    if model is None or model.comm is None:  # closed with its page: make a new one
        made = SharedLayout if kind is widgets.Layout else kind
        model = _shared_looks[key] = made(**spec)
    return model


class SharedLookChanged(TraitError):
    """A page hid a widget through a layout other widgets share."""


class SharedLayout(widgets.Layout):
    """A layout many widgets share: made once, never hidden or shown afterwards.

    Hiding one widget through it would hide every widget of the same look, on every page of
    this kernel; a widget that is hidden or shown needs a layout of its own.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._made = False
        super().__init__(**kwargs)
        self._made = True

    @validate("display", "visibility")
    def _refuse_hiding(self, proposal: Any) -> Any:
        if getattr(self, "_made", False):
            raise SharedLookChanged(
                f"a shared layout's {proposal['trait'].name} cannot change; a widget that is "
                "hidden or shown needs a layout of its own (widgets.Layout())"
            )
        return proposal["value"]


def lean(kind: type[W], *, layout: dict[str, Any] | None = None, **kwargs: Any) -> W:
    """A widget that shares its layout model, and its style model, with every other widget
    of the same look, instead of bringing two models of its own.

    When a page opens, the browser asks its kernel for the state of every model, and a room
    of 30 asks at the same moment: on the quiz page two thirds of those states were default
    layouts and styles. Only for a widget whose layout and style never change after it is
    made: hiding one through ``layout.display`` would hide every widget sharing the layout.
    ``style`` may be given as a dict, as ipywidgets takes it.
    """
    look = shared_look(widgets.Layout, layout or {})
    trait = kind.class_traits().get("style")
    style = kwargs.pop("style", None)
    if trait is not None and not isinstance(style, widgets.Widget):
        kwargs["style"] = shared_look(trait.klass, dict(style or {}))
    elif style is not None:
        kwargs["style"] = style
    return kind(layout=look, **kwargs)


def shared_look_ids() -> set[str]:
    """The model ids of the shared layouts and styles, which outlive any one page."""
    return {m.model_id for m in _shared_looks.values() if m.comm is not None}


def close_widgets(root: widgets.Widget) -> None:
    """Close a page the browser no longer shows, everything in it but the shared looks.

    A closed widget's state is not sent again: a warm kernel that built its page in the
    server's language and then in the visitor's would otherwise send both.
    """
    keep = shared_look_ids()
    stack, seen = [root], set()
    while stack:
        widget = stack.pop()
        if id(widget) in seen or widget.comm is None:
            continue
        seen.add(id(widget))
        stack.extend(getattr(widget, "children", ()))
        for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
            shared = not isinstance(part, widgets.Widget) or part.comm is None
            if not shared and part.model_id not in keep:
                part.close()
        widget.close()
