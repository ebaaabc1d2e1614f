"""Word lists for the E/M medical decision making elements (what counts as a test, a prescription
drug, a decision about hospitalisation, ...). Kept apart from the level logic in :mod:`em`."""
# ruff: noqa: E501  (data module: word lists)
from __future__ import annotations

import re

from .regexes import grouped_by_first_char

# Each unique test counts once, whether ordered or reviewed (2021+ rules).
TESTS: dict[str, str] = {
    "cbc": r"cbc|complete blood count|wbc|white (?:blood )?count|hgb|hemoglobin(?! a1c)", "cmp": r"cmp|comprehensive metabolic panel",
    "bmp": r"bmp|basic metabolic panel", "a1c": r"a1c|hba1c|hemoglobin a1c|glycated hemoglobin",
    "lipids": r"lipid panel|lipids|fasting lipid|cholesterol panel", "tsh": r"tsh|thyroid panel|free t4",
    "ua": r"urinalysis|\bua\b|urine dip", "urine culture": r"urine culture", "psa": r"\bpsa\b",
    "vitamin d": r"vitamin d level|25-oh vitamin d|vit d level", "b12": r"b12 level|vitamin b12 level",
    "iron": r"iron studies|ferritin", "inr": r"\binr\b|pt/inr|prothrombin time", "lft": r"lfts?|liver function|hepatic panel",
    "bnp": r"\bbnp\b|nt-probnp", "troponin": r"troponin", "d-dimer": r"d-dimer", "esr": r"\besr\b|sed rate",
    "crp": r"\bcrp\b|c-reactive", "strep": r"rapid strep|strep test|throat culture", "flu test": r"flu (?:swab|test)|influenza (?:swab|test)",
    "covid test": r"covid (?:test|swab|pcr)|sars-cov-2 (?:test|pcr)", "ekg": r"ekg|ecg|electrocardiogram",
    "echo": r"echocardiogram|\becho\b", "cxr": r"chest x-?ray|cxr", "xray": r"(?<!chest )x-?rays?|radiographs?",
    "ct": r"\bct\b|cat scan", "mri": r"\bmri\b", "us": r"ultrasound|sonogram|duplex|doppler", "dexa": r"dexa|bone density",
    "spirometry": r"spirometry|pfts?|pulmonary function", "stress test": r"stress test", "holter": r"holter|event monitor",
    "microalbumin": r"microalbumin|uacr|urine albumin", "creatinine": r"creatinine|egfr|\bcr\b", "potassium": r"potassium level",
    "mag": r"magnesium", "culture": r"wound culture|blood cultures?", "hiv": r"hiv test", "hep": r"hepatitis panel|hcv antibody",
    "pap": r"pap smear|pap test", "mammogram": r"diagnostic mammogram", "sleep study": r"sleep study|polysomnogram",
    "glucose": r"fasting glucose|glucose tolerance", "lactate": r"lactate|lactic acid", "lipase": r"lipase|amylase",
    "blood gas": r"abg|vbg|blood gas", "ketones": r"beta-hydroxybutyrate|serum ketones", "hcg": r"hcg|pregnancy test",
    "tox": r"\buds\b|urine drug screen|tox screen|ethanol level|acetaminophen level|salicylate level",
    "ck": r"\bck\b|creatine kinase|cpk", "procalcitonin": r"procalcitonin", "ammonia": r"ammonia level",
    "cta": r"\bcta\b|ct angiogra\w*", "eeg": r"\beeg\b", "emg": r"\bemg\b|nerve conduction",
    "kub": r"\bkub\b", "oct": r"\boct\b|optical coherence tomography",
}
_TEST_KEYS = list(TESTS)
# One alternation with a named group per test: one scan of the text finds every test mentioned.
# The leading lookahead lets the scan skip positions that cannot start a test name quickly.
_TEST_START, _TEST_END = r"(?=[a-z0-9])(?<![\w-])", r"(?!\w)"
_TESTS_SOURCE = (_TEST_START + "(?:" + "|".join(rf"(?P<t{i}>{TESTS[k]})" for i, k in enumerate(_TEST_KEYS))
                 + ")" + _TEST_END)
