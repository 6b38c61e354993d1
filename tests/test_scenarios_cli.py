"""``alliance-kit scenarios`` and ``alliance-kit check scenarios`` as an educator runs them."""

from __future__ import annotations

import re
import shutil

from alliance_kit.scenarios import load_cases
from support import REPO, run_cli


def test_scenarios_prints_the_coverage_table():
    result = run_cli("scenarios")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split()
    assert header[:4] == ["Case", "Phase", "Risk", "Client"]
    assert header[-4:] == ["Face-to-face", "Phone", "Video", "Messaging"]
    for case in load_cases().cases:
        row = next(line for line in lines if line.startswith(case.id + " "))
        assert row.count("yes") == len(case.channels), row
        assert case.risk in row.split()
    assert "intake-childcare" in result.stdout and "childcare duties" in result.stdout
    assert "Not yet covered" not in result.stdout


def test_scenarios_prints_the_coverage_figures():
    cases = load_cases().cases
    messaging = sum("messaging" in c.channels for c in cases)
    result = run_cli("scenarios")
    assert result.returncode == 0, result.stdout + result.stderr
    share = round(100 * messaging / len(cases))
    assert (
        f"Messaging: playable in {messaging} of {len(cases)} case(s) ({share}%; "
        "the kit aims for at least 75%)" in result.stdout
    )
    phases = next(line for line in result.stdout.splitlines() if line.startswith("Phases: "))
    for name in ("Intake", "Early supervision", "Established supervision", "Closing"):
        assert re.search(rf"{name} [1-9]", phases), phases


def test_scenarios_markdown_table():
    result = run_cli("scenarios", "--markdown")
    assert result.returncode == 0
    assert result.stdout.startswith("| Case | Phase | Risk | Client situation | Face-to-face |")


def test_broken_case_is_named_by_file_and_scene(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "modules", content / "modules")
    path = content / "modules" / "content" / "scenarios" / "intake-childcare.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("next: end-good", "next: end-great"), encoding="utf-8")
    env = {"ALLIANCE_KIT_CONTENT_DIR": str(content)}

    check = run_cli("check", "scenarios", env=env)
    assert check.returncode == 1
    assert (
        "modules/content/scenarios/intake-childcare.yaml · item scene worry · "
        "field choices[0].next: leads to a scene that does not exist: 'end-great'"
    ) in check.stdout

    listing = run_cli("scenarios", env=env)
    assert listing.returncode == 1
    assert "intake-childcare " not in listing.stdout  # the broken case is left out ...
    assert "early-substance-use" in listing.stdout  # ... the others still load
    assert "problem(s) kept some cases out" in listing.stdout
