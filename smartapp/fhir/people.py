"""Patient and Practitioner JSON → small dataclasses.

`PatientInfo` doubles as the PHI deny list for redaction, so it keeps every name form, identifier,
phone, email and address the EHR holds, not just the preferred ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from smartapp.fhir._values import dicts, parse_date, text_of
from smartapp.fhir.references import parse_reference

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
_NAME_PREFERENCE = ("official", "usual", None, "nickname", "maiden", "old", "temp", "anonymous")


@dataclass(frozen=True)
class PatientInfo:
    id: str
    given: tuple[str, ...]
    family: str | None
    names: tuple[str, ...]
    birth_date: date | None
    gender: str | None
    identifiers: tuple[str, ...]
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    addresses: tuple[str, ...]
    # The medical record number: the identifier typed MR (HL7 v2-0203), never just the first one (Epic
    # and Oracle list several: an SSN or an external id may come first).
    mrn: str | None = None


@dataclass(frozen=True)
class PractitionerInfo:
    id: str
    name: str | None
    npi: str | None


def parse_patient(resource: dict[str, Any]) -> PatientInfo:
    names = _sorted_names(resource.get("name"))
    primary = names[0] if names else {}
    given = tuple(g for g in (text_of(x) for x in _strs(primary.get("given"))) if g)
    family = text_of(primary.get("family"))
    all_names: list[str] = []
    for name in names:
        for piece in [*_strs(name.get("given")), name.get("family"), name.get("text"), _full_name(name)]:
            _add(all_names, piece)
    phones: list[str] = []
    emails: list[str] = []
    for telecom in dicts(resource.get("telecom")):
        target = emails if telecom.get("system") == "email" else phones
        if telecom.get("system") in (None, "phone", "sms", "fax", "pager", "email", "other"):
            _add(target, telecom.get("value"))
    identifiers: list[str] = []
    mrn: str | None = None
    for ident in dicts(resource.get("identifier")):
        _add(identifiers, ident.get("value"))
        codes = {text_of(c.get("code")) for c in dicts((ident.get("type") or {}).get("coding"))}
        if mrn is None and "MR" in codes and text_of(ident.get("value")):
            mrn = text_of(ident.get("value"))
    addresses: list[str] = []
    for address in dicts(resource.get("address")):
        _add(addresses, _address_text(address))
    return PatientInfo(
        id=str(resource.get("id") or ""),
        given=given,
        family=family,
        names=tuple(all_names),
        birth_date=parse_date(resource.get("birthDate")),
        gender=text_of(resource.get("gender")),
        identifiers=tuple(identifiers),
        phones=tuple(phones),
        emails=tuple(emails),
        addresses=tuple(addresses),
        mrn=mrn,
    )


def parse_practitioner(resource: dict[str, Any]) -> PractitionerInfo:
    names = _sorted_names(resource.get("name"))
    name = None
    if names:
        name = text_of(names[0].get("text")) or _full_name(names[0], with_titles=True)
    npi = next(
        (text_of(i.get("value")) for i in dicts(resource.get("identifier")) if i.get("system") == NPI_SYSTEM),
        None,
    )
    return PractitionerInfo(id=str(resource.get("id") or ""), name=name, npi=npi)


def practitioner_id_from_role(resource: dict[str, Any]) -> str | None:
    """The Practitioner a PractitionerRole is for (encounters often name the role, not the person)."""
    ref = parse_reference(resource.get("practitioner"), default_type="Practitioner")
    return ref.id if ref and ref.resource_type == "Practitioner" else None


def _sorted_names(value: Any) -> list[dict[str, Any]]:
    def rank(name: dict[str, Any]) -> int:
        use = name.get("use")
        return _NAME_PREFERENCE.index(use) if use in _NAME_PREFERENCE else len(_NAME_PREFERENCE)

    return sorted(dicts(value), key=rank)


def _strs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _full_name(name: dict[str, Any], *, with_titles: bool = False) -> str | None:
    parts = [*_strs(name.get("given")), *_strs(name.get("family"))]
    if with_titles:
        parts = [*_strs(name.get("prefix")), *parts]
        suffix = ", ".join(_strs(name.get("suffix")))
        text = " ".join(p.strip() for p in parts if p.strip())
        return text_of(f"{text}, {suffix}" if suffix and text else text)
    return text_of(" ".join(p.strip() for p in parts if p.strip()))


def _address_text(address: dict[str, Any]) -> str | None:
    if text := text_of(address.get("text")):
        return text
    lines = [*_strs(address.get("line"))]
    city_line = " ".join(p for p in (_strs(address.get("state")) + _strs(address.get("postalCode"))) if p.strip())
    if city := text_of(address.get("city")):
        city_line = f"{city}, {city_line}" if city_line else city
    parts = [p.strip() for p in [*lines, city_line] if p and p.strip()]
    return ", ".join(parts) or None


def _add(target: list[str], value: Any) -> None:
    text = text_of(value)
    if text and text not in target:
        target.append(text)
