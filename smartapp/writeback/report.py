"""The coding report: what was coded for an encounter and by whom, as JSON and as a PDF.

Downloaded from RevRX when the EHR takes no write-back, and the content of the DocumentReference
write-back. It names the encounter by its ids, the codes with their descriptions, who approved, and
which engine suggested them; it quotes no note text and names no patient (the EHR document is filed
on the patient already, and a download should not carry more than the codes).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from smartapp.hcc.mapping import MODEL, MODEL_YEAR, apply_hierarchies
from smartapp.models import CodingRun, Encounter, User
from smartapp.review.approved import ApprovedCode, approved_codes
from smartapp.writeback import pdf

REPORT_VERSION = 1


def _code(c: ApprovedCode, sequence: int | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"system": c.system, "code": c.code, "display": c.display, "category": c.category,
                            "ai_suggested": c.ai_suggested}
    if sequence is not None:
        item["sequence"] = sequence
    if c.original_code:
        item["changed_from"] = c.original_code
    return item


def build_report(encounter: Encounter, run: CodingRun, user: User | None,
                 generated: datetime | None = None) -> dict[str, Any]:
    codes = approved_codes(run)
    return {
        "report": "RevRX coding report", "version": REPORT_VERSION,
        "generated_at": (generated or datetime.now(UTC)).isoformat(timespec="seconds"),
        "generated_by": user.display_name if user else None,
        "encounter": {
            "id": encounter.id, "fhir_encounter_id": encounter.fhir_encounter_id,
            "fhir_patient_id": encounter.fhir_patient_id, "source_system": encounter.source_system,
            "source": encounter.source.value, "type": encounter.encounter_type,
            "date_of_service": encounter.date_of_service.isoformat() if encounter.date_of_service else None,
            "provider": encounter.provider_name,
        },
        "coding_run": {"id": run.id, "engine": run.engine, "engine_version": run.engine_version},
        "diagnoses": [_code(c, i) for i, c in enumerate(codes.diagnoses, start=1)],
        "services": [{**_code(c), "diagnosis_pointers": list(codes.pointers)} for c in codes.lines],
        "rejected": [{"code": code, "reason": reason} for code, reason in codes.rejected],
        "risk_adjustment": _risk_adjustment([c.code for c in codes.diagnoses]),
        "learned": [{"code": s.code, **(s.learned or {})} for s in run.suggestions if s.learned],
    }


def _risk_adjustment(diagnoses: list[str]) -> dict[str, Any]:
    """CMS-HCC V28 categories of the approved diagnoses after this encounter's hierarchies."""
    result = apply_hierarchies(diagnoses)
    return {"model": MODEL, "payment_year": MODEL_YEAR,
            "hccs": [{"hcc": n, "label": h.label, "codes": result.codes_by_hcc[n]} for n, h in result.kept.items()],
            "not_counted": [{"hcc": n, "label": d.hcc.label, "below": d.by.number} for n, d in result.dropped.items()]}


def report_text(report: dict[str, Any]) -> str:
    """The coding summary as plain text: the body of a clinical note (Epic and Oracle take one text
    attachment), no PHI beyond what the chart already holds."""
    enc = report["encounter"]
    when = enc.get("date_of_service") or "unknown date"
    lines = [f"RevRX coding summary, {enc.get('type') or 'encounter'} on {when}",
             f"Approved by {report.get('generated_by') or 'RevRX'} at {report['generated_at']}", "",
             "Diagnoses (ICD-10-CM, in sequence):"]
    lines += [f"  {d['sequence']}. {d['code']} {d['display']}" for d in report["diagnoses"]] or ["  none"]
    lines += ["", "Services (CPT/HCPCS):"]
    lines += [f"  {s['code']} {s['display']}" for s in report["services"]] or ["  none"]
    return "\n".join(lines) + "\n"


def report_json(report: dict[str, Any]) -> bytes:
    return json.dumps(report, indent=2, ensure_ascii=False).encode("utf-8")


def report_pdf(report: dict[str, Any]) -> bytes:
    enc = report["encounter"]
    blocks: list[tuple[str, str]] = [
        ("h1", "RevRX coding report"),
        ("p", f"Encounter {enc['fhir_encounter_id'] or enc['id']} · {enc['type'] or 'Encounter'} · "
              f"date of service {enc['date_of_service'] or 'not recorded'}"),
        ("p", f"Provider: {enc['provider'] or 'not recorded'} · Source: {enc['source']}"),
        ("p", f"Approved by {report['generated_by'] or 'RevRX'} · generated {report['generated_at']}"),
        ("h2", "Diagnoses (ICD-10-CM), in sequence"),
    ]
    for d in report["diagnoses"] or [{"sequence": "-", "code": "none", "display": "", "ai_suggested": False}]:
        blocks.append(("p", f"{d['sequence']}. {d['code']}  {d['display']}{_flags(d)}"))
    blocks.append(("h2", "Visit level and procedures"))
    for s in report["services"] or [{"code": "none", "display": "", "ai_suggested": False}]:
        pointers = ",".join(str(p) for p in s.get("diagnosis_pointers", []))
        linked = f"  (diagnoses {pointers})" if pointers else ""
        blocks.append(("p", f"{s['code']}  {s['display']}{_flags(s)}{linked}"))
    if report["rejected"]:
        blocks.append(("h2", "Suggestions rejected"))
        for r in report["rejected"]:
            blocks.append(("p", f"{r['code']}" + (f": {r['reason']}" if r["reason"] else "")))
    risk = report.get("risk_adjustment") or {}
    if risk.get("hccs") or risk.get("not_counted"):
        blocks.append(("h2", f"Risk adjustment ({risk['model']}, payment year {risk['payment_year']})"))
        for h in risk["hccs"]:
            blocks.append(("p", f"HCC {h['hcc']}  {h['label']}  ({', '.join(h['codes'])})"))
        for h in risk["not_counted"]:
            blocks.append(("p", f"HCC {h['hcc']}  {h['label']}: not counted, below HCC {h['below']}"))
    for learned in report.get("learned") or []:
        if learned.get("kind") == "usually_rejected":
            blocks.append(("small", f"{learned['code']} was shown lower: usually rejected in this organisation "
                                    f"({learned['rejected']} rejections; {learned['reason']})."))
    run = report["coding_run"]
    blocks.append(("small", f"Suggested by the {run['engine']} engine ({run['engine_version'] or 'unknown version'}), "
                            f"coding run {run['id']}. AI = accepted as suggested; codes added or changed by a "
                            "person are not marked."))
    return pdf.render(blocks, title="RevRX coding report")


def _flags(code: dict[str, Any]) -> str:
    flags = []
    if code.get("ai_suggested"):
        flags.append("AI")
    if code.get("changed_from"):
        flags.append(f"changed from {code['changed_from']}")
    return f"  [{'; '.join(flags)}]" if flags else ""
