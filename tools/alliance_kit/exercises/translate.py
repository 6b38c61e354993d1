"""An assignment in another language, built from the English one so the grading stays the same.

A translated assignment is an nbgrader assignment of its own (``source/01-kenmerken``), so an
educator releases, collects and grades it like any other. It is built from the English
notebook and a translation file ``translations/<lang>/<english assignment>.yaml``:

* ``assignment``, ``notebook`` and ``title``: the translated assignment's folder, notebook
  name and title (the notebook's ``title``, shown in the browser's tab);
* ``cells``: the new text of each text cell, by its nbgrader ``grade_id``;
* ``strings``: English text in the code cells (hints, names in messages, docstrings) and its
  translation, replaced only inside string literals and comments, and only in texts of more
  than one word: an answer or an id (``"trust"``) is never translated.

Answers, solutions and tests (hidden ones included) are the English ones, which ``build``
proves by comparing the code with its prose blanked: the two languages grade alike and
share the question tags and practice answers of the English assignment. The setup cell also
switches the checks' own sentences to the language.
"""

from __future__ import annotations

import ast
import copy
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cells import METADATA_KEY, graded_cells, nbgrader_meta, read_yaml_map

TRANSLATIONS_DIR = "translations"
SETUP_ID = "setup"


class TranslationError(ValueError):
    """A translation file that would change more than the words, or misses a cell."""


@dataclass(frozen=True)
class Translation:
    lang: str
    original: str
    assignment: str
    notebook: str
    cells: dict[str, str]
    strings: dict[str, str]
    path: Path
    title: str = ""


def translation_files(course: Path) -> list[Path]:
    return sorted((course / TRANSLATIONS_DIR).glob("*/*.yaml"))


