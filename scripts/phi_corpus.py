"""The corpus behind the PHI redaction measurements (used by scripts/eval_phi.py and the unit tests).

* ACI-BENCH notes (train + valid, 87 notes; Yim W. et al., "ACI-BENCH: a Novel Ambient Clinical
  Intelligence Dataset for Benchmarking Automatic Visit Note Generation", Scientific Data 2023;
  CC BY 4.0), read from the repository's ``data/aci-bench`` (attribution in data/README.md). The
  patient's first and family name come from the ``*_metadata.csv`` files.
* The same notes with synthetic identifiers injected deterministically (a seeded generator: other
  people's names after titles and in free text, dates in several formats, phone and fax numbers,
  MRN/account/member numbers, SSNs, street addresses, city + ZIP, emails, URLs). Every injected
  identifier keeps its offsets, so a scorer can tell whether each one was fully redacted.

The generator's name lists are its own (deliberately including names that are not in the
redactor's given-name list), so names are caught by context or not at all.
"""
from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACI_DIR = ROOT / "data" / "aci-bench"
SEED = 20261124


@dataclass(frozen=True)
class AciNote:
    encounter_id: str
    text: str
    first_name: str
    family_name: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.first_name, self.family_name) if n)


@dataclass(frozen=True)
class Injected:
    kind: str          # NAME_TITLE, NAME_FREE, DATE, PHONE, FAX, ID, SSN, ADDRESS, LOCATION, EMAIL, URL
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class InjectedNote:
    source: AciNote
    text: str
    identifiers: tuple[Injected, ...]


def load_aci(folder: Path = ACI_DIR) -> list[AciNote]:
    """All ACI-BENCH train + valid notes with the patient's names from the metadata.

    The notes ship with the repository, so a missing folder is an error, not an empty corpus.
    """
    if not (folder / "train.csv").is_file():
        raise FileNotFoundError(f"ACI-BENCH notes not found in {folder} (they ship in the repository's data/)")
    csv.field_size_limit(10**8)
    out = []
    for split in ("train", "valid"):
        with (folder / f"{split}.csv").open(newline="") as fh:
            notes = {r["encounter_id"]: r["note"] for r in csv.DictReader(fh)}
        with (folder / f"{split}_metadata.csv").open(newline="") as fh:
            for meta in csv.DictReader(fh):
                out.append(AciNote(meta["encounter_id"], notes[meta["encounter_id"]],
                                   meta["patient_firstname"].strip(), meta["patient_familyname"].strip()))
    return out


def name_occurrences(note: AciNote) -> list[tuple[int, int, str]]:
    """Every whole-word, case-insensitive occurrence of the patient's first or family name."""
    out = []
    for name in note.names:
        out += [(m.start(), m.end(), name) for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", note.text,
                                                                 re.IGNORECASE)]
    return sorted(out)


# --- synthetic identifiers --------------------------------------------------------------------------
FIRST = ("Rosa", "Marcus", "Ifeoma", "Thanh", "Priya", "Mateo", "Siobhan", "Dmitri", "Aaliyah", "Kenji",
         "Fatima", "Oluwaseun", "Gretchen", "Rahul", "Beatriz", "Tobias", "Ngozi", "Catalina", "Lars", "Yusuf",
         "Harriet", "Emeka", "Soo-jin", "Declan", "Marisol", "Anneliese", "Bogdan", "Keisha", "Henrik", "Lucia",
         "Tremaine", "Ingrid", "Rafael", "Chioma", "Wendell", "Paloma", "Ahmed", "Colette", "Jasper", "Mireille")
LAST = ("Delgado", "Okafor", "Nguyen", "Patel", "Vasquez", "O'Brien", "Kowalski", "Abernathy", "Haddad",
        "Yamamoto", "Lindqvist", "Mbeki", "Castellanos", "Fairweather", "Obi", "Petrov", "MacLeod", "Adeyemi",
        "Szymanski", "Hargrove", "Iyer", "Van der Berg", "Quintero", "Blackwood", "Achterberg", "Delacroix",
        "Nakashima", "Ferreira", "Oyelaran", "Whitfield", "Rasmussen", "Tran", "Gallagher", "Moreau", "Kaur",
        "Esposito", "Lindgren", "Dubois", "Acheampong", "Thibodeaux")
STREETS = ("Maple", "Cedar Ridge", "Willow", "Harbor View", "Lincoln", "Orchard", "Franklin", "Sycamore",
           "Elm", "Magnolia", "Chestnut Hill", "Bayberry")
SUFFIXES = ("Street", "St.", "Avenue", "Ave", "Road", "Rd.", "Drive", "Dr", "Lane", "Ln", "Boulevard", "Court",
            "Way", "Place", "Terrace", "Circle")
