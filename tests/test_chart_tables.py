"""Every chart's numbers are also on the page as a table (WCAG 1.1.1): the gradebook's score
distributions. The trend chart's table is checked in the browser (test_accessibility_browser)."""

from __future__ import annotations

from html.parser import HTMLParser

from alliance_kit.exercises.gradebook import AssignmentStats, QuestionStats
from alliance_kit.pages.gradebook import distributions_table_html


class Rows(HTMLParser):
    """The text of each table row, cell by cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.captions: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td", "caption"):
            self._in = tag
            if tag == "caption":
                self.captions.append("")
            else:
                self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td", "caption"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "caption":
            self.captions[-1] += data
        elif self._in:
            self.rows[-1][-1] += data


def test_gradebook_distributions_are_also_tables():
    q1 = QuestionStats("01", "nb", "q1-goals", 2.0, True, scores=[2.0, 2.0, 1.0, 0.0])
    q2 = QuestionStats("01", "nb", "q2-trust", 1.0, False, scores=[1.0], waiting=3)
    assignment = AssignmentStats(
        "01-characteristics",
        max_score=3.0,
        totals={"a": 3.0, "b": 3.0, "c": 1.0, "d": 0.0},
        questions=[q1, q2],
    )
    parsed = Rows()
    parsed.feed(distributions_table_html(assignment))
    assert parsed.captions == [
        "01-characteristics: students per total score (of 3)",
        "01-characteristics: students per question",
    ]
    assert ["0", "1"] in parsed.rows and ["1", "1"] in parsed.rows and ["3", "2"] in parsed.rows
    assert ["q1-goals", "2", "1", "1", "0"] in parsed.rows
    assert ["q2-trust", "1", "0", "0", "3"] in parsed.rows
