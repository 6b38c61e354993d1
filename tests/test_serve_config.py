"""The server's safety defaults, checked on a real server and a real wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest

from alliance_kit.page_list import registry
from alliance_kit.serve import ServeOptions, build_config
from conftest import start_kit_server
from support import REPO


def test_config_defaults_are_safe():
    c = build_config(ServeOptions())
    assert c.Voila.ip == "127.0.0.1"
    assert c.VoilaConfiguration.strip_sources is True
    assert c.VoilaConfiguration.show_tracebacks is False
    assert "@jupyter/nbgrader" in c.VoilaConfiguration.extension_denylist
    assert c.KernelManager.transport == "ipc"
    assert c.MappingKernelManager.cull_idle_timeout == 3600
    assert c.MappingKernelManager.cull_connected is True


def test_a_busy_server_waits_for_a_pages_last_outputs():
    # Under a room's preheat (60 kernels on 2 cores) the widget outputs came after nbclient's
    # 4 seconds and were dropped: the pages were served empty. The hub's servers run the
    # same executor settings.
    from alliance_kit.serve import extension_config

    for c in (build_config(ServeOptions(workshop=30)), extension_config()):
        assert c.VoilaExecutor.iopub_timeout >= 30


def test_loopback_servers_check_the_host_and_others_are_shared():
    from alliance_kit.web_guard import ALLOWED_HOSTS_SETTING

    local = build_config(ServeOptions(port=9000)).Voila.tornado_settings
    assert local[ALLOWED_HOSTS_SETTING] == ["127.0.0.1:9000", "localhost:9000", "[::1]:9000"]
    on_80 = build_config(ServeOptions(port=80)).Voila.tornado_settings[ALLOWED_HOSTS_SETTING]
    assert "localhost" in on_80 and "localhost:80" in on_80  # browsers omit the default port
    assert not ServeOptions().is_shared
    for ip in ("0.0.0.0", "192.168.1.20", "::", ""):
        assert (
            build_config(ServeOptions(ip=ip)).Voila.tornado_settings[ALLOWED_HOSTS_SETTING] is None
        )
        assert ServeOptions(ip=ip).is_shared, ip
    for ip in ("localhost", "::1", "127.0.0.2"):
        assert not ServeOptions(ip=ip).is_shared, ip


def test_pages_may_not_eval():
    c = build_config(ServeOptions())
    csp = c.Voila.tornado_settings["headers"]["Content-Security-Policy"]
    assert "unsafe-eval" not in csp
    assert "script-src 'self' 'unsafe-inline' blob:" in csp


def test_pool_sizes_for_a_workshop():
    # The landing page is served without a kernel: no pool for it, nor for unnamed pages.
    assert ServeOptions().pool_sizes() == {}
    assert ServeOptions(workshop=30).pool_sizes() == {}
    sized = ServeOptions(workshop=30, workshop_pages=["learn_trust"]).pool_sizes()
    assert sized == {"learn_trust.ipynb": 30}
    assert ServeOptions(preheat=False, workshop_pages=["learn_trust"]).pool_sizes() == {}


def test_page_runs_wait_for_output_under_load():
    # nbclient's 4 s let a page arrive without its widgets when a room arrived at once.
    assert build_config(ServeOptions()).VoilaExecutor.iopub_timeout >= 60


def ipython_dir(tmp: Path) -> Path:
    """The IPython folder of the kit's kernels in ``broken_kit``, beside its data folder."""
    return tmp / "ipython"


@pytest.fixture(scope="module")
def broken_kit(tmp_path_factory):
    """A kit whose content folder holds a page that fails while it runs."""
    tmp = tmp_path_factory.mktemp("broken")
    content = tmp / "content"
    shutil.copytree(REPO / "modules", content / "modules")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A page that breaks"),
        nbformat.v4.new_code_cell(
            "secret_detail = 'internal-path'\nraise RuntimeError(secret_detail)"
        ),
    ]
    nbformat.write(nb, content / "modules" / "broken_page.ipynb")
    env = {"ALLIANCE_KIT_CONTENT_DIR": str(content), "IPYTHONDIR": str(ipython_dir(tmp))}
    server = start_kit_server(tmp, ["--no-preheat"], env=env)
    yield server
    server.stop()


@pytest.mark.browser
def test_a_failing_page_shows_a_sentence_not_a_traceback(broken_kit, browser):
    page = browser.new_page()
    try:
        page.goto(f"{broken_kit.url}/voila/render/broken_page.ipynb")
        box = page.wait_for_selector(".ak-error-box", state="visible", timeout=60_000)
        assert "could not be shown" in box.inner_text()
        body = page.inner_text("body")
        assert "Traceback" not in body and "RuntimeError" not in body
        assert "internal-path" not in body and "secret_detail" not in body
    finally:
        page.close()
    assert "RuntimeError" in broken_kit.log()  # the details are in the server log


@pytest.mark.browser
@pytest.mark.parametrize(
    ("address", "locale"),
    [("broken_page.ipynb?lang=nl", "en-GB"), ("broken_page.ipynb", "nl-NL")],
)
def test_a_failing_page_shows_its_sentence_in_dutch(broken_kit, browser, address, locale):
    from dutch import english_left

    context = browser.new_context(locale=locale)
    page = context.new_page()
    try:
        page.goto(f"{broken_kit.url}/voila/render/{address}", wait_until="commit")
        # the loading screen, while the kernel starts, says what it does in Dutch too
        loading = page.wait_for_selector("#loading_text", state="attached", timeout=30_000)
        assert re.search(r"wordt (geopend|voorbereid)", loading.text_content() or "")
        box = page.wait_for_selector(".ak-error-box", state="visible", timeout=60_000)
        text = box.inner_text()
        assert "Dit deel van de pagina kon niet worden getoond" in text
        assert "serverlogboek" in text and "could not be shown" not in text
        assert page.evaluate("document.documentElement.lang") == "nl"
        assert english_left(page.inner_text("body")) == []
    finally:
        context.close()