CITIES = (("Springfield", "IL"), ("Fort Collins", "CO"), ("Ann Arbor", "MI"), ("Boise", "ID"), ("Tacoma", "WA"),
          ("Savannah", "GA"), ("Worcester", "MA"), ("Santa Fe", "NM"), ("Duluth", "MN"), ("Macon", "GA"))
RELATIONS = ("daughter", "son", "wife", "husband", "sister", "brother", "partner", "neighbor", "friend",
             "caregiver", "granddaughter", "niece", "mother", "father")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# Sentence templates; {fields} become identifiers of the kind given in FIELD_KINDS.
TEMPLATES = (
    "Referred by Dr. {first} {last} for further evaluation.",
    "Case discussed with Dr. {last} from cardiology, who agrees with the plan.",
    "Prior records from Mrs. {last} at the outside clinic were reviewed.",
    "Patient was accompanied today by Mr. {first} {last}.",
    "Her {rel} {first} {last} is present and helps with the history.",
    "His {rel}, {first}, manages his medications at home.",
    "Spoke with {first} {last} at the pharmacy about the refill.",
    "{first} {last}, RN, roomed the patient and obtained vitals.",
    "Seen last year by {first} {last}, NP, at urgent care.",
    "Scribed by {first} {last} in the presence of the physician.",
    "Emergency contact: {first} {last} ({rel}), phone {phone}.",
    "{first} called on behalf of the patient with questions about the dose.",
    "Last colonoscopy on {date}, reportedly normal.",
    "Labs drawn {date} were reviewed today.",
    "Next appointment scheduled for {date}.",
    "Date of service: {date}.",
    "Symptoms started around {date} after the trip.",
    "Please call back at {phone} with results.",
    "Patient's cell {phone}; home {phone2}.",
    "Fax records to {fax} attn: medical records.",
    "MRN: {mrn}",
    "Medical record number {mrn}, account number {acct}.",
    "Acct #{acct} verified at check-in.",
    "Insurance member ID {member} on file.",
    "SSN {ssn} confirmed for billing.",
    "Social security number: {ssn}.",
    "Patient lives at {street}, {city}.",
    "Mailing address: {street}, {city}.",
    "Patient email {email} for portal messages.",
    "Sent education materials to {email}.",
    "Instructions are available at {url}.",
    "Patient portal: {url}",
)
# Written AFTER phi.py had been tuned on TEMPLATES, and scored once before any further change:
# other phrasings, formats and placements, to show how the rules generalise.
HELDOUT_TEMPLATES = (
    "Pt's {rel} {first} {last} (health care proxy) at bedside.",
    "Telephone encounter with {first} {last} regarding lab results.",
    "Collateral history obtained from the patient's {rel}, {first} {last}.",
    "PCP: Dr. {last}",
    "Dictated but not read. {first} {last}, MD",
    "DOB {date}",
    "Previously seen {date} for the same complaint.",
    "Callback: {phone} ext 22",
    "Fax: {fax}",
    "Chart #: {mrn}",
    "Medicare number {member}.",
    "Home address {street}, {city}",
    "Email: {email}",
    "Med list sent via {url} today.",
    "Her {rel} {first} visits daily and cooks.",
    "Per {first} at the front desk, copay was collected.",
    "{first} {last} is the home health aide.",
    "Attending: {first} {last}",
    "Accompanied by {first} ({rel}).",
    "cc: {first} {last}, PT",
)
FIELD_KINDS = {"first": "NAME_FREE", "last": "NAME_FREE", "date": "DATE", "phone": "PHONE", "phone2": "PHONE",
               "fax": "FAX", "mrn": "ID", "acct": "ID", "member": "ID", "ssn": "SSN", "street": "ADDRESS",
               "city": "LOCATION", "email": "EMAIL", "url": "URL"}
_TITLED = re.compile(r"(?:Dr|Mrs|Mr|Ms)\. $")


def _date(rng: random.Random, heldout: bool = False) -> str:
    y, m, d = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
    month = MONTHS[m - 1]
    if heldout:
        return rng.choice((f"{m:02d}/{y}", f"{y}/{m:02d}/{d:02d}", f"{month[:3]}. {d}, {y}", f"{d}.{m}.{y}",
                           f"{month} {d}", f"{m}/{d}/{y}", f"{month} of {y}", f"{d}{'th'} of {month}"))
    return rng.choice((f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y % 100:02d}", f"{y}-{m:02d}-{d:02d}",
                       f"{month} {d}, {y}", f"{month[:3]} {d}, {y}", f"{d} {month} {y}", f"{m}-{d}-{y}",
                       f"{month} {d}th", f"{d}-{month[:3]}-{y}", f"{m}/{d}", f"{month} {y}", f"{m}.{d}.{y}"))


