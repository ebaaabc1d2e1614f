"""E/M for hospital inpatient and observation care and for the emergency department (2023+ rules).

The level comes from the same medical decision making as the office rules (:mod:`.em`): problems,
data and risk, two of three. Hospital and observation care share one code family since 2023:
initial day (99221-99223), subsequent day (99231-99233), same-day admission and discharge
(99234-99236) and discharge day management by time (99238 at most 30 minutes, 99239 more).
Straightforward and low MDM share the lowest level. The emergency department has 99281-99285
(99281 needs no physician decision making; we never suggest it). Which day a note documents comes
from its own words (admission H&P, progress note / hospital day, discharge summary); one code per
note's day. Labels are our own words.
"""
from __future__ import annotations

import re

from .setting import ED, INPATIENT, OBSERVATION

_DISCHARGE_RE = re.compile(r"discharge summary|discharged (?:home|to)|discharge (?:day|diagnos|instructions|"
                           r"medications|condition|disposition)|day of discharge|discharging", re.IGNORECASE)
_INITIAL_RE = re.compile(r"admission (?:h&p|history|note|date)|history and physical|\bh&p\b|admit(?:ted)? (?:to|for|"
                         r"under)|will admit|admitting diagnos|placed in observation|initial (?:hospital|observation)",
                         re.IGNORECASE)
_SUBSEQUENT_RE = re.compile(r"progress note|hospital day (?:#\s*)?\d|\bhd\s*#?\d|\bpod\s*#?\d|subsequent|"
                            r"interval (?:history|events)|overnight|day \d+ of (?:admission|hospitali)",
                            re.IGNORECASE)
_MINUTES_RE = re.compile(r"(\d{2,3})\s*(?:minutes|min)\b[^.\n]{0,40}discharg|discharg[^.\n]{0,60}?(\d{2,3})\s*"
                         r"(?:minutes|min)\b", re.IGNORECASE)

_ED = {0: "99282", 1: "99283", 2: "99284", 3: "99285"}
_INITIAL = {0: "99221", 1: "99221", 2: "99222", 3: "99223"}
_SUBSEQUENT = {0: "99231", 1: "99231", 2: "99232", 3: "99233"}
_SAME_DAY = {0: "99234", 1: "99234", 2: "99235", 3: "99236"}


def day_kind(text: str) -> str:
    """'initial', 'subsequent', 'discharge' or 'same_day' for a hospital note (initial by default)."""
    discharge = bool(_DISCHARGE_RE.search(text))
    initial = bool(_INITIAL_RE.search(text))
    if discharge and initial and not _SUBSEQUENT_RE.search(text) and re.search(
            r"same[- ]day|admitted and discharged|discharged (?:later )?(?:that|the same) day", text, re.IGNORECASE):
        return "same_day"
    if discharge:
        return "discharge"
    if _SUBSEQUENT_RE.search(text) and not initial:
        return "subsequent"
    return "initial"


def code_for(setting: str, level: int, text: str) -> tuple[str, str]:
    """(CPT code, our label) for a hospital or ED note at an MDM level 0-3."""
    if setting == ED:
        return _ED[level], f"Emergency department visit, {_LEVEL[level]} MDM"
    where = "observation" if setting == OBSERVATION else "hospital inpatient"
    kind = day_kind(text)
    if kind == "discharge":
        m = _MINUTES_RE.search(text)
        minutes = int(next(g for g in m.groups() if g)) if m else None
        if minutes is not None and minutes > 30:
            return "99239", f"Discharge day management ({where}), more than 30 minutes ({minutes} min documented)"
        return "99238", f"Discharge day management ({where}), 30 minutes or less" + \
            ("" if minutes is not None else " (no time documented)")
    if kind == "same_day":
        return _SAME_DAY[level], f"Admission and discharge on the same day ({where}), {_LEVEL[level]} MDM"
    if kind == "subsequent":
        return _SUBSEQUENT[level], f"Subsequent {where} day, {_LEVEL[level]} MDM"
    return _INITIAL[level], f"Initial {where} day, {_LEVEL[level]} MDM"


_LEVEL = ("straightforward", "low", "moderate", "high")
HOSPITAL_SETTINGS = frozenset({INPATIENT, OBSERVATION, ED})
