"""Never-events of coding (issue 14 item 6): sentences that must not put a diagnosis on a claim.

Each sentence is coded alone and as the assessment of a note. It may produce only the Z codes that
mean it (a father's heart attack -> Z82.4-, family history of ischemic heart disease, never Z82.0 of
epilepsy; a screening -> Z11-Z13; a resolved condition -> its Z87 code); a vaccine mentioned as
history, a hypothetical, an everyday object or a negated condition may produce nothing.

KNOWN_FAILING holds the sentences the engine still gets wrong. The test asserts that they STILL fail,
so the list can only shrink when a fix really lands: when one passes, delete it from the list.
"""
from __future__ import annotations

import pytest

from smartapp.coding.pipeline import run
from smartapp.coding.types import ICD10CM, NoteInput

NONE: tuple[str, ...] = ()
SCREENING = ("Z00", "Z01", "Z11", "Z12", "Z13")

# (sentence, code prefixes it may produce)
NEVER_EVENTS: list[tuple[str, tuple[str, ...]]] = [
    # screening and testing: a Z11-Z13 code at most
    ("We will screen for HIV and hepatitis C today.", ("Z11.4", "Z11.59")),
    ("Screening colonoscopy recommended at age 45.", SCREENING),
    ("PHQ-9 score 2, negative depression screen.", SCREENING),
    ("GAD-7 score 1, anxiety screen negative.", SCREENING),
    ("AUDIT-C 1, alcohol screening negative.", SCREENING),
    ("Mammogram ordered for breast cancer screening.", SCREENING),
    ("Lung cancer screening CT discussed; she declines.", SCREENING),
    ("Abdominal aortic aneurysm screening ultrasound ordered.", SCREENING),
    ("Lipid panel drawn for cholesterol screening.", SCREENING),
    ("Pap smear collected for cervical cancer screening.", SCREENING),
    ("Hemoglobin A1c ordered to screen for diabetes.", SCREENING),
    ("Tuberculosis screening with QuantiFERON for work clearance.", SCREENING),
    # vaccines mentioned, none given: nothing (not Z23, not the disease)
    ("Has had both COVID vaccines.", NONE),
    ("Flu shot received at the pharmacy in October.", NONE),
    ("Immunizations up to date per mom.", NONE),
    ("She had the shingles vaccine last year.", NONE),
    ("Tdap given in 2019.", NONE),
    ("Declined the pneumococcal vaccine today.", NONE),
    ("Hepatitis B vaccine series completed as a child.", NONE),
    ("Influenza vaccine offered, declined.", NONE),
    # hypotheticals, prevention, counselling: nothing
    ("Return if chest pain or shortness of breath.", NONE),
    ("If she develops fever, call the office.", NONE),
    ("Warning signs of stroke reviewed.", NONE),
    ("Discussed the risk of diabetes with continued weight gain.", NONE),
    ("If he develops diabetes we can discuss a GLP-1.", NONE),
    ("Should she get pneumonia, we would admit her.", NONE),
    ("DVT prophylaxis with heparin.", NONE),
    ("Counseled on prevention of skin cancer with sunscreen.", NONE),
    # a relative's condition: a family-history code at most
    ("Father had a heart attack at 66.", ("Z82.4",)),           # not Z82.0 (epilepsy)
    ("Mother has breast cancer.", ("Z80.3",)),
    ("Her husband had strep throat last month.", ("Z20",)),          # contact at most
    ("Brother with type 1 diabetes.", ("Z83.3",)),
    ("Sister has asthma.", ("Z82.5",)),
    ("Grandmother had a stroke and her aunt had a brain tumor.", ("Z82.3", "Z80.8")),
    ("Family history of colon cancer in his father.", ("Z80.0",)),
    ("Roommate tested positive for COVID on Sunday.", ("Z20.822",)),
    # everyday objects and words that only look clinical: nothing
    ("Uses a heating pad at night.", NONE),
    ("Ice pack and crutches as needed.", NONE),
    ("Wears a seat belt and uses sunscreen.", NONE),
    ("Car seat safety reviewed.", NONE),
    ("Heart rate 72 with a regular ventricular response.", NONE),
    ("PE: afebrile, lungs clear.", NONE),
    # negated: nothing
    ("Heart attack ruled out.", NONE),
    ("Denies chest pain, shortness of breath or palpitations.", NONE),
    ("Never smoker.", NONE),
    ("No history of seizures.", NONE),
    # history: a personal-history code at most
    ("History of kidney stones, none since 2015.", ("Z87.442",)),
    ("Treated for pneumonia last month, now resolved.", ("Z87.01",)),
    # second batch, written after the engine fixed the first (held out from that work)
    ("Colon cancer screening with a FIT kit given to take home.", SCREENING),
    ("Hepatitis B surface antigen drawn as prenatal screening.", SCREENING),
    ("Depression screening (PHQ-2) negative.", SCREENING),
    ("Screened for fall risk: timed up and go 9 seconds.", SCREENING),
    ("Skin check for melanoma screening, no suspicious lesions.", SCREENING),
    ("Prostate cancer screening discussed; PSA deferred.", SCREENING),
    ("Chlamydia and gonorrhea testing sent as routine screening.", SCREENING),
    ("Osteoporosis screening DEXA ordered.", SCREENING),
    ("Received the RSV vaccine at the pharmacy last month.", NONE),
    ("Shingrix series complete.", NONE),
    ("Up to date on measles, mumps and rubella vaccination.", NONE),
    ("HPV vaccine series declined by parents.", NONE),
    ("Asks about the whooping cough booster for the grandchild.", NONE),
    ("Go to the ER for any signs of a heart attack.", NONE),
    ("Explained the warning signs of sepsis.", NONE),
    ("We will check for anemia if fatigue persists.", NONE),
    ("Should the rash spread, start prednisone.", NONE),
    ("Avoid NSAIDs to prevent a stomach ulcer.", NONE),
    ("His mother died of ovarian cancer.", ("Z80.41",)),
    ("Daughter was recently diagnosed with leukemia.", ("Z80.6",)),
    ("Wife has COVID at home.", ("Z20.822",)),
    ("Twin brother has autism.", ("Z81.8",)),
    ("Father's side: two uncles with heart attacks before 55.", ("Z82.49",)),
    ("Her son has type 2 diabetes.", ("Z83.3",)),
    ("Uses a hot water bottle on her back.", NONE),
    ("Sleeps in a recliner.", NONE),
    ("Got a new heart rate monitor watch.", NONE),
    ("Bought a blood pressure cuff for home.", NONE),
    ("The family dog had worms last month.", NONE),
    ("Cold pack applied after the injection.", NONE),
    ("No evidence of pneumonia on chest x-ray.", NONE),
    ("Stroke was excluded by MRI.", NONE),
    ("Negative for COVID-19 and influenza.", NONE),
    ("Breast cancer treated in 2012, in remission, no current treatment.", ("Z85.3",)),
    ("Appendectomy as a child.", ("Z90",)),
    ("Remote history of a DVT after surgery, off anticoagulation.", ("Z86.718",)),
    # Third batch (coding helper, second engine round): lists of screened infections, a relative
    # named after the condition, a test named after the disease, an apparent diagnosis.
    ("HIV and hepatitis C screening today.", SCREENING),
    ("Syphilis, HIV and gonorrhea testing sent.", SCREENING),
    ("Gonorrhea/chlamydia NAAT negative.", NONE),
    ("Heart attack in his father at 60.", ("Z82.4",)),
    ("This appears to be gastritis.", NONE),
    ("Flu vaccine: had it at CVS in October.", NONE),
    # Fourth batch (precision round, 2026-12-05): a vaccine record or prophylaxis is not the disease.
    ("Tetanus up to date.", NONE),
    ("Rabies PEP not indicated; dog vaccinated and observed.", NONE),
    ("Tetanus status current.", NONE),
    ("Vaccines given today: DTaP, IPV, MMR, varicella.", ("Z23",)),
    ("Immunizations due: hepatitis A, influenza.", NONE),
    # Fifth batch (never-events round, 2026-12-05), written before the rules for them: case-report
    # English (translated narratives) as well as visit notes. Negations over lists and after the
    # finding, suspicions and differentials, relatives named after the condition, history lists
    # broken by a decimal number, departments named after a disease.
    ("Screening for colorectal cancer with colonoscopy was offered.", SCREENING),
    ("Screened for hepatitis B and syphilis at the first prenatal visit.", SCREENING),
    ("Serology was requested for toxoplasma, rubella and cytomegalovirus.", SCREENING),
    ("She had been vaccinated against influenza five days earlier.", NONE),
    ("Vaccination schedule up to date, including measles and hepatitis B.", NONE),
    ("He received the yellow fever vaccine before travelling.", NONE),
    ("Antibiotic prophylaxis against endocarditis before dental work.", NONE),
    ("In case of fever or wound infection, she should return.", NONE),
    ("The parents were told to watch for signs of dehydration.", NONE),
    ("Plan: colonoscopy to rule out colon cancer.", NONE),
    ("Tetanus booster if he gets a dirty wound.", NONE),
    ("Her sister had been operated on for a carotid body paraganglioma.", ("Z80", "Z82", "Z83", "Z84")),
    ("The paternal grandfather died of a myocardial infarction at 50.", ("Z82.49",)),
    ("Another child of the couple died of a cardiac arrest at three months of age.", ("Z82.41",)),
    ("A cousin on her mother's side has epilepsy.", ("Z82.0",)),
    ("History of paralysis of the carotid body in her sister.", ("Z80", "Z82", "Z83", "Z84")),
    ("She was followed up in the Pediatric Infectious Diseases Department.", NONE),
    ("The case was discussed with the specialists in infectious diseases.", NONE),
    ("Past history: appendectomy, umbilical hernia repair and cesarean section.", ("Z90", "Z98", "Z87")),
    ("History of morbid obesity (BMI 41.2 kg/m2), cholecystectomy and inguinal hernia repair.",
     ("E66", "Z68", "Z90", "Z98", "Z87")),
    ("A first episode of jaundice in August 2003 resolved spontaneously.", ("Z87",)),
    ("Serology for toxoplasmosis and syphilis was negative.", NONE),
    ("Lupus anticoagulant, anticardiolipin antibodies and ANCA were negative.", NONE),
    ("Emotional lability was not observed.", NONE),
    ("Negative glycosuria and normal phosphate excretion.", NONE),
    ("The abdomen was non-painful on palpation.", NONE),
    ("Lymphadenopathy, goiter and jugular vein engorgement were not present.", NONE),
    ("Metastatic disease was ruled out before the resection.", NONE),
    ("The differential diagnosis included lymphoma, sarcoidosis and tuberculosis.", NONE),
    ("With the suspicion of septic arthritis, arthrocentesis was performed.", NONE),
    ("The possibility of serpiginous choroiditis was considered.", NONE),
    ("Chest X-ray did not show pneumonia or pleural effusion.", NONE),
    ("Tumor markers were within normal limits.", NONE),
    ("The patient is asymptomatic and disease-free after 37 months.", NONE),
    ("Interstitial pneumonia was the presumed diagnosis.", NONE),
    ("After ruling out systemic diseases and intracranial infections, furosemide was stopped.", NONE),
]

