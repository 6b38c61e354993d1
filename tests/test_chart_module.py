"""plotly's chart module is served by the kit's server once, not carried by every chart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version

from alliance_kit import chart_module

CHART_ESM = """
import json, plotly.graph_objects as go
from alliance_kit.pages.charts import private_chart
chart = private_chart(go.Figure(go.Bar(x=[1], y=[2])))
print(json.dumps({"esm": chart._esm}))
"""


def _esm_in_a_kernel(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != chart_module.CHART_MODULE_ENV}
    if env_value is not None:
        env[chart_module.CHART_MODULE_ENV] = env_value
    out = subprocess.run(
        [sys.executable, "-c", CHART_ESM], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["esm"]


def test_the_address_names_plotly_s_version_so_a_browser_may_keep_the_file():
    assert chart_module.address() == f"alliance-kit/widgetbundle.js?v={version('plotly')}"


def test_on_a_kit_server_a_chart_carries_a_few_lines_not_the_module():
    loader = _esm_in_a_kernel(chart_module.address())
    assert len(loader) < 1_000
    assert f'"{chart_module.address()}"' in loader and "jupyter-config-data" in loader
    # anywhere else (JupyterLab, a script) the chart brings its module with it
    assert len(_esm_in_a_kernel(None)) > 1_000_000


def test_the_route_serves_that_one_file_and_nothing_beside_it():
    import re

    pattern, _handler, options = chart_module.route("/base/")
    assert re.fullmatch(pattern, "/base/alliance-kit/widgetbundle.js")
    assert not re.fullmatch(pattern, "/base/alliance-kit/plotly.min.js")
    assert not re.fullmatch(pattern, "/base/alliance-kit/../package_data/widgetbundle.js")
    assert (chart_module.bundle_dir() / "widgetbundle.js").is_file()
    assert options["path"] == str(chart_module.bundle_dir())