def load(path: Path) -> Translation:
    data = read_yaml_map(path)
    where = f"{path.parent.name}/{path.name}"
    for key in ("assignment", "notebook", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise TranslationError(f"{where}: '{key}' should name the translated {key}")
    for key in ("cells", "strings"):
        if not isinstance(data.get(key) or {}, dict):
            raise TranslationError(f"{where}: '{key}' should be a mapping")
    return Translation(
        lang=path.parent.name,
        original=path.stem,
        assignment=data["assignment"],
        notebook=data["notebook"],
        cells={str(k): str(v).rstrip("\n") for k, v in (data.get("cells") or {}).items()},
        strings={str(k): str(v) for k, v in (data.get("strings") or {}).items()},
        path=path,
        title=data["title"].strip(),
    )


def translations(course: Path) -> list[Translation]:
    return [load(path) for path in translation_files(course)]


def originals(course: Path) -> dict[str, str]:
    """translated assignment -> the English assignment it grades like."""
    return {t.assignment: t.original for t in translations(course)}


def _replace_in_strings(source: str, strings: dict[str, str]) -> str:
    """``source`` with each English text replaced inside string literals and comments only,
    longest first so a short text does not break a longer one."""
    order = sorted(strings, key=len, reverse=True)
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out = []
    for tok in tokens:
        text = tok.string
        if tok.type in (tokenize.STRING, tokenize.COMMENT) or tok.type == getattr(
            tokenize, "FSTRING_MIDDLE", -1
        ):
            for english in order:
                text = text.replace(english, strings[english])
        out.append(tok._replace(string=text))
    return tokenize.untokenize(out)


def _is_prose(text: object) -> bool:
    # Words for people (hints, messages, docstrings) have spaces; answers, ids and names
    # ("trust", "U1", "answers") do not, and must stay as they are.
    return isinstance(text, str) and " " in text.strip()


class _Blank(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant("") if _is_prose(node.value) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        pieces = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return ast.Constant("") if any(_is_prose(p) for p in pieces) else node


def code_shape(source: str) -> str:
    """The code with its prose blank: what must not change between languages (the code, the
    answers, the ids and the names the tests look up)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith("###")]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return source
    return ast.dump(_Blank().visit(tree))


def _setup_source(source: str, lang: str) -> str:
    """The setup cell, also switching the checks to ``lang`` (imported with the other
    helpers when the cell imports them in brackets, as the course's setup cells do)."""
    head = "from alliance_kit.exercises.checks import (\n"
    start = source.find(head)
    end = source.find("\n)", start)
    if start >= 0 and end >= 0:
        source = source[:end] + "\n    use_language," + source[end:]
    elif "\nfrom alliance_kit.exercises.checks import " in "\n" + source:
        lines = source.split("\n")
        i = next(
            i for i, t in enumerate(lines) if t.startswith("from alliance_kit.exercises.checks ")
        )
        lines[i] += ", use_language"
        source = "\n".join(lines)
    else:
        # In the place an import sorter keeps it: before the first kit module after checks.
        lines = source.rstrip("\n").split("\n")
        line = "from alliance_kit.exercises.checks import use_language"
        later = [
            i
            for i, text in enumerate(lines)
            if text.startswith("from alliance_kit.")
            and text.split()[1] > "alliance_kit.exercises.checks"
        ]
        lines.insert(later[0] if later else len(lines), line)
        source = "\n".join(lines)
    call = f'use_language("{lang}")'
    lines = source.rstrip("\n").split("\n")
    body = ast.parse("\n".join(lines)).body
    if body and isinstance(body[-1], ast.Expr):
        # The cell ends by showing something (``df.head()``): it must stay the last line.
        at = body[-1].lineno - 1
        return "\n".join([*lines[:at], call, *lines[at:]])
    return "\n".join(lines) + "\n\n" + call


def build(course: Path, translation: Translation) -> Any:
    """The translated notebook, refused when a text cell is left English or a code cell would
    grade differently."""
    import nbformat

    sources = sorted((course / "source" / translation.original).glob("*.ipynb"))
    if len(sources) != 1:
        raise TranslationError(
            f"{translation.original}: expected one source notebook, found {len(sources)}"
        )
    nb = nbformat.read(sources[0], as_version=4)
    translated = copy.deepcopy(nb)
    # Which stubs nbgrader releases in place of the answers (grading.ClearSolutionsInLanguage).
    translated.metadata[METADATA_KEY] = {"language": translation.lang}
    where = f"{translation.lang}/{translation.original}.yaml"
    seen: set[str] = set()
    for cell in translated.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if cell.cell_type == "markdown":
            if gid not in translation.cells:
                raise TranslationError(f"{where}: no translation for the text cell {gid!r}")
            cell.source = translation.cells[gid]
            seen.add(gid)
            continue
        english = cell.source
        cell.source = _replace_in_strings(english, translation.strings)
        if gid == SETUP_ID:
            cell.source = _setup_source(cell.source, translation.lang)
        elif code_shape(cell.source) != code_shape(english):
            raise TranslationError(f"{where}: the translation changes the code of {gid!r}")
    translated.metadata["title"] = translation.title  # the browser tab shows it
    unknown = sorted(set(translation.cells) - seen)
    if unknown:
        raise TranslationError(f"{where}: cells not in the notebook: {', '.join(unknown)}")
    points = [(nbgrader_meta(c).get("grade_id"), nbgrader_meta(c).get("points")) for c in nb.cells]
    assert points == [
        (nbgrader_meta(c).get("grade_id"), nbgrader_meta(c).get("points")) for c in translated.cells
    ]
    assert len(list(graded_cells(nb))) == len(list(graded_cells(translated)))
    return translated


def target(course: Path, translation: Translation) -> Path:
    return course / "source" / translation.assignment / translation.notebook


def write_all(course: Path) -> list[Path]:
    """Build every translated assignment into ``source/``; returns the notebooks written."""
    import nbformat

    written = []
    for translation in translations(course):
        path = target(course, translation)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build(course, translation), path)
        written.append(path)
    return written
