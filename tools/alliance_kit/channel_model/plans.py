"""Contact-plan rules in plain words ("in person for the first 6 weeks, then alternate video
and phone") read as one channel per week.

Pure Python, no numpy: the contact-plan exercise reads a trainee's rule without paying for the
simulation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import lazy_re
from ..alliance import CHANNELS
from ..i18n import N_

PRESETS: dict[str, str] = {
    N_("Face-to-face every week"): "face-to-face",
    N_("Face-to-face for 6 weeks, then alternate video and phone"): (
        "in person for the first 6 weeks, then alternate video and phone"
    ),
    N_("Alternate video and phone from the start"): "alternate video and phone",
    N_("Phone every week"): "phone",
    N_("Video every week"): "video",
    N_("Face-to-face for 4 weeks, then monthly in person with messaging between"): (
        "face-to-face for 4 weeks, then alternate face-to-face, messaging, messaging, messaging"
    ),
}

_CHANNEL_WORDS = lazy_re.compile(
    r"\b(?:(?P<video>video(?:[- ]?calls?)?)"
    r"|(?P<f2f>face[- ]to[- ]face|in[- ]person|f2f|office|home[- ]visits?)"
    r"|(?P<messaging>messag\w*|texts?|texting|chat|whatsapp)"
    r"|(?P<phone>(?:tele)?phone(?:[- ]?calls?)?|calls?))\b"
)
_GROUP_CHANNEL = {
    "video": "video",
    "f2f": "face-to-face",
    "messaging": "messaging",
    "phone": "phone",
}
_COUNT = lazy_re.compile(
    r"(\d+)\s*(?:x\b|weeks?\b|times\b)"
    r"|\bfor\s+(?:the\s+)?(?:first\s+|next\s+)?(\d+)(?:\s*(?:weeks?|x|times)\b)?"
)
#: Words a rule may hold that change nothing: anything else is reported, never guessed at.
_FILLER = lazy_re.compile(
    r"\b(?:alternat\w*|cycl\w*|rotat\w*|take\s+turns|in\s+turns|between|through|and|or|of|"
    r"the|a|an|every\s+week|each\s+week|weekly|per\s+week|a\s+week|from\s+the\s+start|"
    r"from\s+then\s+on|after\s+that|afterwards|rest(?:\s+of\s+the\s+(?:plan|weeks|period))?|"
    r"remaining(?:\s+weeks)?|sessions?|contacts?|appointments?|meetings?|by|via|on|all|"
    r"only|start|first|next|for|until\s+the\s+end)\b"
)
_WORD = lazy_re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
CHANNEL_HELP = "face-to-face (or: in person), phone, video, messaging"
#: A rule is a sentence or two; anything longer is not a plan and must not cost the kernel time.
MAX_RULE_CHARS = 500
#: Ten years of weekly contact: the longest plan the model accepts.
MAX_WEEKS = 520
RULE_HELP = (
    'A rule knows channel names, "for N weeks", "alternate" and "then"; the model '
    "plans one contact every week."
)


def _channels_in(segment: str) -> list[str]:
    found = []
    for match in _CHANNEL_WORDS.finditer(segment):
        group = match.lastgroup
        found.append(_GROUP_CHANNEL[group or "phone"])
    return found


def _shown(text: str, limit: int = 60) -> str:
    """Part of the user's rule, quoted in a message: short enough to read."""
    return '"' + (text if len(text) <= limit else text[: limit - 1] + "…") + '"'


def _not_understood(masked: str) -> list[str]:
    """The runs of words left once channels, the count and filler words are taken out."""
    pieces = _FILLER.sub("|", masked).split("|")
    return [" ".join(found) for piece in pieces if (found := _WORD.findall(piece))]


