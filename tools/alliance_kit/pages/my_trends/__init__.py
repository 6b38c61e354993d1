"""My trends and journal: the alliance per client code, across channels and phases.

pandas and plotly are imported when a view is drawn, not when this package is imported.
Charts are plotly FigureWidgets, switched with ToggleButtons (a FigureWidget inside a Tab
renders empty in Voila). Everything printed or exported carries pseudonymous client codes
only. The journal stores language-neutral ids, so the page shows the same sessions and
numbers in every language.

``trends_page`` holds the page, ``figures`` its charts, ``tables`` the charts' numbers,
``summary`` the printable summary and downloads, ``prompts`` what to reflect on,
``labels`` the words and numbers in the visitor's language.
"""

from __future__ import annotations

from .figures import build_overview, gap_figure, overview_figures, session_ticks, trend_figure
from .summary import summary_html
from .trends_page import TITLE, Trends, build, show

__all__ = [
    "TITLE",
    "Trends",
    "build",
    "build_overview",
    "gap_figure",
    "overview_figures",
    "session_ticks",
    "show",
    "summary_html",
    "trend_figure",
]
