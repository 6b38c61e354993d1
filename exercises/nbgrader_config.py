"""nbgrader configuration of the alliance-kit course (run nbgrader from this folder).

The course folder is the folder of this file, wherever it is copied to, so an educator can copy
``exercises/`` to a course server and run ``nbgrader`` there without editing anything.
"""

import os
import warnings

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.course_id = "alliance-kit"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# The gradebook is gradebook.db in this folder (nbgrader's default); the kit's gradebook page
# reads it from there, or from ALLIANCE_KIT_GRADEBOOK.

# A student's infinite loop must not hold up the class: every cell gets 30 seconds when it is
# autograded (the solutions need well under one), then the kernel is interrupted and the cell
# counts as failed; the rest of the notebook and the other students go on.
c.ExecutePreprocessor.timeout = 30
c.Execute.interrupt_on_timeout = True
# A failing test shows its sentence (the kit's checks print nothing else), and a student's own
# error its plain traceback: IPython's default, which reads and colours the source around every
# frame, cost each notebook with an error a tenth of a second of autograding, more than most of
# its tests. The feedback students get keeps only the error's sentence either way.
c.Execute.extra_arguments = ["--InteractiveShell.xmode=Plain"]
# Once the last cell has run, its outputs are in the notebook: the kernel is stopped at once,
# with any process a student's code left running, instead of being asked to shut down. A
# graceful shutdown cost every notebook 0.2 s of waiting (0.3 s after pandas; 2.5 s when a
# student's process ignored it) and 0.2 CPU-seconds of the kernel's own clean-up, nothing of
# which reaches a grade.
c.Execute.shutdown_kernel = "immediate"

# What students see in place of the solutions (nbgrader's usual markers).
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A Dutch assignment (built by `alliance-kit exercises translate`, which marks its notebook as
# Dutch) releases the same stubs in Dutch: "JOUW ANTWOORD HIER", "# JOUW CODE HIER". The kit's
# ClearSolutions picks them by the notebook's language; the rest of nbgrader's list is its own.
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "alliance_kit.exercises.grading.ClearSolutionsInLanguage",
    "nbgrader.preprocessors.ClearOutput",
    "alliance_kit.exercises.grading.CheckCellMetadataOnce",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "alliance_kit.exercises.grading.CheckCellMetadataOnce",
]
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# Autograding: nbgrader stores each test cell's checksum with its hidden tests but releases it
# without them, so its own OverwriteCells warned "checksum ... has changed" on every hidden-test
# cell of every student. The kit's version restores such a cell quietly when it is exactly what
# was released, and still warns (and restores it) when a student really changed it.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "alliance_kit.exercises.grading.RestoreTestCells",
    "alliance_kit.exercises.grading.CheckCellMetadataOnce",
]

# Autograding runs nbgrader's own steps, with the kit's Execute: it starts each notebook's
# kernel with numpy's linear-algebra library on one thread (no exercise does linear algebra,
# and its thread pool made every notebook that imports numpy or pandas slower to grade).
# Two more of nbgrader's steps do the same work with less waste, here and when generating:
# CheckCellMetadataOnce compiles nbgrader's metadata schema once instead of checking the schema
# itself for every cell (24 ms of every 14-cell notebook, twice), and SaveAutoGradesTogether
# commits a notebook's grades in one transaction instead of one per cell (4 ms each).
c.Autograde.autograde_preprocessors = [
    "alliance_kit.exercises.grading.ExecuteInLeanKernel",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "alliance_kit.exercises.grading.SaveAutoGradesTogether",
    "nbgrader.preprocessors.AssignLatePenalties",
    "alliance_kit.exercises.grading.CheckCellMetadataOnce",
]

# nbgrader 0.9's gradebook builds a submission's rows before adding them to the database
# session, which SQLAlchemy 2 reports as "Object of type <...> not in session, add operation
# ... will not proceed" during autoflush. The rows are added right after (cascading from the
# submission), so no grade is lost; the message only buries the warnings that matter.
warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")

# Feedback goes to students and is kept by them: no hidden tests (a course reused with the next
# group keeps them hidden), errors shortened to the helpers' sentence, no server paths.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "alliance_kit.exercises.grading.FeedbackForStudents",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Submissions downloaded from a learning platform or collected by e-mail: put the files (or a
# zip of them) in downloaded/<assignment>/archive/ and run `nbgrader zip_collect <assignment>`.
# Each file must be named <student id>_<notebook>, e.g. s001_characteristics.ipynb (a student
# id without "_"); the file may sit in any folder of the zip. Files nbgrader cannot place
# (macOS "._" copies, other names) are skipped with a warning.
c.ZipCollectApp.archive_directory = "archive"
c.ZipCollectApp.extracted_directory = "extracted"
c.FileNameCollectorPlugin.named_regexp = (
    r".*[\\/](?P<student_id>[^\\/_.][^\\/_]*)_(?P<file_id>[^\\/]+\.ipynb)$"
)

# Keep the course files that are not notebooks out of the released assignments.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Practice submissions (`alliance-kit exercises practice-submissions`) never came through the
# exchange, so `nbgrader release_feedback` cannot release theirs; remove them with
# `alliance-kit exercises remove-practice` before releasing feedback (see README.md).

# Where assignments are released and collected on a shared server. nbgrader's default is
# /srv/nbgrader/exchange; set NBGRADER_EXCHANGE to use another folder (see README.md).
if os.environ.get("NBGRADER_EXCHANGE"):
    c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]
