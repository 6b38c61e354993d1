"""The command each person's server runs on the hub: JupyterHub's single-user server, lighter.

Every Jupyter server imports jsonschema for its event schemas, and jsonschema imports
rfc3987-syntax when it is installed, to check the ``iri`` formats. That package builds its
grammar on import: about one CPU-second of each server's start (measured on the 2-core
benchmark machine, a third of a trainee's whole server start), for formats none of the
server's schemas use. When a room logs in at once, the machine pays it once per person. This
command tells Python the package is absent before Jupyter imports jsonschema, then runs
``jupyterhub-singleuser`` as it is.
"""

from __future__ import annotations

import sys

#: Imports a person's server does without: only formats no server schema names need them.
SKIPPED_IMPORTS = ("rfc3987_syntax",)


def skip_imports() -> None:
    for name in SKIPPED_IMPORTS:
        # None in sys.modules makes an import raise ImportError, which jsonschema expects.
        sys.modules.setdefault(name, None)


def main() -> None:
    skip_imports()
    from jupyterhub.singleuser import main as singleuser

    sys.exit(singleuser())


if __name__ == "__main__":
    main()
