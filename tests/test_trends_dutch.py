"""The trends page's words in Dutch, from the same language-neutral journal: the summary, the
flags and the reliable-change rule, with Dutch names, Reactance's direction and a decimal comma."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from test_journal_analysis import sess

from alliance_kit import i18n


@pytest.fixture()
def dutch():
    i18n.activate("nl")
    yield
    i18n.activate("en")


SESSIONS = [
    sess(1, "UP-1", {"reactance": 2}),
    sess(2, "UP-1", {"reactance": 4}),
    sess(3, "T-1", {"trust": 5}, channel="video"),
    sess(4, "T-1", {"trust": 2}, channel="video"),
]


def test_flags_are_worded_in_dutch_with_reactance_s_direction(dutch):
    from alliance_kit.journal import analysis

    df = analysis.frame(SESSIONS)
    up = analysis.client_view(df, "UP-1").flags
    assert [f.short for f in up] == ["Stroefheid gestegen, slechter"]
    assert "van 2,0 bij het vorige gesprek naar 4,0" in up[0].detail
    assert "(Hoger = meer wrijving, en dat is slechter.)" in up[0].detail
    trust = analysis.client_view(df, "T-1").flags
    assert [f.short for f in trust] == ["Vertrouwen gedaald, slechter"]


def test_the_summary_in_dutch_has_the_numbers_of_the_english_one(dutch):
    from alliance_kit.pages.my_trends import summary_html

    html = summary_html(SESSIONS)
    assert "Werkrelatie: samenvatting voor het gesprek met je leidinggevende" in html
    assert "Richting/kader" in html and "Binding" in html
    assert "Stroefheid: hoger = meer wrijving, en dat is slechter." in html
    assert "Een verandering telt als echt als ze groter is dan 1,0 punt" in html
    assert "<th>Telefoon</th><td>2</td>" in html and "<th>Video</th><td>2</td>" in html
    i18n.activate("en")
    english = summary_html(SESSIONS)
    assert "<th>Phone</th><td>2</td>" in english
    # the same cells, with a decimal comma
    dutch_cells = [c.split("<")[0] for c in html.split("<td>")[1:]]
    english_cells = [c.split("<")[0] for c in english.split("<td>")[1:]]
    assert [c.replace(",", ".") for c in dutch_cells if c[:1].isdigit()] == [
        c for c in english_cells if c[:1].isdigit()
    ]


def test_the_reflection_asks_its_questions_in_the_page_s_language(dutch, tmp_path):
    """The first view's reflection: the questionnaire's question for the flag, from the Dutch
    file; and no English content text on the page (the check sees one when it is there)."""
    from dutch import english_left
    from test_trends_browser import record

    from alliance_kit.journal import open_journal
    from alliance_kit.pages.my_trends import Trends

    path = tmp_path / "journal.sqlite"
    with open_journal(path) as journal:
        for day, reactance in [(0, 2), (9, 2), (23, 3), (40, 4)]:
            journal.add_session(record("UP-1", day, reactance))
    # built where no event loop runs (a browser test before may leave Playwright's running
    # here), so the first view is drawn at once, as in a script
    with ThreadPoolExecutor(1) as pool:
        page = pool.submit(Trends, path).result()
    try:
        shown = page.reflection.value
        assert "Stroefheid is gestegen (meer wrijving). Waar duwde de cliënt terug" in shown
        assert english_left(shown) == []
        english = "Reactance rose (more friction). Where did the client push back"
        assert english_left(f"{shown} {english}") == ["Reactance rose (more friction). Where did"]
    finally:
        if page.journal is not None:
            page.journal.close()
