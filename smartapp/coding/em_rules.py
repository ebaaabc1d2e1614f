"""Word lists for the E/M medical decision making elements (what counts as a test, a prescription
drug, a decision about hospitalisation, ...). Kept apart from the level logic in :mod:`em`."""
# ruff: noqa: E501  (data module: word lists)
from __future__ import annotations

import re

# Each unique test counts once, whether ordered or reviewed (2021+ rules).
TESTS: dict[str, str] = {
    "cbc": r"cbc|complete blood count", "cmp": r"cmp|comprehensive metabolic panel",
    "bmp": r"bmp|basic metabolic panel", "a1c": r"a1c|hba1c|hemoglobin a1c|glycated hemoglobin",
    "lipids": r"lipid panel|lipids|fasting lipid|cholesterol panel", "tsh": r"tsh|thyroid panel|free t4",
    "ua": r"urinalysis|\bua\b|urine dip", "urine culture": r"urine culture", "psa": r"\bpsa\b",
    "vitamin d": r"vitamin d level|25-oh vitamin d|vit d level", "b12": r"b12 level|vitamin b12 level",
    "iron": r"iron studies|ferritin", "inr": r"\binr\b|pt/inr|prothrombin time", "lft": r"lfts?|liver function|hepatic panel",
    "bnp": r"\bbnp\b|nt-probnp", "troponin": r"troponin", "d-dimer": r"d-dimer", "esr": r"\besr\b|sed rate",
    "crp": r"\bcrp\b|c-reactive", "strep": r"rapid strep|strep test|throat culture", "flu test": r"flu (?:swab|test)|influenza (?:swab|test)",
    "covid test": r"covid (?:test|swab|pcr)|sars-cov-2 (?:test|pcr)", "ekg": r"ekg|ecg|electrocardiogram",
    "echo": r"echocardiogram|\becho\b", "cxr": r"chest x-?ray|cxr", "xray": r"(?<!chest )x-?rays?|radiographs?",
    "ct": r"\bct\b|cat scan", "mri": r"\bmri\b", "us": r"ultrasound|sonogram", "dexa": r"dexa|bone density",
    "spirometry": r"spirometry|pfts?|pulmonary function", "stress test": r"stress test", "holter": r"holter|event monitor",
    "microalbumin": r"microalbumin|uacr|urine albumin", "creatinine": r"creatinine|egfr", "potassium": r"potassium level",
    "mag": r"magnesium", "culture": r"wound culture|blood cultures?", "hiv": r"hiv test", "hep": r"hepatitis panel|hcv antibody",
    "pap": r"pap smear|pap test", "mammogram": r"diagnostic mammogram", "sleep study": r"sleep study|polysomnogram",
    "glucose": r"fasting glucose|glucose tolerance",
}
_TEST_KEYS = list(TESTS)
# One alternation with a named group per test: one scan of the text finds every test mentioned.
TESTS_RE = re.compile(r"(?<![\w-])(?:" + "|".join(rf"(?P<t{i}>{TESTS[k]})" for i, k in enumerate(_TEST_KEYS))
                      + r")(?!\w)", re.IGNORECASE)


def test_name(m: re.Match[str]) -> str:
    return _TEST_KEYS[int((m.lastgroup or "t0")[1:])]

EXTERNAL_NOTES = re.compile(r"\b(?:reviewed|review of)\b[^.\n]{0,40}\b(?:outside|external|prior|previous|hospital|"
                            r"er|ed|specialist|discharge)\b[^.\n]{0,20}\b(?:records?|notes?|summary)\b|"
                            r"\brecords? from\b", re.IGNORECASE)
HISTORIAN = re.compile(r"\b(?:history (?:was )?(?:obtained|provided|given) (?:from|by)|independent historian|"
                       r"per (?:his|her|the patient's) (?:mother|father|wife|husband|daughter|son|caregiver|parent)s?|"
                       r"(?:mother|father|wife|husband|daughter|son|caregiver|parent)s? (?:provides|provided|gives) "
                       r"(?:the )?history)\b", re.IGNORECASE)
INTERPRETATION = re.compile(r"\b(?:i|we) (?:personally |independently )?(?:reviewed and )?(?:interpreted|"
                            r"reviewed the (?:images|films?|tracing))\b|\bmy (?:own )?(?:interpretation|read)\b|"
                            r"\bindependent(?:ly)? (?:interpret|reviewed)|\bpersonally (?:reviewed|interpreted)\b",
                            re.IGNORECASE)