def test_the_template_carries_the_error_sentence_in_every_language():
    from alliance_kit.i18n import LANGUAGES
    from alliance_kit.serve import extension_config

    for c in (build_config(ServeOptions()), extension_config()):
        kit = c.VoilaConfiguration.resources["alliance"]
        assert kit["languages"] == list(LANGUAGES)
        assert set(kit["error"]) == set(LANGUAGES)
        assert kit["error"]["nl"]["heading"] == "Dit deel van de pagina kon niet worden getoond."
        assert kit["error"]["en"]["heading"] == "This part of the page could not be shown."


def _fetch(url: str, language: str) -> tuple[int, dict, str]:
    import urllib.error

    request = urllib.request.Request(url, headers={"Accept-Language": language})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()


@pytest.mark.parametrize(
    "path", ["/voila/render/no_such_page.ipynb", "/no/such/address", "/voila/render/a/b.ipynb"]
)
def test_a_missing_page_is_the_kits_own_in_the_visitors_language(broken_kit, path):
    from dutch import english_left

    from alliance_kit.serve import CONTENT_SECURITY_POLICY

    status, headers, html = _fetch(f"{broken_kit.url}{path}", "nl-NL,nl;q=0.9")
    assert status == 404
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["Content-Language"] == "nl"
    assert '<html lang="nl">' in html
    assert "Deze pagina bestaat niet" in html and 'href="/voila/render/index.ipynb"' in html
    assert "Not Found" not in html and english_left(html) == []
    # nothing from another host: every link and stylesheet is this server's
    assert "cdn" not in html.lower() and "font-awesome" not in html and "http" not in html

    status, headers, html = _fetch(f"{broken_kit.url}{path}?lang=en", "nl")
    assert status == 404 and headers["Content-Language"] == "en"
    assert "This page does not exist" in html
    assert 'href="/voila/render/index.ipynb?lang=en"' in html


@pytest.mark.parametrize("path", ["/voila/tree", "/voila/tree/", "/voila/tree/learn_trust.ipynb"])
def test_voilas_file_list_leads_to_the_landing_page_in_the_language_asked_for(broken_kit, path):
    """Voila's own file list is English and no way into the kit: the landing page is."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"{broken_kit.url}{path}?lang=nl")
    assert answer.value.code == 302
    assert answer.value.headers["Location"] == "/voila/render/index.ipynb?lang=nl"
    status, headers, html = _fetch(f"{broken_kit.url}{path}", "nl")
    assert status == 200 and headers["Content-Language"] == "nl"
    assert "ak-landing" in html and "cdn" not in html.lower()


def test_served_pages_strip_sources_and_deny_nbgrader(broken_kit):
    page = registry().available()[0].notebook
    source = nbformat.read(REPO / "modules" / page, as_version=4).cells[0].source
    response = urllib.request.urlopen(f"{broken_kit.url}/voila/render/{page}")
    html = response.read().decode()
    assert source.strip().splitlines()[-1] not in html
    assert "nbgrader" not in html  # its lab extension is neither listed nor loaded
    assert "jupyter-widgets" in html  # while the widget manager is
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/voila/static/voila.js",
        "/voila/templates/alliance/static/alliance.css",
        "/voila/render/index.ipynb",
        "/",
    ],
)
def test_every_response_carries_the_security_headers(broken_kit, path):
    from alliance_kit.serve import CONTENT_SECURITY_POLICY

    with urllib.request.urlopen(f"{broken_kit.url}{path}") as response:
        assert response.status == 200
        headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_page_kernels_keep_no_history_on_disk(broken_kit):
    """A page's code is the kit's, so a kernel's input history is worth nothing; written to
    IPython's one history file it costs every kernel a database write at start and makes a
    room's kernels queue for that file's lock."""
    page = registry().available()[0].notebook
    with urllib.request.urlopen(f"{broken_kit.url}/voila/render/{page}") as response:
        assert "jupyter-widgets" in response.read().decode()
    folder = ipython_dir(broken_kit.data_dir.parent)
    assert (folder / "profile_default").is_dir(), "the kernel used this IPYTHONDIR"
    assert list(folder.rglob("history.sqlite*")) == []


def test_root_redirects_to_the_landing_page(broken_kit):
    response = urllib.request.urlopen(f"{broken_kit.url}/")
    assert response.url.endswith("/voila/render/index.ipynb")


def test_wheel_carries_the_content(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 and "hatchling" in result.stderr:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(REPO)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = next(tmp_path.glob("alliance_kit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "alliance_kit/_kit/modules/index.ipynb" in names
    assert "alliance_kit/_kit/modules/pages.yaml" in names
    assert any(n.startswith("alliance_kit/_kit/resource_library/") for n in names)
    assert any(n.startswith("alliance_kit/_kit/exercises/") for n in names)
    assert any(n.endswith("templates/alliance/index.html.j2") for n in names)
    assert "alliance_kit/schemas/pages.schema.json" in names

    # Installed outside the checkout, the package finds its bundled content.
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    check = subprocess.run(
        [sys.executable, "-c", "from alliance_kit import paths; print(paths.kit_root())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == str(target / "alliance_kit" / "_kit")


def test_page_kernels_run_numpys_blas_on_one_thread_unless_the_machine_says(monkeypatch):
    """A kernel per visitor keeps the cores busy: a BLAS thread pool per kernel only costs."""
    from alliance_kit.serve import prepare_environment

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("JUPYTER_PATH", "")
    prepare_environment()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    prepare_environment()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4", "an administrator's own setting stays"
