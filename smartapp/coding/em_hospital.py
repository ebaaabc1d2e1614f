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
# The note names itself: an admission history and physical, or a progress note of a later day.
_INITIAL_STRONG_RE = re.compile(r"admission (?:h&p|history|note)|history and physical|\bh&p\b|"
                                r"initial (?:hospital|observation)|placed in observation", re.IGNORECASE)
_INITIAL_RE = re.compile(r"admission date|admit(?:ted)? (?:to|for|under)|will admit|admitting diagnos",
                         re.IGNORECASE)
_SUBSEQUENT_STRONG_RE = re.compile(r"progress note|(?:hospital|observation) day (?:#\s*)?\d|\bhd\s*#?\d|"
                                   r"\bpod\s*#?\d|day \d+ of (?:admission|hospitali|stay)", re.IGNORECASE)
_SUBSEQUENT_RE = re.compile(r"subsequent|interval (?:history|events)|overnight", re.IGNORECASE)
# "Discharge time > 30 minutes", "35 minutes spent on discharge": the number and whether it is a
# lower bound ("more than 30").
_MINUTES_RE = re.compile(r"(?P<gt1>more than |over |greater than |> ?|>= ?)?(?P<m1>\d{2,3})\s*(?:minutes|min)\b"
                         r"[^.\n]{0,40}discharg|discharg[^.\n]{0,60}?(?P<gt2>more than |over |greater than |> ?|>= ?)?"
                         r"(?P<m2>\d{2,3})\s*(?:minutes|min)\b", re.IGNORECASE)

_ED = {0: "99282", 1: "99283", 2: "99284", 3: "99285"}
_INITIAL = {0: "99221", 1: "99221", 2: "99222", 3: "99223"}
_SUBSEQUENT = {0: "99231", 1: "99231", 2: "99232", 3: "99233"}
_SAME_DAY = {0: "99234", 1: "99234", 2: "99235", 3: "99236"}


def day_kind(text: str) -> str:
    """'initial', 'subsequent', 'discharge' or 'same_day' for a hospital note (initial by default).

    A note that calls itself a progress note or names a later hospital day is a subsequent day
    even when it says what the patient was "admitted for"; an admission H&P is an initial day.
    """
    discharge = bool(_DISCHARGE_RE.search(text))
    strong_initial = bool(_INITIAL_STRONG_RE.search(text))
    initial = strong_initial or bool(_INITIAL_RE.search(text))
    strong_subsequent = bool(_SUBSEQUENT_STRONG_RE.search(text))
    if discharge and initial and not strong_subsequent and not _SUBSEQUENT_RE.search(text) and re.search(
            r"same[- ]day|admitted and discharged|discharged (?:later )?(?:that|the same) day", text, re.IGNORECASE):
        return "same_day"
    if discharge:
        return "discharge"
    if strong_subsequent and not strong_initial:
        return "subsequent"
    if _SUBSEQUENT_RE.search(text) and not initial:
        return "subsequent"
    return "initial"


def discharge_minutes(text: str) -> int | None:
    """Documented discharge day time in minutes; "more than 30" counts as 31."""
    m = _MINUTES_RE.search(text)
    if not m:
        return None
    minutes = int(m.group("m1") or m.group("m2"))
    lower_bound = m.group("gt1") or m.group("gt2")
    return minutes + 1 if lower_bound and lower_bound.strip() in ("more than", "over", "greater than", ">") \
        else minutes


# 2023 total time thresholds (minutes on the date) for hospital inpatient or observation care: the
# lowest time that reaches each level (levels 0-1 share the lowest code).
_TIME_INITIAL = ((75, 3), (55, 2), (40, 1))
_TIME_SUBSEQUENT = ((50, 3), (35, 2), (25, 1))
_TIME_SAME_DAY = ((85, 3), (70, 2), (45, 1))


def code_for(setting: str, level: int, text: str, minutes: int | None = None) -> tuple[str, str]:
    """(CPT code, our label) for a hospital or ED note at an MDM level 0-3; for hospital and
    observation days documented total time gives the level when it is higher (ED codes have no time)."""
    if setting == ED:
        return _ED[level], f"Emergency department visit, {_LEVEL[level]} MDM"
    where = "observation" if setting == OBSERVATION else "hospital inpatient"
    kind = day_kind(text)
    if kind == "discharge":
        spent = discharge_minutes(text)
        if spent is not None and spent > 30:
            return "99239", f"Discharge day management ({where}), more than 30 minutes ({spent} min documented)"
        return "99238", f"Discharge day management ({where}), 30 minutes or less" + \
            ("" if spent is not None else " (no time documented)")
    table, codes, label = {
        "same_day": (_TIME_SAME_DAY, _SAME_DAY, f"Admission and discharge on the same day ({where})"),
        "subsequent": (_TIME_SUBSEQUENT, _SUBSEQUENT, f"Subsequent {where} day"),
        "initial": (_TIME_INITIAL, _INITIAL, f"Initial {where} day")}[kind]
    t_level = next((lvl for limit, lvl in table if minutes is not None and minutes >= limit), None)
    if t_level is not None and t_level > max(level, 1):
        return codes[t_level], f"{label}, total time {minutes} min"
    return codes[level], f"{label}, {_LEVEL[level]} MDM"


_LEVEL = ("straightforward", "low", "moderate", "high")
HOSPITAL_SETTINGS = frozenset({INPATIENT, OBSERVATION, ED})
