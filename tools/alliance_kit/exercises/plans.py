"""The contact-plan exercise: three client profiles, research rules, and the channel model.

Plans are written the way the channel-plan page takes them ("in person for the first 6 weeks,
then alternate video and phone"), parsed by :func:`alliance_kit.channel_model.plans.parse_plan`. The
visible tests apply rules that follow from the research summarised in the kit (meet in person
first when risk is high; remote contact alone is not enough for complex needs; no messaging-only
contact and regular in-person contact where domestic abuse is possible; no video without a
private space). A hidden test runs the kit's channel model and asks that the plan does no worse
than phoning every week. The model is a teaching model: the tests compare plans, they never
read its numbers as a forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import _
from .checks import _fail

WEEKS = 26
MODEL_RUNS = 300


@dataclass(frozen=True)
class ClientProfile:
    key: str
    description: str
    settings: dict[str, Any]


PROFILES: dict[str, ClientProfile] = {
    "A": ClientProfile(
        "A",
        "Intake. High risk of reoffending, uses drugs most weeks, not motivated yet; has a "
        "smartphone and data.",
        {"risk": "high", "complex_needs": "substance-use", "motivation": "low"},
    ),
    "B": ClientProfile(
        "B",
        "Low risk, motivated, works part-time and cares alone for two young children; good "
        "phone and internet at home.",
        {"risk": "low", "childcare": True, "motivation": "high"},
    ),
    "C": ClientProfile(
        "C",
        "Medium risk. Lives with a partner; there are signs of domestic abuse. Shares one phone "
        "with the partner and has no private space for a video call.",
        {"risk": "medium", "domestic_abuse": True, "digital_access": "limited"},
    ),
}


def weeks_of(plan: Any, key: str) -> tuple[str, ...]:
    """The plan as one channel per week, or a message saying how to write it."""
    from ..channel_model.plans import parse_plan

    if not isinstance(plan, str) or not plan.strip():
        _fail(
            _(
                "The plan for client {key} should be a sentence such as "
                "'face-to-face for 6 weeks, then alternate video and phone'."
            ).format(key=key)
        )
    try:
        return parse_plan(plan, WEEKS)
    except ValueError as exc:
        _fail(
            _("The plan for client {key} could not be read: {reason}").format(key=key, reason=exc)
        )
        raise  # unreachable: _fail raises


def _longest_gap_without(weeks: tuple[str, ...], channel: str) -> int:
    longest = run = 0
    for week in weeks:
        run = 0 if week == channel else run + 1
        longest = max(longest, run)
    return longest


def check_plan_rules(key: str, plan: Any) -> None:
    """Apply the research rules for client ``key``; a broken rule fails with its reason.

    Returns nothing, so a test cell that ends with it shows no output (nbgrader would read
    output of a test cell as partial credit).
    """
    weeks = weeks_of(plan, key)
    in_person = weeks.count("face-to-face")
    if key == "A":
        if weeks[:4] != ("face-to-face",) * 4:
            _fail(
                _(
                    "Client A is high risk and at intake: the first four weeks should be face "
                    "to face, but your plan starts {weeks}."
                ).format(weeks=", ".join(weeks[:4])),
                _(
                    "remote contact is rated least suitable for first appointments, and the "
                    "relationship needs building before going remote."
                ),
            )
        if in_person < WEEKS // 3:
            _fail(
                _(
                    "Client A meets you in person in {count} of {weeks} weeks; with substance "
                    "use and high risk, plan at least {least}."
                ).format(count=in_person, weeks=WEEKS, least=WEEKS // 3),
                _("clients with complex needs deteriorated when remote contact was all they had."),
            )
    elif key == "B":
        if weeks[0] != "face-to-face":
            _fail(
                _(
                    "Even a low-risk client meets you in person first: start client B's plan "
                    "face to face."
                ),
                _("build the relationship before you go remote."),
            )
        later = weeks[4:]
        if later.count("face-to-face") > len(later) // 2:
            _fail(
                _(
                    "After the first month client B still comes in for {count} of {weeks} weeks. "
                    "With young children and low risk, make at least half of the later contacts "
                    "remote."
                ).format(count=later.count("face-to-face"), weeks=len(later)),
                _("phone was rated more suitable for clients with childcare duties."),
            )
    elif key == "C":
        if set(weeks) == {"messaging"} or weeks.count("messaging") > WEEKS // 4:
            _fail(
                _(
                    "Client C may live with an abusive partner: messages can be read or written "
                    "by someone else, so do not lean on messaging."
                ),
                _("use at most a few messages, and only for practical things."),
            )
        if "video" in weeks:
            _fail(
                _(
                    "Client C has no private space and shares a phone: video calls are not safe "
                    "or possible. Use face-to-face and phone."
                ),
            )
        gap = _longest_gap_without(weeks, "face-to-face")
        if weeks[0] != "face-to-face" or gap > 3:
            _fail(
                _(
                    "With a domestic-abuse concern, see client C in person first and at least "
                    "every fourth week (your plan goes {gap} weeks without meeting in person)."
                ).format(gap=gap),
                _(
                    "remote contact was rated less suitable for victims and perpetrators of "
                    "domestic abuse; in person you can ask safely and see what a call hides."
                ),
            )
    else:
        _fail(
            _("There is no client {key!r}; the clients are {clients}.").format(
                key=key, clients=", ".join(PROFILES)
            )
        )


def check_plan_model(key: str, plan: Any) -> None:
    """The channel model: the plan keeps Trust and risk noticing at least at a phone-only level."""
    import numpy as np

    from ..channel_model.simulation import Profile, simulate

    weeks = weeks_of(plan, key)
    profile = Profile(**PROFILES[key].settings)
    mine = simulate(profile, weeks, runs=MODEL_RUNS, seed=1)
    phone = simulate(profile, ("phone",) * WEEKS, runs=MODEL_RUNS, seed=1)
    if mine.at(WEEKS)["trust"] < phone.at(WEEKS)["trust"]:
        _fail(
            _(
                "In the channel model, your plan for client {key} ends with less Trust than "
                "simply phoning every week."
            ).format(key=key),
            _("try the plan on the channel-plan page and look at the Trust line."),
        )
    if float(np.mean(mine.noticing.median)) < float(np.mean(phone.noticing.median)):
        _fail(
            _(
                "In the channel model, your plan for client {key} notices fewer risk signals "
                "than phoning every week (a teaching assumption, but a direction worth taking "
                "seriously)."
            ).format(key=key)
        )
