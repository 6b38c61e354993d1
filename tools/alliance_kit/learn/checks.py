"""The ``alliance-kit check`` entries for the Learn modules' questions, practice items and
module texts: what the engines load, plus the coverage a module page and the trainer need."""

from __future__ import annotations

from ..alliance import CHANNELS, CHARACTERISTIC_IDS
from ..content import Problem, display_path, register_checker
from ..i18n import N_, _
from .model import learn_dir
from .quiz import read_bank
from .texts import read_text
from .trainer import read_items

#: A module page needs at least this many questions per characteristic.
MIN_QUESTIONS = 6
#: The trainer needs at least this many utterances in all.
MIN_PRACTICE_ITEMS = 60


@register_checker(
    "questions", N_("the Learn modules' questions (modules/content/learn/questions/)")
)
def check_questions() -> list[Problem]:
    bank = read_bank(learn_dir() / "questions")
    problems = list(bank.problems)
    for cid in CHARACTERISTIC_IDS:
        count = len(bank.for_characteristic(cid))
        if count < MIN_QUESTIONS:
            problems.append(
                Problem(
                    display_path(learn_dir() / "questions"),
                    _(
                        "has %(count)s valid question(s) on %(characteristic)s; a module needs "
                        "at least %(needed)s"
                    )
                    % {"count": count, "characteristic": cid, "needed": MIN_QUESTIONS},
                    None,
                    "characteristic",
                )
            )
    return problems


@register_checker("practice-items", N_("the practice trainer's utterances (practice_items.yaml)"))
def check_practice_items() -> list[Problem]:
    path = learn_dir() / "practice_items.yaml"
    items, problems = read_items(path)
    problems = list(problems)
    if len(items) < MIN_PRACTICE_ITEMS:
        problems.append(
            Problem(
                display_path(path),
                _("has %(count)s valid item(s); the trainer needs at least %(needed)s")
                % {"count": len(items), "needed": MIN_PRACTICE_ITEMS},
            )
        )
    for field, wanted in (("characteristic", CHARACTERISTIC_IDS), ("channel", tuple(CHANNELS))):
        missing = sorted(set(wanted) - {getattr(i, field) for i in items})
        if missing:
            problems.append(
                Problem(
                    display_path(path),
                    _("has no item for %(missing)s") % {"missing": ", ".join(missing)},
                    None,
                    field,
                )
            )
    return problems


@register_checker("learn-texts", N_("the Learn modules' texts (modules/content/learn/texts/)"))
def check_learn_texts() -> list[Problem]:
    problems: list[Problem] = []
    for cid in CHARACTERISTIC_IDS:
        problems.extend(read_text(cid)[1])
    return problems
