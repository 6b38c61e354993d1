"""The gradebook overview for educators: what a group got right and wrong, per question.

It reads the course's nbgrader gradebook (``exercises/gradebook.db``, or the file named by
``ALLIANCE_KIT_GRADEBOOK``) read-only through nbgrader's API. Before any work has been
autograded there is no gradebook, and the page explains how to get one instead of failing.
nbgrader, pandas-free statistics and plotly load only when there is a gradebook to show.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..alliance import BY_ID
from ..fragments import render
from ..i18n import N_, _
from .charts import private_chart
from .common import Status, decimal, message_html, page, safe

TITLE = N_("Gradebook overview")
INTRO = N_(
    "How a group did on the exercises: the spread of total scores per assignment, how each "
    "question went, and the questions most students missed with the characteristic they "
    "practise. Read from the course's nbgrader gradebook; nothing here changes a grade."
)
CSV_NAME = "gradebook-questions.csv"
COLOURS = {"full": "#2a9d8f", "partial": "#e9a23b", "none": "#c0392b", "waiting": "#9aa5b1"}


def points(value: float) -> str:
    """A number of points as the visitor's language writes it, without needless decimals."""
    from ..i18n import number

    return number(value, "0.##")


def empty_html(path: Path) -> str:
    """What to do when there is no gradebook yet: the steps, not an error."""
    return render("gradebook_empty.html.j2", path=str(path))


def summary_html(overview) -> str:  # noqa: ANN001 - lazy type (exercises.gradebook.Overview)
    rows = [
        {
            "name": a.name,
            "submissions": len(a.totals),
            "mean": "-" if a.mean_total is None else decimal(a.mean_total),
            "most": points(a.max_score),
            "waiting": a.waiting,
        }
        for a in overview.assignments
    ]
    return render(
        "gradebook_summary.html.j2",
        students=overview.students,
        course=overview.course_id,
        rows=rows,
    )


def characteristic_names(question) -> str:  # noqa: ANN001 - exercises.gradebook.QuestionStats
    """The characteristics a question practises, named in the visitor's language."""
    names = [_(BY_ID[c].name) if c in BY_ID else c for c in question.characteristics]
    return ", ".join(names) or "-"


def missed_html(overview, n: int = 8) -> str:  # noqa: ANN001
    rows = [
        {
            "assignment": q.assignment,
            "question": q.question,
            "missed": q.missed,
            "graded": q.graded,
            "mean": f"{100 * (q.mean_fraction or 0):.0f}%",
            "characteristics": characteristic_names(q),
        }
        for q in overview.most_missed(n)
    ]
    none = Markup(message_html(_("No graded question was missed yet."), "ok"))
    return render("gradebook_missed.html.j2", rows=rows, none=none)


BUCKET_LABELS = {
    "full": N_("full points"),
    "partial": N_("some points"),
    "none": N_("no points"),
    "waiting": N_("waiting for manual grading"),
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
    buckets = question_buckets(assignment)
    return render(
        "gradebook_numbers.html.j2",
        assignment=assignment.name,
        most=points(assignment.max_score),
        totals=[(points(p), count) for p, count in sorted(counts.items())],
        heads=[_(label) for label in BUCKET_LABELS.values()],
        questions=[
            (q.question, [buckets[key][n] for key in BUCKET_LABELS])
            for n, q in enumerate(assignment.questions)
        ],
    )


def totals_figure(assignment):  # noqa: ANN001, ANN201 - lazy plotly
    """Histogram of total scores: how the group is spread, not who is where."""
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Histogram(
            x=list(assignment.totals.values()),
            xbins={"start": -0.5, "end": assignment.max_score + 0.5, "size": 1},
            marker_color="#1f5f8b",
            name=_("students"),
        )
    )
    fig.update_layout(
        title=_("{assignment}: total scores").format(assignment=assignment.name),
        xaxis={
            "title": _("total points (of {most})").format(most=points(assignment.max_score)),
            "range": [-0.5, assignment.max_score + 0.5],
        },
        yaxis={"title": _("students"), "dtick": 1},
        height=320,
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
            go.Bar(
                y=names, x=values, name=_(labels[key]), orientation="h", marker_color=COLOURS[key]
            )
            for key, values in buckets.items()
        ]
    )
    fig.update_layout(
        barmode="stack",
        title=_("{assignment}: score per question").format(assignment=assignment.name),
        xaxis={"title": _("students"), "dtick": 1},
        yaxis={"autorange": "reversed"},
        height=120 + 32 * len(names),
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
    return render("gradebook_download.html.j2", file=CSV_NAME, data=data)


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
            options=names, description=_("Assignment"), style={"button_width": "auto"}
        )
        self.choice.add_class("ak-gradebook-assignment")
        self.choice.observe(safe(self.status)(self._show_assignment), names="value")
        export = widgets.Button(description=_("Export CSV"), icon="download")
        export.add_class("ak-gradebook-export")
        export.on_click(safe(self.status)(self._export))
        self.download = widgets.HTML()
        self.body.children = [
            widgets.HTML(summary_html(self.overview)),
            widgets.HTML(missed_html(self.overview)),
            widgets.HTML(render("gradebook_section.html.j2", title=_("Score distributions"))),
            self.choice,
            self.charts,
            widgets.HTML(render("gradebook_section.html.j2", title=_("Export"))),
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
        self.status.show(_("The CSV is ready: use the download link."), "ok")


def show(path: Path | None = None) -> None:
    from ..paths import shared_server
    from .language import show as show_in_language

    if shared_server() and path is None:
        from .shared_mode import GRADEBOOK_OFF, off_page

        show_in_language(lambda: off_page(TITLE, GRADEBOOK_OFF))
        return
    show_in_language(lambda: page(_(TITLE), GradebookPage(path).build(), intro=_(INTRO)))
