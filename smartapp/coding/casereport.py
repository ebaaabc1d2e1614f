"""Coding rules for case reports (:mod:`.docstyle` decides from the text that a note is one).

A published case report narrates a whole illness: what the patient had, every finding on the way,
the tests, the treatment and the outcome. It is coded as its narrative reports it (the CodiEsp
convention, CLEF eHealth 2020), not as the claim of one encounter:

- every finding the narrative reports is coded, the symptom beside the diagnosis that explains it
  included, and a symptom named without its site beside the same symptom with its site ("abdominal
  pain" ... "pain in the right hypochondrium"), and a general word ("pain", "bleeding") beside the
  specific findings (``guidelines.prune`` keeps them for these notes; Excludes1 pairs still apply);
- findings named by one general word get the ICD-10-CM Index's NOS code (:data:`NOS_WORDS`, added
  to the narrative NOS words of ``engines/local.py``);
- a combination the guidelines presume ("hypertension" with "chronic renal failure" -> I12.9) is
  not made: CodiEsp codes each code from a mention of its own, hypertension as I10 beside the
  kidney or heart disease (:func:`unlink_presumed`; the combinations a report names in one phrase,
  "hypertensive heart disease", are kept);
- status and history Z codes that describe the patient *at an encounter* are left out: a drug
  given during the course of the illness is not "long-term (current) use", dialysis started for
  the acute illness is not "dependence on renal dialysis", and a history item is coded in the
  report as a finding of the case, not as a status (:func:`drop_encounter_status`).

What stays as everywhere: negated, uncertain, hypothetical, family and history mentions are never
coded as present conditions (the guideline rules and the never-event tests).
"""
from __future__ import annotations

from collections.abc import Sequence

from .guidelines import Item
from .types import EvidenceSpan

# General words a case report uses for a finding of its own, with the Index's NOS code (matched only
# where no other term used the word, and only in case reports): "Disease NOS" (Illness R69),
# "Necrosis - see Gangrene" (I96), "Trauma - see Injury" (T14.90), "Hematoma (traumatic) - see
# Contusion" (T14.8, other injury of unspecified body region).
NOS_WORDS: dict[str, str] = {"disease": "R69", "necrosis": "I96", "trauma": "T14.90", "traumatism": "T14.90",
                             "hematoma": "T14.8", "haematoma": "T14.8"}

# Z codes that state the patient's status at one encounter (long-term drug use Z79, artificial
# openings, transplants, grafts, implants, dependence on machines Z93-Z99) and personal or family
# history (Z80-Z86): not the facts a case narrative reports.
_ENCOUNTER_STATUS = ("Z79", "Z80", "Z81", "Z82", "Z83", "Z84", "Z85", "Z86", "Z93", "Z94", "Z95", "Z96",
                     "Z97", "Z98", "Z99")


def _reported(evidence: Sequence[EvidenceSpan], case_reports: frozenset[str]) -> bool:
    return bool(evidence) and all(e.note_id in case_reports for e in evidence)


def drop_encounter_status(items: list[Item], case_reports: frozenset[str]) -> list[Item]:
    """The items without the encounter status and history Z codes of case-report notes."""
    if not case_reports:
        return items
    return [it for it in items
            if not (it.code.startswith(_ENCOUNTER_STATUS) and _reported(it.evidence, case_reports))]


def unlink_presumed(items: list[Item], case_reports: frozenset[str]) -> list[Item]:
    """Hypertension back to I10 where the guideline rules only presumed its link ("linkage presumed")
    to heart failure or chronic kidney disease in a case report; the partner codes stay as they are."""
    if not case_reports:
        return items
    for it in items:
        if "(linkage presumed)" in it.rationale and it.code.startswith(("I11", "I12", "I13")) \
                and _reported(it.evidence, case_reports):
            own = [e for e in it.evidence if "hypert" in e.text.lower() or "htn" in e.text.lower()]
            it.code = "I10"
            it.evidence = own or it.evidence[:1]
            it.rationale = "case report: hypertension coded from its own mention, no presumed link; " + it.rationale
    return items