TESTS_RE = re.compile(_TESTS_SOURCE.replace("(?=[a-z0-9])", "(?=[A-Za-z0-9])", 1), re.IGNORECASE)
# The same scan for the note's lowercased copy (same offsets): about twice as fast as IGNORECASE, and
# three times faster again with the test names grouped by their first letter (same matches: see
# regexes.grouped_by_first_char; a test's name parts become groups t<i>_<j>).
# text.lowercase_twin cannot build it (the named groups' "P" looks like a capital letter to it).
_TESTS_GROUPED = grouped_by_first_char([(f"t{i}", TESTS[k]) for i, k in enumerate(_TEST_KEYS)])
TESTS_LOWER_RE = re.compile(_TESTS_SOURCE if _TESTS_GROUPED is None else f"{_TEST_START}(?:{_TESTS_GROUPED}){_TEST_END}")


def test_name(m: re.Match[str]) -> str:
    """The TESTS key of a TESTS_RE (group t<i>) or TESTS_LOWER_RE (group t<i> or t<i>_<j>) match."""
    return _TEST_KEYS[int((m.lastgroup or "t0")[1:].partition("_")[0])]

EXTERNAL_NOTES = re.compile(r"\b(?:reviewed|review of)\b[^.\n]{0,40}\b(?:outside|external|prior|previous|hospital|"
                            r"er|ed|specialist|discharge)\b[^.\n]{0,20}\b(?:records?|notes?|summary)\b|"
                            r"\brecords? from\b", re.IGNORECASE)
# Independent historian: someone other than the patient gives (part of) the history. A relative,
# caregiver, EMS or staff member reporting, or "per mom".
_WHO = (r"(?:mother|father|mom|dad|parents?|wife|husband|spouse|partner|daughter|son|caregivers?|family|"
        r"grandmother|grandfather|guardian|ems|paramedics?|teacher|nursing home staff|facility staff|staff)")
HISTORIAN = re.compile(r"\b(?:history (?:was )?(?:obtained|provided|given|taken) (?:from|by)|independent historian|"
                       r"collateral (?:history )?(?:from|by|obtained)|"
                       rf"per (?:his |her |the patient's |the )?{_WHO}|"
                       rf"(?:his |her |the patient's |the )?{_WHO} (?:provides|provided|gives|gave|reports|reported|"
                       r"states|stated|notes|noted|says|said|describes|described)(?: the)?(?: history)?)\b",
                       re.IGNORECASE)
INTERPRETATION = re.compile(r"\b(?:i|we) (?:personally |independently )?(?:reviewed and )?(?:interpreted|"
                            r"reviewed the (?:images|films?|tracing))\b|\bmy (?:own )?(?:interpretation|read)\b|"
                            r"\bindependent(?:ly)? (?:interpret|reviewed)|\bpersonally (?:reviewed|interpreted)\b",
                            re.IGNORECASE)
DISCUSSION = re.compile(r"\b(?:discussed|spoke|consulted|conferred|d/w)\b[^.\n]{0,30}\bwith\b[^.\n]{0,20}"
                        r"\b(?:dr\.?|doctor|cardiolog\w*|nephrolog\w*|endocrinolog\w*|radiolog\w*|surgeon|surgery|"
                        r"oncolog\w*|specialist|pharmacist|case manager|neurolog\w*|orthoped\w*|hospitalist|"
                        r"intensivist|icu|poison control|on-call|gastroenterolog\w*|gi|urolog\w*|pulmonolog\w*)|"
                        r"\b(?:stroke neurology|neurology|cardiology|surgery|hospitalist|intensivist|ortho(?:pedics)?|"
                        r"trauma team|icu team) (?:at (?:the )?bedside|consulted|discussed)", re.IGNORECASE)

