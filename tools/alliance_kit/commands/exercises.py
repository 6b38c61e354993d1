"""``alliance-kit exercises``: what the educator needs around nbgrader, not nbgrader itself.

Release, collect, autograde, formgrader, feedback and export stay nbgrader's own commands (see
``exercises/README.md``). These add the checks and the dry run that nbgrader does not offer.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import N_, _

HELP = N_(
    "Educator tools for the nbgrader course: verify the source notebooks, write and remove "
    "practice submissions for a dry run, report the most-missed questions."
)


#: More practice students than a dry run needs would only fill the disk.
MAX_PRACTICE_STUDENTS = 500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .arguments import name, whole_number

    assignment = name(100, _("assignment name"))
    # The same bound for writing and removing: a prefix only one of them takes is a trap.
    prefix = name(40, _("student id prefix"))
    sub = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    verify = sub.add_parser(
        "verify",
        help=_(
            "check every source notebook: valid nbgrader metadata, the solution passes its "
            "own tests, no test passes unanswered, every question tagged"
        ),
    )
    verify.add_argument(
        "assignment", nargs="?", type=assignment, help=_("one assignment (default: all)")
    )
    _course_option(verify)
    verify.add_argument(
        "--no-run", action="store_true", help=_("only check metadata and tags (no kernels)")
    )
    practice = sub.add_parser(
        "practice-submissions",
        help=_(
            "write practice submissions (correct, partly wrong, empty) into submitted/ for a "
            "dry run of autograding and grading"
        ),
    )
    practice.add_argument(
        "assignment", type=assignment, help=_("assignment name, e.g. 01-characteristics")
    )
    practice.add_argument(
        "--students",
        type=whole_number(1, MAX_PRACTICE_STUDENTS),
        default=6,
        help=_("how many (default 6, at most {most})").format(most=MAX_PRACTICE_STUDENTS),
    )
    practice.add_argument(
        "--seed",
        type=whole_number(0, 2**31 - 1),
        default=0,
        help=_("which student gets which kind"),
    )
    practice.add_argument("--prefix", type=prefix, default="practice", help=_("student id prefix"))
    practice.add_argument("--force", action="store_true", help=_("replace earlier practice work"))
    _course_option(practice)
    remove = sub.add_parser(
        "remove-practice",
        help=_(
            "remove every practice student (folders and gradebook rows) before releasing "
            "feedback to real students"
        ),
    )
    remove.add_argument("--prefix", type=prefix, default="practice", help=_("student id prefix"))
    _course_option(remove)
    translate = sub.add_parser(
        "translate",
        help=_(
            "build the assignments in other languages (source/01-kenmerken ...) from the "
            "English notebooks and exercises/translations/<lang>/*.yaml"
        ),
    )
    _course_option(translate)
    report = sub.add_parser(
        "report",
        help=_(
            "per-question results from the gradebook: most-missed questions and their "
            "characteristic; --csv writes the table"
        ),
    )
    report.add_argument(
        "--gradebook",
        type=Path,
        help=_("gradebook.db (default: $ALLIANCE_KIT_GRADEBOOK, else the course's gradebook.db)"),
    )
    _course_option(report)
    report.add_argument("--csv", type=Path, help=_("write the per-question table to this file"))
    report.add_argument(
        "--top",
        type=whole_number(1, 1000),
        default=5,
        help=_("how many most-missed questions"),
    )


def _course_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--course", type=Path, help=_("course folder (default: this folder or the kit's)")
    )


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "action", None)
    if action == "verify":
        return _verify(args)
    if action == "practice-submissions":
        return _practice(args)
    if action == "remove-practice":
        return _remove_practice(args)
    if action == "report":
        return _report(args)
    if action == "translate":
        return _translate(args)
    print(
        _(
            "Choose an action: verify, practice-submissions, remove-practice or report, or "
            "translate (see --help)."
        )
    )
    return 2


def _course(args: argparse.Namespace) -> Path:
    from ..exercises.course import default_course_dir

    return (args.course or default_course_dir()).resolve()


def _verify(args: argparse.Namespace) -> int:
    from ..exercises.course import assignments, verify

    course = _course(args)
    if args.assignment and args.assignment not in assignments(course):
        known = ", ".join(assignments(course))
        print(
            _("unknown assignment {name!r}; the course has: {known}").format(
                name=args.assignment, known=known
            )
        )
        return 2

    def progress(path: Path) -> None:
        print(_("checking {path} ...").format(path=path.relative_to(course)), flush=True)

    findings = verify(course, args.assignment, run=not args.no_run, progress=progress)
    if findings:
        print()
        print(_("{count} problem(s) found:").format(count=len(findings)))
        for finding in findings:
            print(f"  - {finding}")
        return 1
    if args.no_run:
        print(_("Metadata, rubrics and question tags are valid (solutions not run: --no-run)."))
    else:
        print(_("Every source notebook is valid and its solution passes its own tests."))
    return 0


def _practice(args: argparse.Namespace) -> int:
    from ..exercises.practice import PracticeError, write_submissions

    course = _course(args)
    try:
        made = write_submissions(
            course, args.assignment, args.students, args.seed, args.force, args.prefix
        )
    except PracticeError as exc:
        print(exc)
        return 1
    for practice in made:
        print(f"{practice.student}: {practice.kind}")
    print()
    print(
        _(
            "{count} practice submission(s) in {folder}. Next: nbgrader autograde {assignment}"
        ).format(count=len(made), folder=course / "submitted", assignment=args.assignment)
    )
    return 0


def _remove_practice(args: argparse.Namespace) -> int:
    from ..exercises.practice import remove_submissions

    course = _course(args)
    removed = remove_submissions(course, args.prefix)
    if not removed:
        print(
            _("No practice students ({prefix}-...) in {course}: nothing to remove.").format(
                prefix=args.prefix, course=course
            )
        )
        return 0
    print(
        _("Removed {count} practice student(s): {names}.").format(
            count=len(removed), names=", ".join(removed)
        )
    )
    print(
        _(
            "Their folders in submitted/, autograded/ and feedback/ and their grades are gone; "
            "real students are untouched."
        )
    )
    return 0


def _translate(args: argparse.Namespace) -> int:
    from ..exercises.translate import TranslationError, write_all

    course = _course(args)
    try:
        written = write_all(course)
    except TranslationError as exc:
        print(_("Nothing was written: {problem}").format(problem=exc))
        return 1
    for path in written:
        print(_("Wrote {path}").format(path=path.relative_to(course)))
    if not written:
        print(_("There are no translations in {folder}.").format(folder=course / "translations"))
    return 0


def _report(args: argparse.Namespace) -> int:
    import os

    from ..exercises.gradebook import (
        GRADEBOOK_ENV,
        GradebookError,
        gradebook_path,
        questions_csv,
        read_overview,
    )

    if args.gradebook:
        path = args.gradebook
    elif os.environ.get(GRADEBOOK_ENV, "").strip():
        path = gradebook_path()
    else:
        path = _course(args) / "gradebook.db"
    try:
        overview = read_overview(path)
    except FileNotFoundError:
        print(
            _("There is no gradebook at {path} yet: autograde some submissions first.").format(
                path=path
            )
        )
        return 1
    except GradebookError as exc:
        print(exc)
        return 1
    print(_("Gradebook {path}: {count} student(s)").format(path=path, count=overview.students))
    for a in overview.assignments:
        mean = "-" if a.mean_total is None else _decimal(a.mean_total, "0.0")
        wait = (
            _(", {count} answer(s) waiting for manual grading").format(count=a.waiting)
            if a.waiting
            else ""
        )
        print(
            "  "
            + _("{name}: {count} submission(s), mean {mean} of {most}{waiting}").format(
                name=a.name,
                count=len(a.totals),
                mean=mean,
                most=_decimal(a.max_score, "0.##"),
                waiting=wait,
            )
        )
    missed = overview.most_missed(args.top)
    print()
    print(_("Most-missed questions:") if missed else _("No question was missed yet."))
    for q in missed:
        print(
            "  "
            + _(
                "{assignment} / {question}: {missed} of {graded} missed (mean {percent}%) · "
                "{characteristics}"
            ).format(
                assignment=q.assignment,
                question=q.question,
                missed=q.missed,
                graded=q.graded,
                percent=f"{100 * (q.mean_fraction or 0):.0f}",
                characteristics=q.characteristic_names,
            )
        )
    if args.csv:
        args.csv.write_text(questions_csv(overview), encoding="utf-8")
        print()
        print(_("Wrote {path}").format(path=args.csv))
    return 0


def _decimal(value: float, pattern: str) -> str:
    """A score as the educator's language writes it (7,5 in Dutch)."""
    from ..i18n import number

    return number(value, pattern)
