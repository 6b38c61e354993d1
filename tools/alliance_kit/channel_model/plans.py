"""Contact-plan rules in plain words ("in person for the first 6 weeks, then alternate video
and phone", or in Dutch "eerste 6 weken face-to-face, daarna afwisselend video en telefoon")
read as one channel per week.

The parser knows the English and the Dutch words at once, whatever the page's language: a
Dutch officer may type "phone", an English page may be fed a Dutch rule, and the plan is the
same. Only its sentences (what it did not understand, the help) follow the active language.

Pure Python, no numpy: the contact-plan exercise reads a trainee's rule without paying for the
simulation.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import lazy_re
from ..alliance import CHANNELS
from ..i18n import N_, _

#: A preset's name and its rule, both English source text: the page shows each through ``_()``
#: (:func:`preset_rule`), so a Dutch page puts the Dutch rule in the text box.
PRESETS: dict[str, str] = {
    N_("Face-to-face every week"): N_("face-to-face"),
    N_("Face-to-face for 6 weeks, then alternate video and phone"): N_(
        "in person for the first 6 weeks, then alternate video and phone"
    ),
    N_("Alternate video and phone from the start"): N_("alternate video and phone"),
    N_("Phone every week"): N_("phone"),
    N_("Video every week"): N_("video"),
    N_("Face-to-face for 4 weeks, then monthly in person with messaging between"): N_(
        "face-to-face for 4 weeks, then alternate face-to-face, messaging, messaging, messaging"
    ),
}
#: The example under an empty rule box, shown through ``_()``.
EXAMPLE_RULE = N_("in person for the first 6 weeks, then alternate video and phone")

# Each alternative is a fixed word or a word with a bounded tail: no nested repetition, so a
# long rule costs linear time (tests/test_input_bounds.py).
_CHANNEL_WORDS = lazy_re.compile(
    r"\b(?:(?P<video>video(?:[- ]?(?:calls?|gesprek(?:ken)?|bellen))?|beeldbellen)"
    r"|(?P<f2f>face[- ]to[- ]face|in[- ]person|f2f|office|home[- ]visits?|persoonlijke?|"
    r"op\s+(?:het\s+)?kantoor|kantoor|huisbezoek(?:en)?)"
    r"|(?P<messaging>messag\w*|texts?|texting|chat|whatsapp\w*|bericht(?:en)?|app(?:en|je|jes)?|"
    r"sms(?:'?en|je|jes)?|chatten)"
    r"|(?P<phone>(?:tele)?phone(?:[- ]?calls?)?|calls?|"
    r"telefo(?:on|nisch|ongesprek(?:ken)?|ontjes?)|bellen|gebeld))\b"
)
_GROUP_CHANNEL = {
    "video": "video",
    "f2f": "face-to-face",
    "messaging": "messaging",
    "phone": "phone",
}
_COUNT = lazy_re.compile(
    r"(\d+)\s*(?:x\b|weeks?\b|times\b|weken\b|keer\b|maal\b)"
    r"|\bfor\s+(?:the\s+)?(?:first\s+|next\s+)?(\d+)(?:\s*(?:weeks?|x|times)\b)?"
)
#: Words that split a rule into parts, in either language.
_THEN = lazy_re.compile(r";|\n|\b(?:then|daarna|dan|vervolgens)\b")
#: Words that make a part with several channels take turns.
_ALTERNATE = lazy_re.compile(
    r"\balternat|\bcycl|\brotat|\bturns\b|\bafwissel|\bwissel|\bom\s+en\s+om\b|\bbeurt"
)
#: Words a rule may hold that change nothing: anything else is reported, never guessed at.
_FILLER = lazy_re.compile(
    r"\b(?:alternat\w*|cycl\w*|rotat\w*|take\s+turns|in\s+turns|between|through|and|or|of|"
    r"the|a|an|every\s+week|each\s+week|weekly|per\s+week|a\s+week|from\s+the\s+start|"
    r"from\s+then\s+on|after\s+that|afterwards|rest(?:\s+of\s+the\s+(?:plan|weeks|period))?|"
    r"remaining(?:\s+weeks)?|sessions?|contacts?|appointments?|meetings?|by|via|on|all|"
    r"only|start|first|next|for|until\s+the\s+end|"
    # Dutch
    r"afwisselend|afwisselen|wisselend|wisselen|om\s+en\s+om|om\s+de\s+beurt|en|of|de|het|"
    r"een|elke\s+week|iedere\s+week|wekelijks|per\s+week|in\s+de\s+week|"
    r"vanaf(?:\s+het\s+begin|\s+de\s+start)?|meteen|direct|"
    r"de\s+rest(?:\s+van\s+(?:het\s+plan|de\s+weken|de\s+periode|het\s+toezicht))?|"
    r"resterende(?:\s+weken)?|overige(?:\s+weken)?|gesprek(?:ken)?|contact(?:en|momenten?)?|"
    r"afspraa?k(?:en)?|met|per|door|ertussen|daartussen|tussendoor|alleen|eerst|eerste|"
    r"volgende|gedurende|tot\s+het\s+einde|tot\s+het\s+eind|op|voor|lang)\b"
)
_WORD = lazy_re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
CHANNEL_HELP = N_("face-to-face (or: in person), phone, video, messaging")
#: A rule is a sentence or two; anything longer is not a plan and must not cost the kernel time.
MAX_RULE_CHARS = 500
#: Ten years of weekly contact: the longest plan the model accepts.
MAX_WEEKS = 520
RULE_HELP = N_(
    'A rule knows channel names, "for N weeks", "alternate" and "then"; the model '
    "plans one contact every week."
)


def preset_rule(preset: str) -> str:
    """The rule of ``preset`` in the active language: what the page puts in the text box."""
    return _(PRESETS[preset])


def preset_of(rule: str) -> str | None:
    """The preset whose rule, in English or in the active language, is ``rule``; else None."""
    text = rule.strip()
    return next((k for k, v in PRESETS.items() if text in (v, _(v))), None)


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
        raise ValueError(
            _("Could not find a channel in %(part)s. Use %(channels)s.")
            % {"part": _shown(part), "channels": _(CHANNEL_HELP)}
        )
    if len(channels) > 1 and not _ALTERNATE.search(part):
        raise ValueError(
            _(
                '%(part)s names more than one channel: say "alternate" to take turns, or '
                'split it with "then".'
            )
            % {"part": _shown(part)}
        )
    masked = _CHANNEL_WORDS.sub("|", part)
    count = _COUNT.search(masked)
    n = None
    if count:
        digits = count.group(1) or count.group(2)
        n = int(digits) if len(digits) <= 6 else MAX_WEEKS + 1
        if n < 1:
            raise ValueError(
                _("%(part)s: the number of weeks must be at least 1.") % {"part": _shown(part)}
            )
        if n > weeks:
            raise ValueError(
                _("%(part)s: %(count)s weeks is longer than the whole plan (%(weeks)s weeks).")
                % {
                    "part": _shown(part),
                    "count": digits if len(digits) <= 6 else _("that many"),
                    "weeks": weeks,
                }
            )
        masked = masked[: count.start()] + "|" + masked[count.end() :]
    return channels, n, _not_understood(masked)


def _channel_word(channel: str) -> str:
    """A channel as a rule in the active language names it ("telefoon" on a Dutch page)."""
    return _(CHANNELS[channel]).lower()


def _example(channels: list[str]) -> str:
    """A part with a count, as the user would type it: the fix for a part that lacks one."""
    words = ", ".join(_channel_word(c) for c in channels)
    if len(channels) == 1:
        return _("%(channel)s for 4 weeks") % {"channel": words}
    return _("alternate %(channels)s for 4 weeks") % {"channels": words}


def parse_plan(rule: str | Sequence[str], weeks: int = 26) -> tuple[str, ...]:
    """Turn a rule such as "in person for the first 6 weeks, then alternate video and phone"
    (or "eerste 6 weken face-to-face, daarna afwisselend video en telefoon") into one channel
    per week.

    Parts are joined by "then" / "daarna" / "dan" or ";". A part names one channel, or
    "alternate A and B (and C...)" ("afwisselend A en B"); it may say for how many weeks ("for
    6 weeks", "6 weeks of", "6x", "6 weken", "6 keer"). A part without a count fills the
    remaining weeks, so it must come last; if all parts have counts and do not reach the end,
    the whole rule repeats (e.g. a monthly rhythm). Words the parser does not know (e.g.
    "every other week", "om de week") make it refuse with a sentence naming them, rather than
    quietly reading the rest: a plan that differs from what was typed would teach the wrong
    thing. Every ``ValueError`` carries a sentence for the user, in the active language.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(
            _("A plan covers 1 to %(max)s weeks, not %(weeks)s.")
            % {"max": MAX_WEEKS, "weeks": repr(weeks)}
        )
    if not isinstance(rule, str):
        plan = tuple(rule)
        unknown = [c for c in plan if c not in CHANNELS]
        if unknown:
            shown = ", ".join(_shown(str(c), 30) for c in unknown[:5])
            raise ValueError(
                _("unknown channel(s) %(channels)s; use %(known)s")
                % {"channels": shown, "known": ", ".join(CHANNELS)}
            )
        if len(plan) != weeks:
            raise ValueError(
                _("a plan needs one channel per week: %(weeks)s, not %(count)s")
                % {"weeks": weeks, "count": len(plan)}
            )
        return plan
    if len(rule) > MAX_RULE_CHARS:
        raise ValueError(
            _("The rule is %(length)s characters long; keep it to %(max)s (a sentence or two).")
            % {"length": f"{len(rule):,}", "max": MAX_RULE_CHARS}
        )
    text = rule.strip().lower()
    if not text:
        raise ValueError(
            _("The plan is empty. Name a channel: %(channels)s.") % {"channels": _(CHANNEL_HELP)}
        )
    parts = [p.strip(" ,.") for p in _THEN.split(text) if p.strip(" ,.")]
    if not parts:
        raise ValueError(
            _("The rule has no words, only separators. Name a channel: %(channels)s.")
            % {"channels": _(CHANNEL_HELP)}
        )
    segments: list[tuple[list[str], int | None]] = []
    unclear: list[str] = []
    for part in parts:
        channels, n, phrases = _read_part(part, weeks)
        segments.append((channels, n))
        unclear.extend(p for p in phrases if p not in unclear)
    if unclear:
        listed = ", ".join(_shown(p, 40) for p in unclear[:5])
        raise ValueError(
            _("Did not understand %(words)s, so the rule was not used. %(help)s")
            % {"words": listed, "help": _(RULE_HELP)}
        )
    for channels, n in segments[:-1]:
        if n is None:
            raise ValueError(
                _(
                    "Only the last part of a rule may leave out the number of weeks "
                    '(say e.g. "%(example)s").'
                )
                % {"example": _example(channels)}
            )
    plan: list[str] = []
    while len(plan) < weeks:
        for channels, n in segments:
            span = n if n is not None else weeks - len(plan)
            plan.extend(channels[i % len(channels)] for i in range(span))
            if len(plan) >= weeks:
                break
    return tuple(plan[:weeks])
