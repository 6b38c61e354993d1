"""The gradebook overview for educators: what a group got right and wrong, per question.

It reads the course's nbgrader gradebook (``exercises/gradebook.db``, or the file named by
``ALLIANCE_KIT_GRADEBOOK``) read-only through nbgrader's API. Before any work has been
autograded there is no gradebook, and the page explains how to get one instead of failing.
nbgrader, pandas-free statistics and plotly load only when there is a gradebook to show.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from .charts import private_chart
from .common import Status, message_html, page, safe

TITLE = "Gradebook overview"
INTRO = (
    "How a group did on the exercises: the spread of total scores per assignment, how each "
    "question went, and the questions most students missed with the characteristic they "
    "practise. Read from the course's nbgrader gradebook; nothing here changes a grade."
)
CSV_NAME = "gradebook-questions.csv"
COLOURS = {"full": "#2a9d8f", "partial": "#e9a23b", "none": "#c0392b", "waiting": "#9aa5b1"}


def empty_html(path: Path) -> str:
    """What to do when there is no gradebook yet: the steps, not an error."""
    return (
        '<div class="ak-gradebook-empty" role="status">'
        "<h2>No gradebook yet</h2>"
        f"<p>There is no nbgrader gradebook at <code>{escape(str(path))}</code> yet. It appears "
        "as soon as the first submissions have been autograded. In the course folder "
        "(<code>exercises/</code>):</p><ol>"
        "<li><code>nbgrader generate_assignment 01-characteristics</code> makes the student "
        "version;</li>"
        "<li>release and collect it (<code>nbgrader release_assignment</code>, "
        "<code>nbgrader collect</code>), or try the workflow first with practice work: "
        "<code>alliance-kit exercises practice-submissions 01-characteristics --students 8"
        "</code>;</li>"
        "<li><code>nbgrader autograde 01-characteristics</code> fills the gradebook.</li></ol>"
        "<p>Then reload this page. To look at another course's gradebook, start the kit with "
        "<code>ALLIANCE_KIT_GRADEBOOK=/path/to/gradebook.db</code>.</p></div>"
    )


def summary_html(overview) -> str:  # noqa: ANN001 - lazy type (exercises.gradebook.Overview)
    rows = []
    for a in overview.assignments:
        mean = "-" if a.mean_total is None else f"{a.mean_total:.1f}"
        rows.append(
            f"<tr><th scope='row'>{escape(a.name)}</th><td>{len(a.totals)}</td>"
            f"<td>{mean} of {a.max_score:g}</td><td>{a.waiting}</td></tr>"
        )
    return (
        f'<table class="ak-gradebook-summary"><caption>{overview.students} student(s) in '
        f"the gradebook of course {escape(overview.course_id)}</caption>"
        "<tr><th scope='col'>Assignment</th><th scope='col'>Submissions</th>"
        "<th scope='col'>Mean total</th><th scope='col'>Answers waiting for manual grading</th>"
        f"</tr>{''.join(rows)}</table>"
    )


def missed_html(overview, n: int = 8) -> str:  # noqa: ANN001
    missed = overview.most_missed(n)
    if not missed:
        return (
            '<div class="ak-gradebook-missed"><h2>Most-missed questions</h2>'
            + message_html("No graded question was missed yet.", "ok")
            + "</div>"
        )
    rows = "".join(
        f"<tr><td>{escape(q.assignment)}</td><th scope='row'>{escape(q.question)}</th>"
        f"<td>{q.missed} of {q.graded}</td><td>{100 * (q.mean_fraction or 0):.0f}%</td>"
        f"<td class='ak-gradebook-characteristic'>{escape(q.characteristic_names)}</td></tr>"
        for q in missed
    )
    return (
        '<div class="ak-gradebook-missed"><h2>Most-missed questions</h2>'
        "<table><tr><th scope='col'>Assignment</th><th scope='col'>Question</th>"
        "<th scope='col'>Students who lost points</th><th scope='col'>Mean score</th>"
        f"<th scope='col'>Characteristic practised</th></tr>{rows}</table></div>"
    )


BUCKET_LABELS = {
    "full": "full points",
    "partial": "some points",
    "none": "no points",
    "waiting": "waiting for manual grading",
}


def question_buckets(assignment) -> dict[str, list[int]]:  # noqa: ANN001
    """Per question, how many students got full, part or no points, or still wait."""
    buckets: dict[str, list[int]] = {key: [] for key in BUCKET_LABELS}
    for q in assignment.questions:
        full = sum(1 for s in q.scores if s >= q.max_score - 1e-9)
        none = sum(1 for s in q.scores if s <= 1e-9)
        buckets["full"].append(full)
        buckets["none"].append(none)
        buckets["partial"].append(len(q.scores) - full - none)
        buckets["waiting"].append(q.waiting)
    return buckets


def distributions_table_html(assignment) -> str:  # noqa: ANN001
    """Both charts' numbers as tables, for whoever cannot see or read a chart."""
    counts: dict[float, int] = {}
    for total in assignment.totals.values():
        counts[round(total)] = counts.get(round(total), 0) + 1
    totals = "".join(
        f"<tr><th scope='row'>{points:g}</th><td>{count}</td></tr>"
        for points, count in sorted(counts.items())
    )
    buckets = question_buckets(assignment)
    questions = "".join(
        f"<tr><th scope='row'>{escape(q.question)}</th>"
        + "".join(f"<td>{buckets[key][n]}</td>" for key in BUCKET_LABELS)
        + "</tr>"
        for n, q in enumerate(assignment.questions)
    )
    head = "".join(f"<th scope='col'>{escape(label)}</th>" for label in BUCKET_LABELS.values())
    name = escape(assignment.name)
    return (
        "<details class='ak-chart-table'><summary>The charts' numbers as tables</summary>"
        f"<table><caption>{name}: students per total score (of {assignment.max_score:g})"
        "</caption><tr><th scope='col'>Total points</th><th scope='col'>Students</th></tr>"
        f"{totals}</table><table><caption>{name}: students per question</caption>"
        f"<tr><th scope='col'>Question</th>{head}</tr>{questions}</table></details>"
    )