# High risk: a decision about hospitalisation or escalation of care (admission, ICU, transfer to
# the ED), emergency or major surgery, thrombolysis or thrombectomy, drug therapy that needs
# intensive monitoring for toxicity (drips titrated to labs), parenteral controlled substances, or
# a decision not to resuscitate / to de-escalate because of a poor prognosis. "Emergency department"
# alone is where the visit happens, not a decision.
HIGH_RISK = re.compile(r"\b(?:admit(?:ted|ting)?(?! date)(?! service)(?! from)|hospitali[sz]ation|"
                       r"(?:hospital|inpatient|icu|observation) admission|admission to|"
                       r"(?:send|sent|transfer(?:red)?|refer(?:red)?) (?:him |her |them |the patient )?(?:directly )?"
                       r"to (?:the )?(?:er|ed|emergency|icu|a higher level)|"
                       r"(?:neuro|medical|surgical|cardiac)?\s?icu\b|intensive care unit|step-?down unit|"
                       r"expected (?:length of )?stay|(?:beyond|more than|over) two midnights|two-midnight|"
                       r"dnr|do not resuscitate|comfort (?:care|measures)|hospice|goals of care|"
                       r"intensive monitoring for toxicity|(?:insulin|heparin|nitroglycerin|diltiazem|"
                       r"esmolol|nicardipine|norepinephrine|vasopressor)s? (?:infusion|drip)|"
                       r"vasopressors?|intubat\w*|mechanical ventilation|"
                       r"(?:tpa|alteplase|tenecteplase|thrombolytics?|thrombolysis)|thrombectomy|"
                       r"emergency surgery|emergent (?:surgery|operation)|to the (?:or|operating room)|major surgery|"
                       r"(?:iv|intravenous) (?:morphine|hydromorphone|dilaudid|fentanyl)|"
                       r"(?:morphine|hydromorphone|dilaudid|fentanyl) (?:\d+(?:\.\d+)? ?(?:mg|mcg) )?(?:iv|intravenous))\b",
                       re.IGNORECASE)
RX_DRUGS = (
    "lisinopril|losartan|amlodipine|hydrochlorothiazide|hctz|metoprolol|carvedilol|atenolol|valsartan|olmesartan|"
    "chlorthalidone|spironolactone|furosemide|lasix|torsemide|metformin|glipizide|glimepiride|insulin|glargine|"
    "lantus|humalog|lispro|ozempic|semaglutide|dulaglutide|trulicity|empagliflozin|jardiance|dapagliflozin|"
    "farxiga|sitagliptin|januvia|tirzepatide|mounjaro|atorvastatin|rosuvastatin|simvastatin|pravastatin|"
    "ezetimibe|levothyroxine|synthroid|methimazole|sertraline|fluoxetine|escitalopram|citalopram|bupropion|"
    "venlafaxine|duloxetine|trazodone|mirtazapine|buspirone|hydroxyzine|albuterol|fluticasone|budesonide|"
    "symbicort|advair|tiotropium|spiriva|montelukast|omeprazole|pantoprazole|esomeprazole|famotidine|"
    "apixaban|eliquis|rivaroxaban|xarelto|warfarin|clopidogrel|diltiazem|amoxicillin|augmentin|azithromycin|"
    "doxycycline|cephalexin|keflex|ciprofloxacin|nitrofurantoin|macrobid|bactrim|trimethoprim|prednisone|"
    "methylprednisolone|medrol|gabapentin|pregabalin|cyclobenzaprine|meloxicam|tramadol|oxycodone|hydrocodone|"
    "sumatriptan|topiramate|propranolol|allopurinol|colchicine|alendronate|tamsulosin|finasteride|sildenafil|"
    "tadalafil|methylphenidate|adderall|amphetamine|lamotrigine|levetiracetam|oseltamivir|tamiflu|valacyclovir|"
    "acyclovir|fluconazole|terbinafine|mupirocin|triamcinolone|hydrocortisone cream|clobetasol|tretinoin|"
    "ondansetron|zofran|benzonatate|naproxen 500|estradiol|medroxyprogesterone|zolpidem|ibuprofen 800|"
    "latanoprost|timolol|donepezil|memantine|carbidopa|quetiapine|aripiprazole|lithium|paxlovid|nirmatrelvir|"
    "fenofibrate|hydralazine|clonidine|isosorbide|nitroglycerin|digoxin|amiodarone|sacubitril|entresto|"
    "erythromycin|ofloxacin|moxifloxacin|polymyxin|tobramycin|clindamycin|metronidazole|penicillin|cefdinir|"
    "ceftriaxone|cefuroxime|levofloxacin|ketoconazole|nystatin|permethrin|varenicline|cilostazol|glucagon|"
    "prednisolone|dexamethasone|methotrexate|hydroxychloroquine|buprenorphine|naltrexone|sumatriptan|rizatriptan|"
    "losartan|irbesartan|benazepril|enalapril|ramipril|nifedipine|verapamil|bisoprolol|nebivolol|labetalol|"
    "pioglitazone|liraglutide|victoza|degludec|detemir|aspart|novolog|empagliflozin|canagliflozin|linagliptin|"
    "paroxetine|desvenlafaxine|vortioxetine|clonazepam|lorazepam|alprazolam|diazepam|olanzapine|risperidone|"
    "atomoxetine|guanfacine|lisdexamfetamine|vyvanse|concerta|ritalin|oxybutynin|mirabegron|solifenacin|"
    "baclofen|tizanidine|methocarbamol|celecoxib|diclofenac|indomethacin|ketorolac|febuxostat|raloxifene|"
    "denosumab|ibandronate|risedronate|progesterone|norethindrone|levonorgestrel|contraceptive|letrozole|"
    "anastrozole|tamoxifen|ivermectin|mebendazole|cetirizine 10 mg prescription|epinephrine|epipen|"
    "levo|levodopa|carbidopa-levodopa|cyanocobalamin|b12(?: \\d+ ?(?:mcg|mg|micrograms?))? (?:injections?|im)|silver sulfadiazine|"
    "aflibercept|ranibizumab|bevacizumab|faricimab|anti-vegf|cefazolin|vancomycin|piperacillin|"
    "heparin|enoxaparin|lorazepam|potassium chloride|kcl|antibiotics?|tranexamic acid|antivirals?|"
    "steroid taper|prednisone taper|(?:iv|intravenous) (?:antibiotics?|steroids?)|midodrine|"
    "(?:diphenhydramine|famotidine|methylprednisolone|ondansetron|ketorolac)(?: \\d+ ?mg)? (?:iv|im)")
