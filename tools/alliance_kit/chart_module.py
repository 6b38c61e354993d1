"""plotly's chart module, served once as a file instead of sent with every chart.

A plotly FigureWidget is an anywidget: its browser code (plotly.js and the widget, 5 MB) is a
trait of every chart, so each chart sent those 5 MB from the kernel through the server to the
page, and the browser parsed them again for each chart. On a kit server the chart carries a
few lines instead, which import the module from the server's own address: the browser fetches
it once, keeps it in its cache (the address names plotly's version) and parses it once per
page. Same origin, so the kit's Content-Security-Policy allows it; nothing leaves the machine.

The server side (:func:`route`) and the kernel side (:func:`loader`) meet through an
environment variable the server sets for its kernels; a notebook run anywhere else (JupyterLab,
nbclient in the tests) has no such variable and its charts carry the module as plotly made them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

#: Set by the kit's server for its kernels: the module's address below the server's base URL.
CHART_MODULE_ENV = "ALLIANCE_KIT_CHART_MODULE"
#: plotly's file, in its package's data folder.
BUNDLE = "widgetbundle.js"
#: The kit's folder of served files, below a server's base URL.
FOLDER = "alliance-kit"
#: Where the kit's servers serve plotly's widget module, below their base URL.
ROUTE = f"{FOLDER}/{BUNDLE}"


def bundle_dir() -> Path | None:
    """plotly's package data folder, found without importing plotly (seconds at server start)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "package_data"
    return folder if (folder / BUNDLE).is_file() else None


def address() -> str | None:
    """The module's address below a server's base URL, with plotly's version in it: a browser
    may keep the file for good, and a new plotly gets a new address."""
    if bundle_dir() is None:
        return None
    try:
        plotly_version = version("plotly")
    except PackageNotFoundError:
        return None
    return f"{ROUTE}?v={plotly_version}"


def set_for_kernels() -> None:
    """Tell the server's kernels (they inherit its environment) where the module is served."""
    where = address()
    if where is None:
        os.environ.pop(CHART_MODULE_ENV, None)
    else:
        os.environ[CHART_MODULE_ENV] = where


def route(base_url: str) -> tuple[str, Any, dict[str, Any]] | None:
    """The Tornado route serving the module under ``base_url``; only that one file.

    Tornado's static handler sends it with a cache time of years when asked with ``?v=``, and
    answers a browser's revalidation with 304.
    """
    from jupyter_server.utils import url_path_join
    from tornado import web

    folder = bundle_dir()
    if folder is None:
        return None
    pattern = url_path_join(base_url, FOLDER, f"({re.escape(BUNDLE)})")
    return (pattern, web.StaticFileHandler, {"path": str(folder)})


def loader(where: str) -> str:
    """The few lines a chart carries in place of the module: import it from the page's server.

    anywidget runs them as a module from a ``blob:`` address, where a relative address means
    nothing, so the page's base URL (Voila's and JupyterLab's page config) makes it whole.
    """
    return (
        "// alliance-kit: plotly's widget module, fetched once from the kit's server\n"
        'const config = document.getElementById("jupyter-config-data");\n'
        'const base = (config && JSON.parse(config.textContent).baseUrl) || "/";\n'
        f"const url = new URL(base + {json.dumps(where)}, document.baseURI);\n"
        "const widget = await import(url.href);\n"
        "export default widget.default;\n"
    )


def kernel_address() -> str | None:
    """In a page kernel: where the kit's server serves the module, if it does."""
    return os.environ.get(CHART_MODULE_ENV) or None
