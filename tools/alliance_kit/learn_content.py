"""Where the Learn modules keep their content, how a content file is split into good items and
problems, and the ``alliance-kit check`` entries for questions, practice items and module texts.

The engines (``quiz``, ``trainer``, ``learn_texts``) share one loader so every learn file reports
problems the same way: file, item and field, while the valid items still load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .alliance import BY_ID, CHANNELS, CHARACTERISTIC_IDS
from .content import (
    ContentError,
    Problem,
    definition_schema,
    display_path,
    load_schema,
    read_yaml,
    register_checker,
    schema_problems,
    validate_items,
)
from .paths import SOURCE_LANGUAGE, content_dir

#: A module page needs at least this many questions per characteristic.
MIN_QUESTIONS = 6
#: The trainer needs at least this many utterances in all.
MIN_PRACTICE_ITEMS = 60


def learn_dir(lang: str = SOURCE_LANGUAGE) -> Path:
    return content_dir(lang) / "learn"


def module_id(cid: str) -> str:
    """The page and reflection id of a module, e.g. ``learn_goals_and_conditions``."""
    return "learn_" + BY_ID[cid].id.replace("-", "_")


def load_listed(
    path: Path, kind: str, key: str, definition: str, seen_ids: set[str] | None = None
) -> tuple[list[dict], list[Problem]]:
    """Read a file shaped ``{key: [items]}``; return the valid items and every problem found."""
    where = display_path(path)
    try:
        data: Any = read_yaml(path)
    except ContentError as exc:
        return [], [exc.problem]
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        return [], [Problem(where, f"should be a mapping with a list under '{key}:'", None, key)]
    problems = schema_problems({**data, key: []}, load_schema(kind), where)
    good, item_problems = validate_items(
        where, data[key], definition_schema(kind, definition), seen_ids=seen_ids
    )
    return good, problems + item_problems


# --- alliance-kit check ----------------------------------------------------------------------


@register_checker("questions", "the Learn modules' questions (modules/content/learn/questions/)")
def check_questions() -> list[Problem]:
    from .quiz import read_bank

    bank = read_bank(learn_dir() / "questions")
    problems = list(bank.problems)
    for cid in CHARACTERISTIC_IDS:
        count = len(bank.for_characteristic(cid))
        if count < MIN_QUESTIONS:
            problems.append(
                Problem(
                    display_path(learn_dir() / "questions"),
                    f"has {count} valid question(s) on {cid}; a module needs at least "
                    f"{MIN_QUESTIONS}",
                    None,
                    "characteristic",
                )
            )
    return problems


@register_checker("practice-items", "the practice trainer's utterances (practice_items.yaml)")
def check_practice_items() -> list[Problem]:
    from .trainer import read_items

    path = learn_dir() / "practice_items.yaml"
    items, problems = read_items(path)
    problems = list(problems)
    if len(items) < MIN_PRACTICE_ITEMS:
        problems.append(
            Problem(
                display_path(path),
                f"has {len(items)} valid item(s); the trainer needs at least {MIN_PRACTICE_ITEMS}",
            )
        )
    for field, wanted in (("characteristic", CHARACTERISTIC_IDS), ("channel", tuple(CHANNELS))):
        missing = sorted(set(wanted) - {getattr(i, field) for i in items})
        if missing:
            problems.append(
                Problem(display_path(path), f"has no item for {', '.join(missing)}", None, field)
            )
    return problems


@register_checker("learn-texts", "the Learn modules' texts (modules/content/learn/texts/)")
def check_learn_texts() -> list[Problem]:
    from .learn_texts import read_text

    problems: list[Problem] = []
    for cid in CHARACTERISTIC_IDS:
        problems.extend(read_text(cid)[1])
    return problems