def totals_figure(assignment):  # noqa: ANN001, ANN201 - lazy plotly
    """Histogram of total scores: how the group is spread, not who is where."""
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Histogram(
            x=list(assignment.totals.values()),
            xbins={"start": -0.5, "end": assignment.max_score + 0.5, "size": 1},
            marker_color="#1f5f8b",
            name="students",
        )
    )
    fig.update_layout(
        title=f"{assignment.name}: total scores",
        xaxis={
            "title": f"total points (of {assignment.max_score:g})",
            "range": [-0.5, assignment.max_score + 0.5],
        },
        yaxis={"title": "students", "dtick": 1},
        height=320,
        width=560,
        margin={"l": 50, "r": 20, "t": 50, "b": 45},
        bargap=0.1,
    )
    return private_chart(fig)


def questions_figure(assignment):  # noqa: ANN001, ANN201 - lazy plotly
    """Per question: how many students got full, part, no points, or wait for a grader."""
    import plotly.graph_objects as go

    names = [q.question for q in assignment.questions]
    buckets = question_buckets(assignment)
    labels = BUCKET_LABELS
    fig = go.Figure(
        [
            go.Bar(y=names, x=values, name=labels[key], orientation="h", marker_color=COLOURS[key])
            for key, values in buckets.items()
        ]
    )
    fig.update_layout(
        barmode="stack",
        title=f"{assignment.name}: score per question",
        xaxis={"title": "students", "dtick": 1},
        yaxis={"autorange": "reversed"},
        height=120 + 32 * len(names),
        width=760,
        margin={"l": 210, "r": 20, "t": 50, "b": 45},
        legend={"orientation": "h", "y": -0.25},
    )
    return private_chart(fig)