def _phone(rng: random.Random) -> str:
    a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
    return rng.choice((f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"{a}.{b}.{c:04d}", f"{a} {b} {c:04d}",
                       f"+1 {a}-{b}-{c:04d}", f"1-{a}-{b}-{c:04d}", f"({a}){b}-{c:04d}"))


def _fields(rng: random.Random) -> dict[str, str]:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
    first, last = rng.choice(FIRST), rng.choice(LAST)
    city, state = rng.choice(CITIES)
    return {
        "first": first, "last": last, "rel": rng.choice(RELATIONS), "date": _date(rng),
        "phone": _phone(rng), "phone2": _phone(rng), "fax": _phone(rng),
        "mrn": rng.choice((f"{rng.randint(10**6, 10**8)}", f"A{rng.randint(10**5, 10**7)}",
                           f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}")),
        "acct": rng.choice((f"{rng.randint(10**6, 10**9)}", f"AC-{rng.randint(10**4, 10**6)}")),
        "member": f"{''.join(rng.choice('BCDFGHJKLMNPQRSTVWXZ') for _ in range(3))}{rng.randint(10**5, 10**7)}",
        "ssn": rng.choice((f"{digits[:3]}-{digits[3:5]}-{digits[5:]}", f"{digits[:3]} {digits[3:5]} {digits[5:]}",
                           digits)),
        "street": f"{rng.randint(1, 9999)} {rng.choice(('', 'N. ', 'West ', 'S '))}{rng.choice(STREETS)} "
                  f"{rng.choice(SUFFIXES)}" + rng.choice(("", "", ", Apt 4B", " #12")),
        "city": f"{city}, {state} {rng.randint(10000, 99999)}",
        "email": f"{first.lower().replace('-', '')}.{last.lower().replace(' ', '').replace(chr(39), '')}"
                 f"{rng.randint(1, 99)}@{rng.choice(('example.com', 'mail.example.org', 'example.net'))}",
        "url": rng.choice((f"https://portal.example-health.org/p/{rng.randint(1000, 99999)}",
                           f"www.example-clinic.com/visit?id={rng.randint(100, 9999)}",
                           f"http://example.org/records/{first.lower()}")),
    }


def _render(template: str, rng: random.Random) -> tuple[str, list[Injected]]:
    values = _fields(rng)
    values["date"] = _date(rng, heldout=template in HELDOUT_TEMPLATES)
    out, pos = "", 0
    ids: list[Injected] = []
    for m in re.finditer(r"\{(\w+)\}", template):
        out += template[pos:m.start()]
        value = values[m.group(1)]
        kind = FIELD_KINDS.get(m.group(1))
        if kind == "NAME_FREE" and _TITLED.search(out):
            kind = "NAME_TITLE"
        if kind == "NAME_FREE" and ids and ids[-1].kind.startswith("NAME") and out.endswith(" ") \
                and ids[-1].end == len(out) - 1:
            # "First Last" is one identifier.
            prev = ids.pop()
            ids.append(Injected(prev.kind, prev.start, len(out) + len(value), out[prev.start:] + value))
        elif kind:
            ids.append(Injected(kind, len(out), len(out) + len(value), value))
        out += value
        pos = m.end()
    return out + template[pos:], ids


def inject(note: AciNote, index: int, per_note: int = 6, heldout: bool = False) -> InjectedNote:
    """The note with ``per_note`` synthetic sentences inserted at paragraph breaks (deterministic);
    ``heldout`` uses the templates written after tuning, with another seed."""
    rng = random.Random(SEED * 1000 + index + (500 if heldout else 0))  # noqa: S311 (test data, not secrets)
    templates = HELDOUT_TEMPLATES if heldout else TEMPLATES
    breaks = [m.end() for m in re.finditer(r"\n\n", note.text)] or [len(note.text)]
    inserts = sorted((rng.choice(breaks), rng.choice(templates)) for _ in range(per_note))
    text, ids, pos = "", [], 0
    for at, template in inserts:
        text += note.text[pos:at]
        sentence, found = _render(template, rng)
        ids += [Injected(i.kind, len(text) + i.start, len(text) + i.end, i.value) for i in found]
        text += sentence + "\n\n"
        pos = at
    text += note.text[pos:]
    return InjectedNote(note, text, tuple(ids))


def covered(spans: list[tuple[int, int]], start: int, end: int, text: str) -> bool:
    """True when every letter or digit of ``text[start:end]`` lies inside a redacted span."""
    return all(not text[i].isalnum() or any(s <= i < e for s, e in spans) for i in range(start, end))