# Sentences the engine still codes wrongly. First batch: 16 of 48 at 4ff0b5d, before issue 14's
# engine work; 12 after 7c16425; none after 3491a07 (stop-list, blocking words, other people).
# Second batch (36 sentences written after that, not seen by the engine work): 6 failed on main
# at ae9c455, still the same 6 at ad9dd87 (08:28 UTC).
# The 6 passed after the coding helper's round (KNOWN_FAILING emptied); a third batch of 6 was added then.
# Shrink it as fixes land; never add a sentence that passes.
# Fifth batch (2026-12-05, never-events round): 18 of its 36 sentences failed at 1238769, before any
# rule for them was written; 3 still fail. They are left on purpose: CodiEsp gold codes the diseases a
# negative serology or antibody list was tested for and the diagnosis "suspected", so the rules that
# would pass them cost more case-report codes than they save (docs/coding-final-scores.md, round 6).
# 2026-12-06: negative serology and antibody lists are negated in case reports too (the held-out aim counts
# a tested-for disease as a never-event); CodiEsp dev F1 0.461 -> 0.460 for it, so the first sentence passes now.
KNOWN_FAILING: set[str] = {
    "Negative glycosuria and normal phosphate excretion.",
    "With the suspicion of septic arthritis, arthrocentesis was performed.",
}


