"""The command each person's server runs on the hub: JupyterHub's single-user server, lighter.

It is ``jupyterhub-singleuser`` as it is, started without the imports no server needs
(``alliance_kit.lighter_start``): when a room logs in at once, the machine would otherwise pay
for them once per person.
"""

from __future__ import annotations

import sys

from alliance_kit.lighter_start import skip_imports


def main() -> None:
    skip_imports()
    from jupyterhub.singleuser import main as singleuser

    sys.exit(singleuser())


if __name__ == "__main__":
    main()
