"""The educator's side of the kit: the nbgrader course in ``exercises/`` and what nbgrader lacks.

Students' notebooks import ``checks``, ``datasets`` and ``library`` from here, so those modules
import only the standard library (and pandas for the one data-analysis assignment): every
import is paid once per notebook during autograding. ``course``, ``practice`` and ``gradebook``
serve the ``alliance-kit exercises`` command and the gradebook page; ``grading`` holds the
preprocessors the course's ``nbgrader_config.py`` plugs into autograding and feedback.
"""