def questions_download(overview: Any) -> str:
    """The per-question table as CSV for a spreadsheet.

    Assignment, notebook and question names come from whoever wrote the course, so every cell
    a spreadsheet would run as a formula is made inert by the journal export's own rule. Rows
    end in CRLF (RFC 4180): the writer then also quotes a cell holding a bare carriage return,
    which with a plain newline would split the row in two.
    """
    import csv
    import io

    from ..exercises.gradebook import CSV_FIELDS, question_rows
    from ..journal.exchange import neutralise_cell

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in question_rows(overview):
        writer.writerow(
            {k: neutralise_cell(v) if isinstance(v, str) else v for k, v in row.items()}
        )
    return out.getvalue()


def download_html(csv_text: str) -> str:
    data = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return (
        '<p class="ak-gradebook-download">'
        f'<a download="{CSV_NAME}" href="data:text/csv;charset=utf-8;base64,{data}">'
        f"Download {CSV_NAME}</a> (one row per question; no student names)</p>"
    )


class GradebookPage:
    def __init__(self, path: Path | None = None) -> None:
        from ..exercises.gradebook import gradebook_path

        self.path = Path(path) if path else gradebook_path()
        self.status = Status()
        self.body = widgets.VBox()
        self.body.add_class("ak-gradebook")
        self.overview = None
        self.charts = widgets.VBox()
        self.charts.add_class("ak-gradebook-charts")
        self._figures: dict[str, list] = {}

    def build(self) -> widgets.VBox:
        from ..exercises.gradebook import GradebookError, read_overview

        if not self.path.is_file():
            self.body.children = [widgets.HTML(empty_html(self.path))]
            return self.body
        try:
            self.overview = read_overview(self.path)
        except GradebookError as exc:
            self.status.show(str(exc), "warn")
            self.body.children = [self.status]
            return self.body
        if not self.overview.assignments:
            self.body.children = [widgets.HTML(empty_html(self.path))]
            return self.body
        names = [a.name for a in self.overview.assignments]
        self.choice = widgets.ToggleButtons(
            options=names, description="Assignment", style={"button_width": "auto"}
        )
        self.choice.add_class("ak-gradebook-assignment")
        self.choice.observe(safe(self.status)(self._show_assignment), names="value")
        export = widgets.Button(description="Export CSV", icon="download")
        export.add_class("ak-gradebook-export")
        export.on_click(safe(self.status)(self._export))
        self.download = widgets.HTML()
        self.body.children = [
            widgets.HTML(summary_html(self.overview)),
            widgets.HTML(missed_html(self.overview)),
            widgets.HTML("<h2>Score distributions</h2>"),
            self.choice,
            self.charts,
            widgets.HTML("<h2>Export</h2>"),
            widgets.HBox([export, self.download]),
            self.status,
        ]
        self._show_assignment()
        return self.body

    def _show_assignment(self, _change: object = None) -> None:
        name = self.choice.value
        if name not in self._figures:
            assignment = next(a for a in self.overview.assignments if a.name == name)
            totals = widgets.Box([totals_figure(assignment)])
            totals.add_class("ak-gradebook-totals")
            questions = widgets.Box([questions_figure(assignment)])
            questions.add_class("ak-gradebook-questions")
            numbers = widgets.HTML(
                distributions_table_html(assignment), layout=widgets.Layout(width="100%")
            )
            numbers.add_class("ak-gradebook-numbers")
            self._figures[name] = [totals, questions, numbers]
        self.charts.children = self._figures[name]

    def _export(self, _button: object = None) -> None:
        self.download.value = download_html(questions_download(self.overview))
        self.status.show("The CSV is ready: use the download link.", "ok")


def show(path: Path | None = None) -> None:
    from IPython.display import display

    from ..paths import shared_server

    if shared_server() and path is None:
        from .shared_mode import GRADEBOOK_OFF, off_page

        display(off_page(TITLE, GRADEBOOK_OFF))
        return
    gradebook = GradebookPage(path)
    display(page(TITLE, gradebook.build(), intro=INTRO))
