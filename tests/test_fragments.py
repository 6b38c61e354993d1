"""Page HTML comes from autoescaped templates, compiled once for every kernel that follows."""

from __future__ import annotations

import subprocess
import sys


def test_text_from_users_is_escaped_in_a_fragment() -> None:
    from alliance_kit.fragments import render

    html = render("message.html.j2", kind="warn", text='<script>alert("x")</script>')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_compiled_templates_are_kept_for_the_next_kernel(tmp_path) -> None:
    code = (
        "from alliance_kit.fragments import render\n"
        "render('message.html.j2', kind='info', text='hello')\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    kept = list(tmp_path.glob("alliance-kit/templates-*/*"))
    assert kept, "the compiled template should be kept in the user's cache folder"
    folder = kept[0].parent
    assert folder.stat().st_mode & 0o777 == 0o700
    before = {p.name: p.stat().st_mtime_ns for p in kept}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before, (
        "a second kernel reads the kept template instead of compiling it again"
    )