DISCUSSION = re.compile(r"\b(?:discussed|spoke|consulted|conferred)\b[^.\n]{0,30}\bwith\b[^.\n]{0,20}"
                        r"\b(?:dr\.?|doctor|cardiolog\w*|nephrolog\w*|endocrinolog\w*|radiolog\w*|surgeon|"
                        r"oncolog\w*|specialist|pharmacist|case manager|neurolog\w*|orthoped\w*)", re.IGNORECASE)

HIGH_RISK = re.compile(r"\b(?:admit(?:ted|ting)?(?! date)|hospitali[sz]ation|hospital admission|"
                       r"(?:send|sent|transfer(?:red)?|refer(?:red)?) (?:him |her |them |the patient )?(?:directly )?"
                       r"to (?:the )?(?:er|ed|emergency)|emergency department|dnr|do not resuscitate|hospice|"
                       r"intensive monitoring for toxicity|emergency surgery|major surgery)\b", re.IGNORECASE)
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
    "anastrozole|tamoxifen|ivermectin|mebendazole|cetirizine 10 mg prescription|epinephrine|epipen")
RX_RE = re.compile(rf"\b(?:{RX_DRUGS})\b|\bprescri(?:be|bed|ption)\b|\brefills?\b|\bdose\b|\btitrat", re.IGNORECASE)
OTC_RE = re.compile(r"\b(?:acetaminophen|tylenol|ibuprofen|advil|motrin|aleve|otc|over[- ]the[- ]counter|"
                    r"loratadine|cetirizine|zyrtec|claritin|saline|fluids|rest|ice|heat|physical therapy|"
                    r"home exercise|stretching|lozenges|honey|humidifier)\b", re.IGNORECASE)

# Not stable: worse, not at goal, or a treatment change (AMA: a patient not at treatment goal is
# not stable; starting or changing a drug for a chronic illness says it is not at goal).
WORSE_RE = re.compile(r"\b(?:uncontrolled|poorly controlled|not (?:well )?controlled|worsen\w*|worse|exacerbation|"
                      r"flare\w*|progress\w*|not at goal|above goal|suboptimal\w*|elevated|inadequately controlled|"
                      r"(?<!no )side effects?|deteriorat\w*|increas\w*|undertreated|start(?:ed)?|initiate\w*|"
                      r"add(?:ed)?|reduc\w*|decreas\w*|adjust\w*|titrat\w*)\b", re.IGNORECASE)
SEVERE_RE = re.compile(r"\bsevere (?:exacerbation|flare)|threat to (?:life|bodily)|life[- ]threatening|"
                       r"\bunstable\b|\bcritical\b", re.IGNORECASE)
SYSTEMIC_RE = re.compile(r"\b(?:fevers?|febrile|chills|rigors|malaise|body aches|myalgias?)\b", re.IGNORECASE)
NEW_PATIENT_RE = re.compile(r"\bnew patient\b|\bestablish(?:ing)? (?:primary )?care\b|\bnew to (?:the |our |this )?"
                            r"(?:clinic|practice|office)\b|\bfirst visit (?:to|with|at)\b|\bnew patient visit\b",
                            re.IGNORECASE)
AGE_RE = re.compile(r"\b(\d{1,3})[- ](?:year|yr)s?[- ]?old\b|\b(\d{1,3}) ?(?:y/o|yo|y\.o\.)(?!\w)", re.IGNORECASE)
TIME_RE = re.compile(r"\b(?:total (?:time|of)\b[^.\n\d]{0,40}?(\d{1,3})\s*(?:min|minutes)|spent\b[^.\n\d]{0,25}?"
                     r"(\d{1,3})\s*(?:min|minutes)|(\d{1,3})\s*(?:min|minutes) (?:were |was )?spent)",
                     re.IGNORECASE)

# ICD-10-CM 3-character categories we treat as chronic illnesses.
CHRONIC = frozenset([
    "I10", "I11", "I12", "I13", "I15", "I1A", "E10", "E11", "E13", "E78", "E03", "E05", "E06", "E66", "E28",
    "E55", "N18", "I48", "I50", "J44", "J43", "J45", "K21", "F32", "F33", "F41", "F43", "F31", "F20", "F90",
    "F84", "F10", "F17", "G43", "G47", "G40", "G20", "G30", "G35", "F03", "M17", "M16", "M19", "M81", "M85",
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