def _read_part(part: str, weeks: int) -> tuple[list[str], int | None, list[str]]:
    """(channels, weeks or None, phrases not understood) of one part of a rule."""
    channels = _channels_in(part)
    if not channels:
        raise ValueError(f"Could not find a channel in {_shown(part)}. Use {CHANNEL_HELP}.")
    if len(channels) > 1 and not re.search(r"\balternat|\bcycl|\brotat|\bturns\b", part):
        raise ValueError(
            f'{_shown(part)} names more than one channel: say "alternate" to take turns, or '
            'split it with "then".'
        )
    masked = _CHANNEL_WORDS.sub("|", part)
    count = _COUNT.search(masked)
    n = None
    if count:
        digits = count.group(1) or count.group(2)
        n = int(digits) if len(digits) <= 6 else MAX_WEEKS + 1
        if n < 1:
            raise ValueError(f"{_shown(part)}: the number of weeks must be at least 1.")
        if n > weeks:
            raise ValueError(
                f"{_shown(part)}: {digits if len(digits) <= 6 else 'that many'} weeks is longer "
                f"than the whole plan ({weeks} weeks)."
            )
        masked = masked[: count.start()] + "|" + masked[count.end() :]
    return channels, n, _not_understood(masked)


def parse_plan(rule: str | Sequence[str], weeks: int = 26) -> tuple[str, ...]:
    """Turn a rule such as "in person for the first 6 weeks, then alternate video and phone"
    into one channel per week.

    Parts are joined by "then" or ";". A part names one channel, or "alternate A and B (and
    C...)"; it may say for how many weeks ("for 6 weeks", "6 weeks of", "6x"). A part without a
    count fills the remaining weeks, so it must come last; if all parts have counts and do not
    reach the end, the whole rule repeats (e.g. a monthly rhythm). Words the parser does not
    know (e.g. "every other week") make it refuse with a sentence naming them, rather than
    quietly reading the rest: a plan that differs from what was typed would teach the wrong
    thing. Every ``ValueError`` carries a sentence for the user.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"A plan covers 1 to {MAX_WEEKS} weeks, not {weeks!r}.")
    if not isinstance(rule, str):
        plan = tuple(rule)
        unknown = [c for c in plan if c not in CHANNELS]
        if unknown:
            shown = ", ".join(_shown(str(c), 30) for c in unknown[:5])
            raise ValueError(f"unknown channel(s) {shown}; use {CHANNEL_HELP}")
        if len(plan) != weeks:
            raise ValueError(f"a plan needs one channel per week: {weeks}, not {len(plan)}")
        return plan
    if len(rule) > MAX_RULE_CHARS:
        raise ValueError(
            f"The rule is {len(rule):,} characters long; keep it to {MAX_RULE_CHARS} "
            "(a sentence or two)."
        )
    text = rule.strip().lower()
    if not text:
        raise ValueError(f"The plan is empty. Name a channel: {CHANNEL_HELP}.")
    parts = [p.strip(" ,.") for p in re.split(r";|\bthen\b|\n", text) if p.strip(" ,.")]
    if not parts:
        raise ValueError(f"The rule has no words, only separators. Name a channel: {CHANNEL_HELP}.")
    segments: list[tuple[list[str], int | None]] = []
    unclear: list[str] = []
    for part in parts:
        channels, n, phrases = _read_part(part, weeks)
        segments.append((channels, n))
        unclear.extend(p for p in phrases if p not in unclear)
    if unclear:
        listed = ", ".join(_shown(p, 40) for p in unclear[:5])
        raise ValueError(f"Did not understand {listed}, so the rule was not used. {RULE_HELP}")
    for channels, n in segments[:-1]:
        if n is None:
            raise ValueError(
                "Only the last part of a rule may leave out the number of weeks "
                f'(say e.g. "{" and ".join(channels)} for 4 weeks").'
            )
    plan: list[str] = []
    while len(plan) < weeks:
        for channels, n in segments:
            span = n if n is not None else weeks - len(plan)
            plan.extend(channels[i % len(channels)] for i in range(span))
            if len(plan) >= weeks:
                break
    return tuple(plan[:weeks])
