"""Every chart of the kit goes through here, so none offers to send data off the machine.

plotly's mode bar carries a "Share chart" button (upload to Plotly Cloud) and a plotly.com
logo link; the journal promises that only the officer can see it, so both go, on every page.
plotly is imported by the caller, when a chart is drawn, never at page start.
"""

from __future__ import annotations

from typing import Any

#: plotly.js config: no cloud buttons, no link to plotly.com, only the local tools remain.
CHART_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio"],
}


def load_chart_widget() -> type:
    """Import plotly's FigureWidget class. Its imports (plotly.io, nbformat, jsonschema) take
    seconds on a busy machine; a page can run this on a worker thread while the browser loads."""
    import plotly.graph_objects as go

    return go.FigureWidget


def private_chart(fig: Any) -> Any:
    """A FigureWidget of ``fig`` (a Figure or a FigureWidget) with the kit's private config,
    as wide as its box."""
    import plotly.graph_objects as go

    widget = fig if isinstance(fig, go.FigureWidget) else go.FigureWidget(fig)
    widget._config = {**widget._config, **CHART_CONFIG}
    return fit_to_width(widget)


def fit_to_width(figure: Any) -> Any:
    """A plotly ``FigureWidget`` as wide as its box, and redrawn when the window narrows (a
    200% zoom, a phone turned upright): a fixed-width chart would be cut off at the side."""
    figure.layout.width = None
    figure.layout.autosize = True
    figure._config = {**figure._config, "responsive": True}
    return figure
