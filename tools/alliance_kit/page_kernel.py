"""Start a page's kernel: ipykernel's own, keeping its input history in memory.

A page runs the kit's code, not a visitor's, so the history of what it ran is worth nothing to
anyone. IPython would write it to the one history database in the user's IPython folder: a
database write at every kernel's start (about 0.1 s of CPU), and a room's kernels queueing for
that file's lock. The kit's ``python3`` kernel spec (``jupyter_data/kernels``, first on the
kernel path of ``alliance-kit serve`` and of a hub's servers) starts kernels with this module.

The setting is a default, not a command-line argument: nbclient passes the same one on the
command line, and IPython refuses the same option twice.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    # As ipykernel_launcher does: the working folder leaves the path while the kernel loads,
    # and IPython puts it back for the page's code.
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]

    from ipykernel import kernelapp
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    kernelapp.launch_new_instance(config=config)
