"""A chart speaks the page's language: plotly.js's tool bar, month names and decimal mark."""

from __future__ import annotations

import pytest

from alliance_kit import i18n
from alliance_kit.pages.charts import CHART_CONFIG, private_chart


@pytest.fixture()
def dutch():
    i18n.activate("nl")
    yield
    i18n.activate("en")


def test_a_dutch_chart_has_dutch_tools_months_and_decimal_comma(dutch):
    import plotly.graph_objects as go

    config = private_chart(go.Figure(go.Scatter(x=[1, 2], y=[3.5, 4.0])))._config
    assert config["locale"] == "nl"
    nl = config["locales"]["nl"]
    assert nl["dictionary"]["Zoom in"] == "Inzoomen"
    assert nl["dictionary"]["Download plot as a PNG"] == "Grafiek downloaden als PNG"
    assert nl["format"]["months"][2] == "maart" and nl["format"]["days"][0] == "zondag"
    assert nl["format"]["decimal"] == ","
    # still nothing that sends a chart off the machine
    assert all(config[key] == value for key, value in CHART_CONFIG.items())


def test_an_english_chart_keeps_plotly_s_own_words():
    import plotly.graph_objects as go

    config = private_chart(go.Figure(go.Scatter(x=[1], y=[2])))._config
    assert "locale" not in config and "locales" not in config


def test_a_chart_with_a_width_of_its_own_still_fits_a_phone():
    """The widget's first drawing takes the Figure's layout: a width left there kept the
    gradebook's charts (and their toolbars) past the edge of a 360 px screen."""
    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=[1], y=[2]))
    figure.update_layout(width=760)
    widget = private_chart(figure)
    assert widget._widget_layout.get("width") is None
    assert widget.layout.autosize and widget._config["responsive"]


def test_a_chart_reaches_the_browser_whole(monkeypatch):
    """plotly.js reads a chart's config once, at its first drawing. A config sent as a change
    after the widget was created reached a busy page too late: the trends overview offered
    "Share chart" after all. The message that creates the widget holds the figure and config."""
    import comm
    import plotly.graph_objects as go
    from comm.base_comm import BaseComm

    messages: list[tuple[str, dict]] = []

    class Recorder(BaseComm):
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            messages.append((msg_type, data or {}))

    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: Recorder(**kwargs))
    private_chart(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))

    kinds = [kind for kind, _ in messages]
    assert kinds == ["comm_open"]
    state = messages[0][1]["state"]
    assert state["_config"]["displaylogo"] is False and state["_config"]["responsive"]
    assert state["_widget_data"][0]["y"] == [3, 4]
    assert state["_widget_layout"]["autosize"] is True