RX_RE = re.compile(rf"\b(?:{RX_DRUGS})\b|\bprescri(?:be|bed|ption)\b|\brefill(?:s|ed)?\b|\bdose\b|\btitrat",
                   re.IGNORECASE)
# Moderate risk without a drug: a decision about minor surgery with risk factors, a fracture or
# dislocation reduction, or elective major surgery.
MODERATE_PROCEDURE = re.compile(r"\b(?:closed|open) reduction\b|\breduc(?:ed|tion) (?:of )?(?:the )?"
                                r"(?:fracture|dislocation|shoulder|elbow|finger)|\bhematoma block\b|"
                                r"\bprocedural sedation\b|\bconscious sedation\b", re.IGNORECASE)
# Low risk: over-the-counter drugs, minor surgery without risk factors (laceration repair, I&D,
# splinting), physical or occupational therapy, IV fluids without additives.
OTC_RE = re.compile(r"\b(?:acetaminophen|tylenol|ibuprofen|advil|motrin|aleve|naproxen|otc|over[- ]the[- ]counter|"
                    r"loratadine|cetirizine|zyrtec|claritin|fexofenadine|antihistamines?|diphenhydramine|benadryl|"
                    r"oral iron|ferrous sulfate|iron supplement|vitamin d3?|petrolatum|vaseline|bacitracin|antibiotic ointment|hydrocortisone 1%|calamine|guaifenesin|"
                    r"saline|fluids|rest|ice|heat|physical therapy|occupational therapy|"
                    r"home exercise|stretching|lozenges|honey|humidifier|compression stockings|"
                    r"laceration repair|(?:sutures?|staples?|steri-?strips|dermabond|tissue adhesive)|"
                    r"repaired|incision and drainage|i&d|splint(?:ed|ing)?|thumb spica|cast|sling|"
                    r"cryotherapy|shave biopsy|punch biopsy)\b",
                    re.IGNORECASE)

