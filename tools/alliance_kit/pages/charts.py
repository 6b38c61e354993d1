"""Every chart of the kit goes through here, so none offers to send data off the machine.

plotly's mode bar carries a "Share chart" button (upload to Plotly Cloud) and a plotly.com
logo link; the journal promises that only the officer can see it, so both go, on every page.
plotly is imported by the caller, when a chart is drawn, never at page start. A chart on a page
in another language than English gets plotly.js's locale for it: its tool bar's words from the
kit's catalogue, and month names and decimal mark from Babel, so "3,5" and "mrt" on a Dutch page.
"""

from __future__ import annotations

import functools
from typing import Any

from .. import i18n
from ..i18n import N_

#: plotly.js config: no cloud buttons, no link to plotly.com, only the local tools remain.
CHART_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio"],
}


#: plotly.js's own words on a chart (its tool bar and zoom hint), as plotly.js spells them.
PLOTLY_WORDS = (
    N_("Download plot as a PNG"),
    N_("Download plot"),
    N_("Zoom"),
    N_("Pan"),
    N_("Box Select"),
    N_("Lasso Select"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Autoscale"),
    N_("Reset axes"),
    N_("Reset view"),
    N_("Toggle Spike Lines"),
    N_("Show closest data on hover"),
    N_("Compare data on hover"),
    N_("Toggle show closest data on hover"),
    N_("Double-click to zoom back out"),
)


def locale_config(lang: str | None = None) -> dict[str, Any]:
    """plotly.js config for charts in ``lang`` (the active language): nothing for English,
    plotly.js's own language."""
    from babel.dates import get_day_names, get_month_names
    from babel.numbers import get_decimal_symbol, get_group_symbol

    lang = lang or i18n.active()
    if lang == i18n.SOURCE_LANGUAGE:
        return {}
    days, short_days = get_day_names("wide", locale=lang), get_day_names("abbreviated", locale=lang)
    months = get_month_names("wide", locale=lang)
    short_months = get_month_names("abbreviated", locale=lang)
    sunday_first = (6, 0, 1, 2, 3, 4, 5)  # plotly.js's week starts on Sunday, Babel's on Monday
    translations = i18n.translations(lang)
    return {
        "locale": lang,
        "locales": {
            lang: {
                "dictionary": {word: translations.gettext(word) for word in PLOTLY_WORDS},
                "format": {
                    "days": [days[d] for d in sunday_first],
                    "shortDays": [short_days[d] for d in sunday_first],
                    "months": [months[m] for m in range(1, 13)],
                    "shortMonths": [short_months[m] for m in range(1, 13)],
                    "decimal": get_decimal_symbol(lang),
                    "thousands": get_group_symbol(lang),
                },
            }
        },
    }


def load_chart_widget() -> type:
    """Import plotly's FigureWidget class. Its imports (plotly.io, nbformat, jsonschema) take
    seconds on a busy machine; a page can run this on a worker thread while the browser loads."""
    import plotly.graph_objects as go

    return go.FigureWidget


def private_chart(fig: Any) -> Any:
    """A FigureWidget of the plotly Figure ``fig`` with the kit's private config, as wide as its
    box.

    The widget reaches the browser whole, its config in the message that creates it. plotly.js
    reads the config once, when it first draws the chart; a config sent as a change after the
    widget was created could arrive after that first drawing on a busy page, and the chart would
    offer "Share chart" and the plotly.com link after all.
    """
    import plotly.graph_objects as go

    if isinstance(fig, go.FigureWidget):
        raise TypeError("private_chart takes a plotly Figure: a FigureWidget is already sent")
    # A width set on the Figure would stay in the widget's first drawing: clear it here.
    fig.layout.width = None
    fig.layout.autosize = True
    # Redrawn when the window narrows (a 200% zoom, a phone turned upright): a chart of fixed
    # width would be cut off at the side.
    config = {**CHART_CONFIG, **locale_config(), "responsive": True}
    # A Figure was checked as it was built; checking it again cost as much as building it.
    return _whole_figure_widget()(fig, config=config, _validate=False)


@functools.cache
def _whole_figure_widget() -> type:
    """plotly's FigureWidget, holding back its comm until the figure and its config are set.

    ipywidgets opens a widget's comm at the end of ``Widget.__init__``, and plotly fills in the
    figure's data and layout after that, as changes; this class opens the comm once they and the
    config are in place, so the first message holds all of them. Made on first use, since plotly
    is imported only when a chart is drawn.
    """
    import plotly.graph_objects as go

    from ..chart_module import kernel_address, loader

    class WholeFigureWidget(go.FigureWidget):
        def __init__(self, *args: Any, config: dict[str, Any], **kwargs: Any) -> None:
            self._held = True
            super().__init__(*args, **kwargs)
            self._config = config
            self._held = False
            self.open()

        def open(self) -> None:
            if not getattr(self, "_held", False):
                super().open()

    where = kernel_address()
    if where:
        # On a kit server a chart carries a loader for plotly's module, not the module.
        WholeFigureWidget._esm = loader(where)
    return WholeFigureWidget
