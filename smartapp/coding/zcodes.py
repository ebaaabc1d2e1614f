"""Personal history (Z85-Z87, Z86) and family history (Z80-Z84) codes for a condition code.

A "history of" breast cancer is not C50 but Z85.3; a mother's diabetes is Z83.3. Maps go from the
condition's code prefix (longest prefix wins) to the Z code. Chronic conditions that clinicians
write as "history of HTN" while still treating them are not here: for those, "history of" means
the patient has the condition (see :data:`CHRONIC_STILL_PRESENT`).
"""
from __future__ import annotations

PERSONAL: dict[str, str] = {
    # Neoplasms -> Z85
    "C50": "Z85.3", "C61": "Z85.46", "C18": "Z85.038", "C19": "Z85.038", "C20": "Z85.048", "C34": "Z85.118",
    "C67": "Z85.51", "C64": "Z85.528", "C43": "Z85.820", "C44": "Z85.828", "C73": "Z85.850", "C53": "Z85.41",
    "C54": "Z85.42", "C56": "Z85.43", "C16": "Z85.028", "C25": "Z85.07", "C62": "Z85.47", "C81": "Z85.71",
    "C82": "Z85.72", "C83": "Z85.72", "C85": "Z85.72", "C91": "Z85.6", "C92": "Z85.6",
    "C93": "Z85.6", "C94": "Z85.6", "C95": "Z85.6", "C71": "Z85.841",
    "C": "Z85.9",
    # Circulatory and others -> Z86 / Z87 / I25.2
    "I21": "I25.2", "I22": "I25.2", "I63": "Z86.73", "G45": "Z86.73", "I26": "Z86.711", "I82": "Z86.718",
    "I46": "Z86.74", "N20": "Z87.442",
    "N13.2": "Z87.442", "N39.0": "Z87.440", "N30": "Z87.440", "J18": "Z87.01", "J15": "Z87.01",
    "F17": "Z87.891", "Z72.0": "Z87.891", "S": "Z87.828", "S02": "Z87.81", "S12": "Z87.81", "S22": "Z87.81",
    "S32": "Z87.81", "S42": "Z87.81", "S52": "Z87.81", "S62": "Z87.81", "S72": "Z87.81", "S82": "Z87.81",
    "S92": "Z87.81", "S06": "Z87.820", "K25": "Z87.11", "K26": "Z87.11", "K27": "Z87.11", "K63.5": "Z86.0100",
    "D12": "Z86.0100", "O24.4": "Z86.32", "U07.1": "Z86.16", "B95.62": "Z86.14", "A49.02": "Z86.14",
    "A41.02": "Z86.14", "A41": "Z86.19", "A": "Z86.19", "B": "Z86.19",
    "K35": "Z87.19", "K80": "Z87.19", "K85": "Z87.19", "D": "Z86.2", "I80": "Z86.72", "L03": "Z87.2",
    "F10": "Z86.59", "F32": "Z86.59", "H66": "Z87.09", "J45.901": "Z87.09", "N17": "Z87.448",
    "D0": "Z86.000", "D1": "Z86.018", "D2": "Z86.018", "D3": "Z86.018", "D4": "Z86.03",
}
FAMILY: dict[str, str] = {
    "C18": "Z80.0", "C19": "Z80.0", "C20": "Z80.0", "C16": "Z80.0", "C25": "Z80.0", "C15": "Z80.0",
    "C34": "Z80.1", "C50": "Z80.3", "C56": "Z80.41", "C61": "Z80.42", "C53": "Z80.49", "C54": "Z80.49",
    "C64": "Z80.51", "C67": "Z80.52", "C91": "Z80.6", "C92": "Z80.6",
    "C93": "Z80.6", "C94": "Z80.6", "C95": "Z80.6", "C81": "Z80.7", "C82": "Z80.7",
    "C83": "Z80.7", "C84": "Z80.7", "C85": "Z80.7", "C86": "Z80.7", "C88": "Z80.7", "C90": "Z80.7",
    "C96": "Z80.7", "C43": "Z80.8", "C": "Z80.9",
    "E10": "Z83.3", "E11": "Z83.3", "E13": "Z83.3", "R73.03": "Z83.3", "E78": "Z83.438", "E0": "Z83.49",
    "E66": "Z83.49", "I21": "Z82.49", "I25": "Z82.49", "I20": "Z82.49", "I10": "Z82.49", "I50": "Z82.49",
    "I48": "Z82.49", "I": "Z82.49", "I63": "Z82.3", "I64": "Z82.3", "G45": "Z82.3", "I46": "Z82.41",
    "J44": "Z82.5", "J45": "Z82.5", "J43": "Z82.5", "G40": "Z82.0", "G30": "Z82.0", "G20": "Z82.0",
    "G35": "Z82.0", "F03": "Z82.0", "G": "Z82.0", "F10": "Z81.1", "F1": "Z81.3", "F": "Z81.8",
    "N18": "Z84.19", "N2": "Z84.19", "N": "Z84.2", "M81": "Z82.62", "M05": "Z82.61", "M06": "Z82.61",
    "M15": "Z82.61", "M16": "Z82.61", "M17": "Z82.61", "M19": "Z82.61", "M": "Z82.69", "K": "Z83.79",
    "K50": "Z83.79", "D5": "Z83.2", "D6": "Z83.2", "H40": "Z83.511", "H": "Z83.518", "Q": "Z82.79",
    "L": "Z84.0", "B20": "Z83.0",
}
# "History of <these>" in a note means a current chronic condition, not a resolved one.
CHRONIC_STILL_PRESENT = frozenset(
    [
        "I10", "I11", "I12", "I13", "E10", "E11", "E13", "E78", "E03", "E05", "E66", "N18", "I48", "I50",
        "J44", "J43", "J45", "K21", "F32", "F33", "F41", "F31", "F43", "F90", "G43", "G47", "G40", "G20",
        "G30", "F03", "M17", "M16", "M19", "M81", "M10", "M06", "I25", "I73", "N40", "B20", "B18", "K58",
        "G62", "L40", "H40", "R73", "I42", "M54", "E55", "D50",
    ])


_DOTLESS = {id(t): {k.replace(".", ""): v for k, v in t.items()} for t in (PERSONAL, FAMILY)}


def _lookup(table: dict[str, str], code: str) -> str | None:
    """Longest matching prefix of the dotless code."""
    key, flat = code.replace(".", ""), _DOTLESS[id(table)]
    return next((flat[key[:n]] for n in range(len(key), 0, -1) if key[:n] in flat), None)


def personal_history(code: str) -> str | None:
    """Z code for "history of <code>", or None when no history code applies."""
    if code[:3] in CHRONIC_STILL_PRESENT or code.startswith("Z"):
        return None
    return _lookup(PERSONAL, code)


def family_history(code: str) -> str | None:
    return None if code.startswith("Z") else _lookup(FAMILY, code)


def is_resolvable(code: str) -> bool:
    """True when a condition listed in past medical history is presumably over (cancer, MI, stroke)."""
    return personal_history(code) is not None and not code.startswith(("R", "A", "B", "D", "J", "L", "K", "H"))