def _forbidden(sentence: str, allowed: tuple[str, ...]) -> list[str]:
    """Diagnosis codes outside ``allowed``, from the sentence alone and as a note's assessment."""
    bad: list[str] = []
    for text in (sentence, f"Assessment and plan:\n{sentence}\n"):
        result = run([NoteInput("never", text)])
        bad += [s.code for s in result.suggestions
                if s.system == ICD10CM and s.category == "diagnosis" and not s.code.startswith(allowed)]
    return sorted(set(bad))


def test_the_list_is_long_enough_and_known_failures_are_on_it() -> None:
    sentences = [s for s, _ in NEVER_EVENTS]
    assert len(sentences) >= 40 and len(set(sentences)) == len(sentences)
    assert set(sentences) >= KNOWN_FAILING


@pytest.mark.parametrize(("sentence", "allowed"), [e for e in NEVER_EVENTS if e[0] not in KNOWN_FAILING])
def test_never_event_produces_no_diagnosis(sentence: str, allowed: tuple[str, ...]) -> None:
    assert _forbidden(sentence, allowed) == []


@pytest.mark.parametrize(("sentence", "allowed"), [e for e in NEVER_EVENTS if e[0] in KNOWN_FAILING])
def test_known_failing_never_event_still_fails(sentence: str, allowed: tuple[str, ...]) -> None:
    assert _forbidden(sentence, allowed), "this never-event passes now: remove it from KNOWN_FAILING"
