"""The approved codes as an HL7 v2.5.1 BAR^P12 (Add/Update Diagnosis/Procedure) message.

Epic gives a SMART app no REST write for encounter diagnoses or charges; HIM coding results reach Epic
through its HL7 v2 coding interface ("Coding-Bidirectional" / Encoder interface), which an
organisation's integration team routes. RevRX produces the message from the same approved codes as the
write-back, as a download for that team: one DG1 per diagnosis in sequence (the first is the primary),
one PR1 per visit or procedure code (CPT-4 or HCPCS), the encounter as PV1-19. Site-specific fields
(facility codes, the receiving application, the patient identifier type) vary by interface: the
values here are defaults the integration team maps in their engine.

No Flask, no ORM; the message is checked with hl7apy (strict) before it is offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from smartapp.review.approved import ApprovedCodes
from smartapp.writeback.claim_builder import CPT_SYSTEM

SEGMENT_END = "\r"
VERSION = "2.5.1"


@dataclass(frozen=True)
class MessageInput:
    control_id: str                 # unique per message (MSH-10), at most 20 characters
    patient_id: str                 # the EHR's patient id (PID-3, type PI)
    encounter_id: str               # the EHR's encounter / visit number (PV1-19)
    service_date: date | None
    codes: ApprovedCodes
    patient_name: str = ""          # "Given Family" (PID-5, required by the standard; HL7 null "" if unknown)
    mrn: str = ""                   # PID-3's MR identifier, when the EHR gave one
    operator_id: str = ""           # who approved (EVN-5): the acting user's EHR id
    operator_name: str = ""
    attending_id: str = ""          # the encounter's provider (PV1-7)
    patient_class: str = "O"        # PV1-2: O outpatient, I inpatient, E emergency
    sending_facility: str = ""
    receiving_application: str = "EPIC"
    now: datetime | None = None


def escape(text: str) -> str:
    """HL7 v2 escapes for the default delimiters |^~\\&, and no segment break inside a field."""
    out = text.replace("\\", "\\E\\").replace("|", "\\F\\").replace("^", "\\S\\").replace("~", "\\R\\")
    out = out.replace("&", "\\T\\")
    return " ".join(out.split())


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _name(full: str) -> str:
    """XCN family^given from "Given Family"."""
    parts = full.split()
    return f"{escape(parts[-1])}^{escape(' '.join(parts[:-1]))}" if len(parts) > 1 else escape(full)


def bar_p12(data: MessageInput) -> str:
    """The message, segments separated by carriage returns (HL7's segment terminator)."""
    now = data.now or datetime.now(UTC)
    stamp = _ts(now)
    service = data.service_date.strftime("%Y%m%d") if data.service_date else stamp[:8]
    operator = f"{escape(data.operator_id)}^{_name(data.operator_name)}" if data.operator_id else ""
    ids = f"{escape(data.patient_id)}^^^FHIR^PI" + (f"~{escape(data.mrn)}^^^^MR" if data.mrn else "")
    segments = [
        f"MSH|^~\\&|REVRX|{escape(data.sending_facility)}|{escape(data.receiving_application)}|"
        f"{escape(data.sending_facility)}|{stamp}||BAR^P12^BAR_P12|{escape(data.control_id)[:20]}|P|{VERSION}",
        f"EVN|P12|{stamp}|||{operator}",
        f"PID|1||{ids}||{_name(data.patient_name) if data.patient_name.strip() else chr(34) * 2}",
        f"PV1|1|{data.patient_class}||||{escape(data.attending_id)}|||||||||||||{escape(data.encounter_id)}^^^FHIR^VN",
    ]
    for index, dx in enumerate(data.codes.diagnoses, start=1):
        # DG1-3 code^text^I10 (ICD-10-CM), DG1-5 date, DG1-6 F (final), DG1-15 priority (1 = primary).
        segments.append(f"DG1|{index}||{escape(dx.code)}^{escape(dx.display)}^I10||{service}|F"
                        f"|||||||||{index}")
    primary = data.codes.diagnoses[0].code if data.codes.diagnoses else ""
    for index, line in enumerate(data.codes.lines, start=1):
        system = "C4" if line.system == CPT_SYSTEM else "HCPCS"
        # PR1-3 code^text^C4|HCPCS, PR1-5 date/time (required), PR1-15 the primary diagnosis.
        segments.append(f"PR1|{index}||{escape(line.code)}^{escape(line.display)}^{system}||{service}"
                        f"||||||||||{escape(primary)}^^I10" if primary else
                        f"PR1|{index}||{escape(line.code)}^{escape(line.display)}^{system}||{service}")
    return SEGMENT_END.join(segments) + SEGMENT_END


def validate(message: str) -> None:
    """Parse with hl7apy against the v2.5.1 BAR_P12 structure (strict); raises ValueError if it fails."""
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.exceptions import HL7apyException
    from hl7apy.parser import parse_message

    try:
        parsed = parse_message(message, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
        parsed.validate()
    except HL7apyException as exc:
        raise ValueError(f"not a valid HL7 v{VERSION} BAR^P12: {exc}") from exc
