"""nbgrader configuration of the alliance-kit course (run nbgrader from this folder).

The course folder is the folder of this file, wherever it is copied to, so an educator can copy
``exercises/`` to a course server and run ``nbgrader`` there without editing anything.
"""

import os

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

# What students see in place of the solutions (nbgrader's usual markers).
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# Keep the course files that are not notebooks out of the released assignments.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Where assignments are released and collected on a shared server. nbgrader's default is
# /srv/nbgrader/exchange; set NBGRADER_EXCHANGE to use another folder (see README.md).
if os.environ.get("NBGRADER_EXCHANGE"):
    c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]
