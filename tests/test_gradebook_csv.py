"""The gradebook page's CSV download, on a gradebook written through nbgrader's own API.

Question, notebook and assignment names come from whoever wrote the course; the educator opens
the download in a spreadsheet, where a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would run as a formula.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import sys

from alliance_kit.journal.exchange import restore_cell
from alliance_kit.pages.gradebook import GradebookPage
from alliance_kit.paths import sqlalchemy_sqlite_url

HOSTILE = ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR")


def test_download_makes_formula_cells_inert_and_keeps_the_names(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    path = tmp_path / "gradebook.db"
    with Gradebook(sqlalchemy_sqlite_url(path), course_id="alliance-kit") as gb:
        gb.add_assignment("=HYPERLINK(1)")
        gb.add_notebook("@book", "=HYPERLINK(1)")
        for n, name in enumerate(HOSTILE):
            gb.add_grade_cell(
                name, "@book", "=HYPERLINK(1)", max_score=1, cell_type="code", id=f"c{n}"
            )
        gb.add_grade_cell("plain", "@book", "=HYPERLINK(1)", max_score=1, cell_type="code")
    page = GradebookPage(path)
    page.build()
    page._export()
    href = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', page.download.value)
    text = base64.b64decode(href.group(1)).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert sorted(r["question"] for r in rows) == sorted(["'" + h for h in HOSTILE] + ["plain"])
    assert {r["assignment"] for r in rows} == {"'=HYPERLINK(1)"}
    assert {r["notebook"] for r in rows} == {"'@book"}
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # the apostrophe is the journal's reversible one: the names come back exactly
    assert sorted(restore_cell(r["question"]) for r in rows) == sorted([*HOSTILE, "plain"])
    # numbers stay numbers, ordinary names stay as they were
    plain = next(r for r in rows if r["question"] == "plain")
    assert (plain["max_points"], plain["kind"]) == ("1", "autograded")