# Not stable: worse, not at goal, or a treatment change (AMA: a patient not at treatment goal is
# not stable; starting or changing a drug for a chronic illness says it is not at goal).
WORSE_RE = re.compile(r"\b(?:uncontrolled|poorly controlled|not (?:well )?controlled|worsen\w*|worse|exacerbation|"
                      r"flare\w*|progress\w*|not at goal|above goal|suboptimal\w*|elevated|inadequately controlled|"
                      r"(?<!no )side effects?|deteriorat\w*|increas\w*|undertreated|start(?:ed)?|initiate\w*|"
                      r"add(?:ed)?|reduc\w*|decreas\w*|adjust\w*|titrat\w*)\b", re.IGNORECASE)
SEVERE_RE = re.compile(r"\bsevere (?:exacerbation|flare)|threat to (?:life|bodily)|life[- ]threatening|"
                       r"\bunstable\b|\bcritical(?:ly ill)?\b", re.IGNORECASE)
# Acute illnesses that pose a threat to life or bodily function (high problem level) when they are
# the diagnosis today: sepsis and shock, acute MI, stroke and intracranial bleeding, pulmonary
# embolism, acute respiratory failure, diabetic ketoacidosis or hyperosmolar state, anaphylaxis,
# status asthmaticus, acute or acute-on-chronic heart failure, GI haemorrhage, aortic dissection.
THREAT_CODES = ("A40", "A41", "R65.2", "R57", "I21", "I22", "I46", "I60", "I61", "I62", "I63", "I26", "J96.0",
                "J96.2", "J80", "E10.0", "E10.1", "E11.0", "E11.1", "E13.0", "E13.1", "E87.2", "T78.0", "T78.2",
                "T80.5", "T88.6", "J45.22", "J45.32", "J45.42", "J45.52", "J45.902", "I50.21", "I50.23",
                "I50.31", "I50.33", "I50.41", "I50.43", "K92.0", "K92.1", "K92.2", "I71.0", "K35.2", "K56",
                "N17", "G41", "R40.2", "K72.0", "E16.0")
# The same conditions named in the assessment, whether or not their code was found (a missed code
# must not lower the level). Present (not negated, not "ruled out") is checked by the caller.
THREAT_WORDS = re.compile(r"\b(?:sepsis|(?:septic|cardiogenic|hypovolemic|hemorrhagic) shock|"
                          r"(?:stemi|nstemi|myocardial infarction)|"
                          r"(?:acute )?(?:ischemic |hemorrhagic )?stroke|intracranial hemorrhage|"
                          r"pulmonary embol\w*|respiratory failure|diabetic ketoacidosis|dka|"
                          r"hyperosmolar|anaphylaxis|anaphylactic|status asthmaticus|"
                          r"acute (?:on chronic )?(?:systolic |diastolic )?(?:\(?congestive\)? )?heart failure|"
                          r"(?:gi|gastrointestinal) (?:bleed|hemorrhage)|aortic dissection|"
                          r"status epilepticus)\b", re.IGNORECASE)
# Codes in a chronic category that name an acute illness (diverticulitis, not diverticulosis).
ACUTE_IN_CHRONIC = ("K57.0", "K57.2", "K57.4", "K57.8", "K57.12", "K57.13", "K57.32", "K57.33", "K57.52",
                    "K57.53", "K57.92", "K57.93")
# Acute complicated injury or illness: fractures and dislocations, head injury, nerve root
# compression (treatment options are multiple or carry risk of morbidity).
COMPLICATED = ("S02", "S12", "S22", "S32", "S42", "S52", "S62", "S72", "S82", "S92", "S06", "S03.0", "S13.1",
               "S33.1", "S43.0", "S53.0", "S63.0", "S73.0", "S83.0", "S93.0", "M51.1", "M54.1", "G83.4")
# A temperature of 38.0 C / 100.4 F or more written as a reading ("T 38.4", "temp 101.2", "fever to 102").
FEVER_READING_RE = re.compile(r"\b(?:t|temp|temperature|tmax|fever(?: of| to)?)\s*:?\s*(?P<v>\d{2,3}(?:\.\d)?)",
                              re.IGNORECASE)
