"""The encounter's setting, which decides the E/M code family.

From FHIR Encounter.class (v3 ActCode: AMB, EMER, IMP, ACUTE, NONAC, OBSENC, SS, HH, VR, PRENC, FLD)
and Encounter.type text, or a plain word ("office", "inpatient", "ED"). The result is one of
:data:`SETTINGS` or None when nothing is known (the office rules are then used, as before).
"""
from __future__ import annotations

import re

OFFICE, INPATIENT, OBSERVATION, ED, HOME, TELEHEALTH = "office", "inpatient", "observation", "ED", "home", "telehealth"
SETTINGS = (OFFICE, INPATIENT, OBSERVATION, ED, HOME, TELEHEALTH)
_CLASS = {
    "amb": OFFICE, "ambulatory": OFFICE, "office": OFFICE, "outpatient": OFFICE, "clinic": OFFICE, "prenc": OFFICE,
    "emer": ED, "emergency": ED, "ed": ED, "er": ED,
    "imp": INPATIENT, "acute": INPATIENT, "nonac": INPATIENT, "inpatient": INPATIENT, "inpatient encounter": INPATIENT,
    "obsenc": OBSERVATION, "observation": OBSERVATION, "ss": OBSERVATION, "short stay": OBSERVATION,
    "hh": HOME, "home": HOME, "home health": HOME, "fld": HOME,
    "vr": TELEHEALTH, "virtual": TELEHEALTH, "telehealth": TELEHEALTH,
}
# Encounter.type text such as "Emergency room admission" or "Hospital admission" (Synthea, SNOMED).
_TYPE_RULES = ((re.compile(r"emergency|\bER\b|\bED\b", re.IGNORECASE), ED),
               (re.compile(r"observation", re.IGNORECASE), OBSERVATION),
               (re.compile(r"inpatient|hospital admission|admission to|hospitali[sz]", re.IGNORECASE), INPATIENT),
               (re.compile(r"telehealth|telemedicine|video visit|virtual", re.IGNORECASE), TELEHEALTH),
               (re.compile(r"home visit|home health", re.IGNORECASE), HOME),
               (re.compile(r"office|outpatient|clinic|well(?:ness)? visit|check[- ]?up|general examination",
                           re.IGNORECASE), OFFICE))


def normalize(class_code: str | None, type_text: str | None = None) -> str | None:
    """The setting for an Encounter's class code and type text; None when neither says.

    The class decides, except that observation stays is often sent as AMB or IMP with a type that
    says "observation"; the type text decides when there is no class we know.
    """
    by_class = _CLASS.get((class_code or "").strip().lower())
    by_type = next((s for pattern, s in _TYPE_RULES if type_text and pattern.search(type_text)), None)
    if by_type == OBSERVATION:
        return OBSERVATION
    return by_class or by_type
