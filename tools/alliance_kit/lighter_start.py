"""Imports the kit's processes do without, so that they start sooner.

Every Jupyter server and every nbformat user imports jsonschema, and jsonschema imports
rfc3987-syntax when it is installed, to check the ``iri`` formats. That package builds some 35
grammars on import: one to two CPU-seconds of every kit server's start on the 2-core benchmark
machine (a third of a hub trainee's whole server start), for formats no Jupyter or kit schema
names. The kit's commands tell Python the package is absent before anything imports jsonschema;
jsonschema then skips only that check. (``make`` leaves it out of the environment altogether,
which also spares every ``nbgrader`` command.)
"""

from __future__ import annotations

import sys

#: Modules the kit's processes do without: only formats no schema of theirs names need them.
SKIPPED_IMPORTS = ("rfc3987_syntax",)


def skip_imports() -> None:
    """Call first thing in a process's entry point, before Jupyter is imported."""
    for name in SKIPPED_IMPORTS:
        # None in sys.modules makes an import raise ImportError, which jsonschema expects.
        sys.modules.setdefault(name, None)