SYSTEMIC_RE = re.compile(r"\b(?:fevers?|febrile|chills|rigors|malaise|body aches|myalgias?)\b", re.IGNORECASE)
NEW_PATIENT_RE = re.compile(r"\bnew patient\b|\bestablish(?:ing)? (?:primary )?care\b|\bnew to (?:the |our |this )?"
                            r"(?:clinic|practice|office)\b|\bfirst visit (?:to|with|at)\b|\bnew patient visit\b",
                            re.IGNORECASE)
AGE_RE = re.compile(r"\b(\d{1,3})[- ](?:year|yr)s?[- ]?old\b|\b(\d{1,3}) ?(?:y/o|yo|y\.o\.)(?!\w)", re.IGNORECASE)
TIME_RE = re.compile(r"\b(?:total (?:time|of)\b[^.\n\d]{0,80}?(\d{1,3})\s*(?:min|minutes)|spent\b[^.\n\d]{0,25}?"
                     r"(\d{1,3})\s*(?:min|minutes)|(\d{1,3})\s*(?:min|minutes) (?:were |was )?spent)",
                     re.IGNORECASE)

# ICD-10-CM 3-character categories we treat as chronic illnesses.
CHRONIC = frozenset([
    "I10", "I11", "I12", "I13", "I15", "I1A", "E10", "E11", "E13", "E78", "E03", "E05", "E06", "E66", "E28",
    "E55", "N18", "I48", "I50", "J44", "J43", "J45", "K21", "F32", "F33", "F41", "F43", "F31", "F20", "F90",
    "F84", "F10", "F17", "G43", "G47", "G40", "G20", "G30", "G35", "F03", "M17", "M16", "M19", "M81", "M85",
    "H35", "D51", "D52", "D63", "E27", "G31", "G60", "I27", "I49", "J41", "J42", "J47", "J84", "K50", "K51",
    "K70", "K74", "M05", "M32", "M45", "N31", "E22", "E23", "E89",
    "M10", "M06", "M79", "I25", "I73", "I83", "N40", "N52", "B20", "B18", "K58", "K76", "D50", "D51", "D64",
    "G62", "G25", "L40", "L20", "H40", "H26", "H91", "H93", "R73", "C50", "C61", "C18", "C34", "C43", "I42",
    "I35", "I34", "E21", "M54", "G89", "K57", "Z79", "E87", "J30", "L70", "H90", "F02", "N95", "M80",
])
# Acute illnesses that can come with systemic symptoms (fever, chills) that matter for E/M.
SYSTEMIC_CAPABLE = ("A", "B", "U07", "J09", "J1", "J20", "J21", "L03", "N10", "N12", "K35", "K57.2", "K57.3",
                    "K81", "K85")
SELF_LIMITED = frozenset([
    "J00", "J06", "B35", "L57", "L82", "H61", "B00", "L25", "L30", "T14", "W57", "R21",
])
INJURY_COMPLICATED = ("S02", "S12", "S22", "S32", "S42", "S52", "S62", "S72", "S82", "S92", "S06")

# A preventive (wellness) visit named as such at the top of the note or in the chief complaint.
PREVENTIVE_RE = re.compile(r"\b(?:well[- ](?:child|baby|adolescent|woman|man)(?:[- ](?:visit|check|exam|care))?|"
                           r"well[- ](?:visit|exam|check)|wcc|"
                           r"annual (?:physical|exam|wellness|preventive|check-?up)|(?:annual )?preventive "
                           r"(?:visit|exam|care visit|medicine)|routine (?:physical|check-?up|health maintenance)|"
                           r"health maintenance (?:visit|exam)|\d+[- ](?:month|year)[- ](?:old )?(?:well|check-?up|check))\b",
                           re.IGNORECASE)
