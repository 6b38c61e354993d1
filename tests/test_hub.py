"""The kit on a real JupyterHub: log-in, a kit per person, data kept apart, nbgrader for all.

One hub (with its real proxy and idle culler) runs for the whole module on 127.0.0.1, in a
temporary folder. Headless Chromium logs in through the hub's own log-in page as two trainees
and one educator. The module ends by stopping the hub and checking that no server or kernel
it started is left running.
"""

from __future__ import annotations

import json
import stat
import subprocess

import pytest
from hub_support import (
    CONFIG,
    EDUCATOR,
    EDUCATOR_PASSWORD,
    TRAINEE_PASSWORD,
    hub_command,
    hub_env,
    log_in,
    start_hub,
    xsrf_headers,
)
from playwright.sync_api import expect
from test_reflect_browser import answer

from alliance_kit import chart_module
from alliance_kit.serve import CONTENT_SECURITY_POLICY
from conftest import ERROR_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ANNA, BEN = "anna", "ben"
ASSIGNMENT = "01-characteristics"
COURSE = "alliance-kit"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = start_hub(tmp_path_factory.mktemp("hub"))
    yield hub
    hub.stop()


@pytest.fixture(scope="module")
def people(hub, browser):
    """Log each person in once, through the hub's log-in page, and keep their browser."""
    contexts = {}

    def person(name: str):
        if name not in contexts:
            password = EDUCATOR_PASSWORD if name == EDUCATOR else TRAINEE_PASSWORD
            contexts[name] = log_in(browser, hub, name, password)
        return contexts[name]

    yield person
    for context, _page in contexts.values():
        context.close()


def kit_url(hub, name: str, notebook: str) -> str:
    return f"{hub.url}/user/{name}/voila/render/{notebook}"


