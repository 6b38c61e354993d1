"""What to reflect on after a flagged change: the questionnaire's question for it and up to
three resources from the library (or a short built-in list when the library finds none)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ...alliance import CHANNELS, CHARACTERISTIC_IDS, PHASES
from ...fragments import render
from ...i18n import N_, _, active
from ..language import href
from .labels import char_name

if TYPE_CHECKING:
    from ...journal.analysis import ClientView
    from ...questionnaire import Questionnaire

log = logging.getLogger("alliance_kit")

#: Used when the resource library is not installed or finds nothing: (id, title, summary).
FALLBACK_RESOURCES: dict[str, list[tuple[str, str, str]]] = {
    "goals-and-conditions": [
        (
            "role-clarification-negotiable",
            N_("What is negotiable and what is not"),
            N_("Sort conditions together."),
        ),
        (
            "conditions-in-plain-words",
            N_("Conditions in plain words"),
            N_("A one-page summary to send."),
        ),
        (
            "session-map-four-parts",
            N_("Four-part session map"),
            N_("Check-in, review, work, homework."),
        ),
    ],
    "trust": [
        (
            "dual-role-trust-and-reporting",
            N_("Keeping trust while you must report"),
            N_("Say it early."),
        ),
        (
            "handover-between-officers",
            N_("Handover between officers"),
            N_("Keep trust over a change."),
        ),
        (
            "safe-time-to-talk",
            N_("Is now a safe time to talk?"),
            N_("An opener for remote contact."),
        ),
    ],
    "bond": [
        (
            "reinforcing-prosocial-steps",
            N_("Reinforcing pro-social steps"),
            N_("Notice and name it."),
        ),
        (
            "oars-card",
            N_("OARS card"),
            N_("Open questions, affirmations, reflections, summaries."),
        ),
        (
            "end-of-session-alliance-check",
            N_("End-of-session alliance check"),
            N_("Two questions to close."),
        ),
    ],
    "reactance": [
        (
            "rupture-and-repair",
            N_("Rupture and repair"),
            N_("Name the friction and mend it."),
        ),
        (
            "effective-disapproval-authority",
            N_("Effective authority and disapproval"),
            N_("Firm, fair, calm."),
        ),
        (
            "talking-about-alliance-scores",
            N_("Talking about the scores together"),
            N_("Compare and discuss."),
        ),
    ],
}


def resources_for(cid: str, channel: str | None, phase: str | None, query: str) -> list[dict]:
    """Up to three resources for a characteristic in the page's language: the library's
    search among the versions in that language, else a short list."""
    hits: list[Any] = []
    try:
        from ...library import search
    except ImportError:
        search = None
    if search is not None:
        lang = active()
        attempts = [
            {
                "characteristics": (cid,),
                "channels": (channel,) if channel in CHANNELS else (),
                "phases": (phase,) if phase in PHASES else (),
            },
            {"characteristics": (cid,)},
        ]
        tries = [(query, attempts[0]), (query, attempts[1]), ("", attempts[0]), ("", attempts[1])]
        for text, facets in tries:
            try:
                hits = list(search(text, limit=3, languages=(lang,), language=lang, **facets).hits)
            except Exception:  # the library is optional here: fall back, never fail the page
                log.exception("resource library search failed")
                hits = []
                break
            if hits:
                break
    found = [{"id": h.id, "title": h.title, "summary": getattr(h, "summary", "")} for h in hits[:3]]
    if not found:
        found = [{"id": i, "title": _(t), "summary": _(s)} for i, t, s in FALLBACK_RESOURCES[cid]]
    for resource in found:
        resource["href"] = href(f"library.ipynb?resource={resource['id']}")
    return found


def reflection_html(view: ClientView, qn: Questionnaire) -> str:
    """The flagged changes of one client's trend, each with a question and resources."""
    if not view.flags:
        return ""
    last = view.rows.iloc[-1]
    prompts = []
    for cid in CHARACTERISTIC_IDS:
        flags = [f for f in view.flags if f.characteristic == cid]
        if not flags:
            continue
        refl = qn.reflections.get(cid)
        lines = []
        for f in flags:
            question = (refl.drop if f.kind == "drop" else refl.gap) if refl else ""
            lines.append(f"{f.detail} {question}".strip())
        query = refl.query if refl else char_name(cid)
        prompts.append(
            {
                "id": cid,
                "name": char_name(cid),
                "lines": lines,
                "resources": resources_for(cid, last["channel"], last["phase"], query),
            }
        )
    return render("trends_reflection.html.j2", prompts=prompts)
