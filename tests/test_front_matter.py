"""The one reader of front matter: the library and the resource-choice exercise agree on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance_kit import front_matter
from alliance_kit.content import ContentError, read_yaml
from alliance_kit.exercises.library import resources
from alliance_kit.library.model import parse_resource

FIELDS = "id: {rid}\ntitle: A {rid}\ncharacteristics: [trust]\nchannels: [phone]\nphases: [early]\n"


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_both_readers_take_the_same_files_and_skip_the_same_broken_ones(tmp_path: Path) -> None:
    _write(tmp_path, "plain.md", f"---\n{FIELDS.format(rid='plain')}---\nBody\n")
    _write(tmp_path, "bom.md", f"\ufeff---\n{FIELDS.format(rid='bom')}---\nBody\n")
    _write(tmp_path, "dots.md", f"---\n{FIELDS.format(rid='dots')}...\nBody\n")
    _write(tmp_path, "list.md", "---\n- just\n- a list\n---\nBody\n")
    _write(tmp_path, "broken.md", "---\nid: broken\ntitle: [unclosed\n---\nBody\n")
    _write(tmp_path, "unclosed.md", f"---\n{FIELDS.format(rid='unclosed')}Body\n")
    _write(tmp_path, "latin1.md", "---\nid: latin1\ntitle: Café\n---\n".encode("latin-1"))

    assert sorted(resources(tmp_path)) == ["bom", "dots", "plain"]
    for name in ("list.md", "broken.md", "unclosed.md", "latin1.md"):
        resource, problems = parse_resource(tmp_path / name)
        assert resource is None and problems, name
        with pytest.raises(ContentError):
            front_matter.read(tmp_path / name, name)
    assert resources(tmp_path)["bom"].characteristics == ("trust",)


def test_split_keeps_the_body_as_written() -> None:
    assert front_matter.split("---\na: 1\n---\n# Title\n\ntext\n") == (
        "a: 1\n",
        "# Title\n\ntext\n",
    )
    assert front_matter.split("no fence\n---\n") is None
    assert front_matter.split("") is None


def test_a_broken_line_is_named_as_the_file_numbers_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "r.md", "---\nid: r\ntitle: ok\nkeywords: [a, b\nsummary: x\n---\n")
    with pytest.raises(ContentError) as err:
        front_matter.read(path, "r.md")
    message = err.value.problem.message
    assert message.startswith("front matter is not valid YAML (line 5")
    assert "for what starts on line 4" in message

    wrong = _write(tmp_path, "list.md", "---\n- a\n---\n")
    with pytest.raises(ContentError, match="should be a set of 'field: value' lines"):
        front_matter.read(wrong, "list.md")
    missing = _write(tmp_path, "none.md", "# Just Markdown\n")
    with pytest.raises(ContentError, match="has no front matter"):
        front_matter.read(missing, "none.md")


def test_a_yaml_file_with_an_unclosed_list_says_where_it_began(tmp_path: Path) -> None:
    path = _write(tmp_path, "texts.yaml", "items:\n  - id: a\n    cites: [x, y\n  - id: b\n")
    with pytest.raises(ContentError) as err:
        read_yaml(path)
    message = str(err.value)
    assert "is not valid YAML (line" in message
    assert "for what starts on line 3" in message