def open_kit_page(hub, page, name: str, notebook: str, ready: str = ".ak-page"):
    page.goto(kit_url(hub, name, notebook), wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector(ready, state="visible", timeout=90_000)
    hub.remember_processes()
    return page


def test_hub_refuses_to_start_without_a_password(tmp_path):
    env = hub_env(tmp_path / "data")
    del env["ALLIANCE_KIT_HUB_PASSWORD"]
    result = subprocess.run(
        hub_command(8000), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ALLIANCE_KIT_HUB_PASSWORD is not set" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "data").exists(), "nothing is created before the settings are checked"


def test_trainee_lands_on_the_kit_with_the_kits_defaults(hub, people):
    context, page = people(ANNA)
    external = []
    page.on("request", lambda r: None if "127.0.0.1" in r.url else external.append(r.url))
    expect(page).to_have_url(kit_url(hub, ANNA, "index.ipynb"), timeout=120_000)
    page.wait_for_selector(".ak-page", state="visible", timeout=120_000)
    response = page.request.get(kit_url(hub, ANNA, "index.ipynb"))
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "_xsrf" in {c["name"] for c in context.cookies(f"{hub.url}/user/{ANNA}/")}
    # static files, through the hub's proxy, carry the kit's CSP as on alliance-kit serve
    statics = (
        "voila/static/voila.js",
        "voila/templates/alliance/static/alliance.css",
        chart_module.address(),  # plotly's chart module, served once rather than per chart
    )
    for static in statics:
        served = page.request.get(f"{hub.url}/user/{ANNA}/{static}")
        assert served.ok, (static, served.status)
        assert served.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, static
    body = page.inner_text("body")
    assert not ERROR_TEXT.search(body)
    assert not external, f"requests left the machine: {external}"
    # the kit's sources stay out of the page, as with alliance-kit serve
    assert "landing.show()" not in page.content()
    # nbgrader's course tools are the educators'; a trainee's server does not offer them
    assert page.request.get(f"{hub.url}/user/{ANNA}/formgrader").status == 404


def test_trainee_scores_a_session_and_sees_it_on_the_trends_page(hub, people):
    _context, page = people(ANNA)
    open_kit_page(hub, page, ANNA, "score_session.ipynb", ready=".ak-score-form")
    expect(page.locator(".ak-shared-notice")).to_have_count(0)
    page.locator(".ak-client-code input").fill("K-21")
    page.locator(".ak-client-code input").press("Tab")
    page.locator(".ak-channel select").select_option(label="Video")
    answer(page, "officer", "4")
    page.locator(".ak-save").click()
    expect(page.locator(".ak-status .ak-alert-ok")).to_contain_text(
        "Saved the session", timeout=30_000
    )
    open_kit_page(hub, page, ANNA, "my_trends.ipynb", ready=".ak-trends")
    expect(page.locator(".ak-trend h3")).to_have_text("K-21: 1 session(s)", timeout=30_000)
    expect(page.locator(".ak-trend .js-plotly-plot")).to_be_visible(timeout=30_000)
    # the journal is in Anna's own private folder
    anna_data = hub.data / "users" / ANNA / "kit-data"
    assert (anna_data / "journal.sqlite").is_file()
    for folder in (hub.data / "users" / ANNA, anna_data):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_another_trainee_sees_none_of_it_and_cannot_open_their_server(hub, people):
    _context, page = people(BEN)
    open_kit_page(hub, page, BEN, "my_trends.ipynb", ready=".ak-trends")
    expect(page.locator(".ak-trends")).to_contain_text("no sessions in your journal yet")
    assert "K-21" not in page.inner_text("body")
    ben_files = [f for f in (hub.data / "users" / BEN).rglob("*") if f.is_file()]
    assert not [f for f in ben_files if b"K-21" in f.read_bytes()], "Anna's code in Ben's folder"
    # Ben's browser asks for Anna's pages: the hub refuses, nothing of hers is shown
    for path in ("voila/render/my_trends.ipynb", "api/contents/kit-data", "lab"):
        response = page.request.get(f"{hub.url}/user/{ANNA}/{path}")
        assert response.status == 403, (path, response.status)
        assert "K-21" not in response.text()
    page.goto(kit_url(hub, ANNA, "my_trends.ipynb"), wait_until="domcontentloaded")
    expect(page.locator("body")).to_contain_text("403")
    assert "K-21" not in page.inner_text("body")


def test_educator_releases_trainee_submits_educator_collects_and_autogrades(hub, people):
    edu, edu_page = people(EDUCATOR)
    # educators land on JupyterLab with nbgrader's tools, and the kit's gradebook page works
    expect(edu_page).to_have_url(f"{hub.url}/user/{EDUCATOR}/lab", timeout=120_000)
    api = f"{hub.url}/user/{EDUCATOR}/formgrader/api"
    headers = xsrf_headers(edu, hub, EDUCATOR)

    def formgrader(path: str) -> dict:
        response = edu.request.post(f"{api}/{path}", headers=headers, timeout=180_000)
        assert response.ok, (path, response.status, response.text()[:500])
        result = json.loads(response.text())
        assert result.get("success", True), (path, result)
        return result

    formgrader(f"assignment/{ASSIGNMENT}/assign")
    formgrader(f"assignment/{ASSIGNMENT}/release")

    anna, _anna_page = people(ANNA)
    mine = f"{hub.url}/user/{ANNA}"
    anna_headers = xsrf_headers(anna, hub, ANNA)
    listed = anna.request.get(f"{mine}/assignments?course_id={COURSE}").json()
    assert [a["assignment_id"] for a in listed["value"]] == [ASSIGNMENT]
    form = {"course_id": COURSE, "assignment_id": ASSIGNMENT}
    fetched = anna.request.post(f"{mine}/assignments/fetch", form=form, headers=anna_headers)
    assert fetched.ok, fetched.text()
    notebook_path = f"{ASSIGNMENT}/characteristics.ipynb"
    assert (hub.data / "users" / ANNA / notebook_path).is_file()
    # Anna works on it: her answer goes in through her server's contents API, as Lab saves it
    model = anna.request.get(f"{mine}/api/contents/{notebook_path}").json()
    cells = model["content"]["cells"]
    code = next(c for c in cells if "raise NotImplementedError()" in c["source"])
    code["source"] = code["source"].replace("raise NotImplementedError()", "pass")
    written = next(c for c in cells if "YOUR ANSWER HERE" in c["source"])
    written["source"] = "Naming the conditions early kept the goals shared."
    saved = anna.request.put(
        f"{mine}/api/contents/{notebook_path}",
        data=json.dumps({"type": "notebook", "format": "json", "content": model["content"]}),
        headers={**anna_headers, "Content-Type": "application/json"},
    )
    assert saved.ok, saved.text()
    submitted = anna.request.post(f"{mine}/assignments/submit", form=form, headers=anna_headers)
    assert submitted.ok and "submitted" in submitted.text(), submitted.text()[:500]

    formgrader(f"assignment/{ASSIGNMENT}/collect")
    collected = hub.data / "users" / EDUCATOR / "course" / "submitted" / ANNA / ASSIGNMENT
    assert (collected / "characteristics.ipynb").is_file()
    formgrader(f"submission/{ASSIGNMENT}/{ANNA}/autograde")
    submissions = edu.request.get(f"{api}/submissions/{ASSIGNMENT}").json()
    (submission,) = [s for s in submissions if s["student"] == ANNA]
    assert submission["autograded"] is True
    assert submission["max_score"] > 0

    # the written answer is graded by hand, in the same gradebook
    notebooks = edu.request.get(f"{api}/submitted_notebooks/{ASSIGNMENT}/characteristics").json()
    (notebook,) = [n for n in notebooks if n["student"] == ANNA]
    grades = edu.request.get(f"{api}/grades?submission_id={notebook['id']}").json()
    by_hand = [g for g in grades if g["needs_manual_grade"]]
    assert by_hand, "a written answer waits for the educator"
    for grade in by_hand:
        marked = edu.request.put(
            f"{api}/grade/{grade['id']}",
            data=json.dumps({"manual_score": grade["max_score"]}),
            headers={**headers, "Content-Type": "application/json"},
        )
        assert marked.ok, marked.text()[:300]
    grades = edu.request.get(f"{api}/grades?submission_id={notebook['id']}").json()
    assert not [g for g in grades if g["needs_manual_grade"]]

    # feedback goes back to Anna, and only to Anna
    formgrader(f"assignment/{ASSIGNMENT}/{ANNA}/generate_feedback")
    formgrader(f"assignment/{ASSIGNMENT}/{ANNA}/release_feedback")
    feedback = anna.request.post(
        f"{mine}/assignments/fetch_feedback", form=form, headers=anna_headers
    )
    assert feedback.ok, feedback.text()[:500]
    assert list((hub.data / "users" / ANNA / ASSIGNMENT / "feedback").rglob("*.html"))

    # an educator manages the course, not trainees' servers: Anna's journal stays hers
    assert edu.request.get(f"{hub.url}/user/{ANNA}/api/contents/kit-data").status == 403

    gradebook = edu.new_page()
    open_kit_page(hub, gradebook, EDUCATOR, "gradebook.ipynb")
    expect(gradebook.locator(".ak-page")).to_contain_text(ASSIGNMENT, timeout=60_000)


def test_everything_stops_cleanly(hub, people):
    people(ANNA)  # at least one server with a kernel was running
    processes = hub.remember_processes()
    assert any(
        "alliance-kit-singleuser" in " ".join(p.cmdline()) for p in processes if p.is_running()
    )
    left = hub.stop()
    assert hub.process.returncode is not None
    assert not left, f"still running after the hub stopped: {left}"


def test_deploy_config_is_the_one_documented():
    # the command in the docs and README is the file the tests start
    assert CONFIG.is_file()
    docs = (CONFIG.parents[2] / "docs" / "deploy-jupyterhub.md").read_text(encoding="utf-8")
    assert "jupyterhub -f deploy/jupyterhub/jupyterhub_config.py" in docs