# The patient's age as notes write it: "68-year-old", "68 yo", "68M", "18 mo", "12 MONTHS", "1-year check".
PATIENT_AGE_RE = re.compile(r"(?i:\b(?P<y>\d{1,3})[- ]?(?:years?|yrs?)[- ]?old\b|\b(?P<y2>\d{1,3}) ?(?:y/o|yo|y\.o\.)(?!\w))|"
                            r"(?:^|(?<=[\s(]))(?P<y3>\d{1,3}) ?[MF](?=[\s,.;)]|$)|"
                            # "established patient, age 67": not "quit at age 59", "since age 12"
                            r"(?i:(?<!at )(?<!by )(?<!since )(?<!until )(?<!from )(?<!before )(?<!after )"
                            r"\bage:?[ \t]*(?P<y5>\d{1,3})\b(?![ \t]*(?:months?|mos?)\b))|"
                            r"(?i:\b(?P<y4>\d{1,2})[- ](?:year|yr)[- ](?:check|visit|well)|"
                            # months are an age with "old" or as "18 mo"; "a lump for about 8 months" is a duration
                            r"\b(?P<mo>\d{1,2})[- ]?(?:months?[- ]old|mos?\b(?!\.? ago)|-month\b(?! history)))",
                            re.MULTILINE)
# The age in a title line: "ADOLESCENT WELL VISIT - 16 years", "Well child, 9 months (new patient)".
TITLE_AGE_RE = re.compile(r"\A[^\n]{0,40}?\b(?:visit|well|check|exam|physical|preventive)\b[^\n]{0,20}?[-\u2013,(]"
                          r"[ \t]*(?P<n>\d{1,2})[ \t]*(?P<unit>years?|yrs?|months?|mos?)\b"
                          r"(?=[ \t]*(?:$|\(|,|old\b))", re.IGNORECASE | re.MULTILINE)
# Something planned that was not done: "silver sulfadiazine not used", "CT deferred".
NOT_DONE_AFTER_RE = re.compile(r"[^.;\n]{0,25}?\b(?:not (?:used|given|started|prescribed|indicated|needed|done|"
                               r"ordered)|declined|deferred|refused|held off)\b", re.IGNORECASE)
ASKED_BEFORE_RE = re.compile(r"\b(?:asked about|asks about|inquired about|wonders about|interested in|"
                             r"questions? about)\W+(?:\w+\W+){0,3}$", re.IGNORECASE)
# Lines of a note that record decisions even under headings the section splitter does not know
# ("Tx:", "ED course:", "Dispo:", "Hospital course:").
DECISION_LINE_RE = re.compile(r"^[ \t]*(?:tx|treatment|treatments given|ed course|hospital course|course|"
                              r"dispo(?:sition)?|medical decision making|mdm|orders?|interventions?|plan)\b"
                              r"[^:\n]{0,20}:", re.IGNORECASE | re.MULTILINE)
# A line recording a drug given in the encounter ("B12 1000 mcg IM given today"): a treatment decided today.
ADMINISTERED_LINE_RE = re.compile(r"^[^\n]*\b(?:given|administered|injected) (?:today|here|in (?:the )?(?:clinic|office|"
                                  r"ed|department))\b[^\n]*$", re.IGNORECASE | re.MULTILINE)
HEADING_LINE_RE = re.compile(r"^[ \t]*[A-Za-z][A-Za-z /&()-]{0,40}:", re.MULTILINE)
# A test not done: "no CT", "without imaging", "CT head (rule negative, not done)". A negative
# result ("UA neg", "troponin negative") is a test done.
TEST_NOT_DONE_BEFORE_RE = re.compile(r"\b(?:no|not|without|declined?|deferred?|defer|forgo|hold off on)\W+"
                                     r"(?:\w+\W+){0,2}$", re.IGNORECASE)
TEST_NOT_DONE_AFTER_RE = re.compile(r"[^.;\n]{0,60}?\b(?:not (?:done|ordered|obtained|performed|indicated|needed|"
                                    r"required)|deferred|declined|not warranted)\b", re.IGNORECASE)
# Options weighed with the patient count for risk even when not chosen (shared decision making):
# "Discussed risk of amputation and hospitalization ...; she prefers outpatient care".
SHARED_DECISION_RE = re.compile(r"(?:^|[.\n]\s*)(?:we |i )?(?:discussed|talked about|counsel(?:l)?ed (?:on|about)|"
                                r"offered|recommended|reviewed (?:the )?options|weighed)\b[^.\n]*$",
                                re.IGNORECASE | re.MULTILINE)
