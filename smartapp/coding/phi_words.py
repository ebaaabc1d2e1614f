"""Word lists that tell a person's name from an ordinary or clinical word (for :mod:`.phi_names`).

Shipped in ``phi_data/`` (rebuilt by scripts/build_phi_lists.py; sources and licences in
phi_data/README.md): given and family names from the 1990 US Census, English words from SCOWL
(wamerican), clinical words from ICD-10-CM titles, US place names from GeoNames. Loaded once per process (about 30 ms).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .phi_patterns import NOT_NAMES

_DATA = Path(__file__).with_name("phi_data")

# Words that are never part of a name or a facility's distinctive part: section and service words,
# departments, days, months, sentence starters. Added to NOT_NAMES and the ICD-10-CM words.
STOP_WORDS = frozenset(re.findall(r"\S+", """
review systems physical exam examination chief complaint present illness impression medications
medication allergies allergy vitals vital signs social surgical past medical results result imaging
data labs procedure procedures subjective objective diagnosis diagnoses problem problems instructions
follow-up followup return discharge admission consult consultation referral orders order summary
general constitutional heent neck chest lungs heart abdomen extremities skin neuro psych musculoskeletal
cardiovascular respiratory gastrointestinal genitourinary neurological psychiatric hematologic
endocrine lymphatic integumentary sunday ma'am sir mr mrs ms miss dr md do np pa rn
gi pt ot ent id ortho derm endo renal pulm pulmonary cardiac surgery medicine pediatrics internal
infectious disease diseases wound hospitalist oncologist surgeon neurologist cardiologist nephrologist
psychiatrist dermatologist urologist rheumatologist endocrinologist gastroenterologist pharmacist
positive negative continue start started stop stopped increase decrease check recheck consider
schedule scheduled refer refill prescribe prescribed order ordered patient patients mild moderate
severe acute chronic stable improved improving worse worsening new old left right upper lower
see figure figures table tables appendix caucasian hispanic latino latina asian african american european
canadian norwegian mediterranean australian japanese chinese korean mexican british french german italian
spanish swedish finnish danish dutch irish scottish brazilian russian
dob mrn sex age acct account dos date birth visit encounter dear hi hello thanks thank sincerely regards
""")) | NOT_NAMES

# Months and days: never a name or a place on their own.
MONTHS_DAYS = frozenset(re.findall(r"\S+", """january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday"""))

# A medical specialty's name ("Hepatology", "Psychiatry", "Pediatrics"): a service, never a person's or a place's.
SPECIALTY_ENDING = re.compile(r"(?:ology|iatry|iatrics|ics)$")

# Given names that are also everyday words ("Will", "May", "Grant"): weak evidence on their own.
COMMON_WORD_GIVEN = frozenset(re.findall(r"\S+", """
will may mark bill art grant hunter faith joy hope rose dawn summer chase amber lily victor ray guy jack
frank gene iris pat sue don rich sunny april june august autumn winter crystal ruby pearl ivy holly
heather daisy violet sky rusty buddy king prince major earl angel precious miracle destiny harmony
patience charity trinity christian page lane dale glen cliff wade drew miles penny candy ginger honey
star misty stormy river reed forrest woody sandy rocky bud chance cash colt gay hardy norm sterling
baby lady love sharon carol carmen mercy joe
"""))


@dataclass(frozen=True)
class Lexicon:
    given: frozenset[str]
    family: frozenset[str]
    english: frozenset[str]
    clinical: frozenset[str]
    clinical_proper: frozenset[str]     # eponyms and places among the clinical words
    common_family: frozenset[str]       # the 5,000 most frequent family names ("Fox", "Bell", not "Pain")


def _read(name: str) -> frozenset[str]:
    return frozenset((_DATA / name).read_text().split())


# Round 47: clinical words and staff shorthand that no list holds and that opened a sentence as a name ("Appt
# confirmed", "Vasc surg (Rich) aware", "Waitlisted for transplant", "Cycler settings"); round 50: a pump's letters
# ("Dilaudid PCA"); round 53: the letters of history, symptoms, treatment and fracture ("Hx Hashimoto's"; not "Dx" and
# "Rx", which end companies' names: "Molecular Dx", "Express Rx").
TYPED_ABBREVIATIONS = frozenset(re.findall(r"\S+", """
appt appts vasc surg neuro-ophth cardiothor waitlisted cycler afib mon tue tues wed thu thur thurs fri sat pca
hx sx tx fx
"""))


# Round 52: ancestries a genetics note records ("Ashkenazi Jewish ancestry on both sides"): clinical words, no name.
ANCESTRIES = frozenset(re.findall(r"\S+", """
ashkenazi sephardi sephardic mizrahi amish mennonite hutterite hmong finnish
"""))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    family = (_DATA / "family_names.txt").read_text().split()       # most frequent first
    return Lexicon(_read("given_names.txt"), frozenset(family), _read("english_words.txt"),
                   _read("clinical_words.txt") | BRANDS | TYPED_ABBREVIATIONS | ANCESTRIES,
                   _read("clinical_proper_nouns.txt"),
                   frozenset(family[:5000]))


@lru_cache(maxsize=1)
def us_places() -> frozenset[str]:
    """US towns and cities ("lone tree", "coon rapids"), lowercase: a campus or town after a facility's name."""
    return frozenset((_DATA / "us_places.txt").read_text().splitlines())


# Drug brand names, device or product names and named formulas that are written capitalised in running text and that
# no list above holds ("Continue Eliquis and Jardiance", "Trelegy Ellipta"): clinical words, never a
# name. Our own list of common US outpatient brands (round 51: and the oncology and supportive-care brands of infusion
# and trial notes, "attributed to Padcev", "candidate for Blincyto"; round 52: rare-disease and epilepsy brands,
# "consider Epidiolex or Fintepla", "Cerezyme versus Cerdelga").
BRANDS = frozenset(re.findall(r"\S+", """
abilify accupril aciphex actos adderall advair advil afrezza aldactone aleve allegra altace amaryl ambien
anoro arava aricept arixtra arnuity atacand ativan augmentin avapro avodart azor bactrim basaglar benadryl
benicar biktarvy boniva breo brilinta bumex buspar bystolic byetta caduet calan cardizem cardura catapres
celebrex celexa cellcept chantix cialis cipro claritin cleocin clozaril cogentin colace combivent concerta
coreg corgard coumadin cozaar crestor cymbalta dayvigo decadron deltasone depakote descovy desyrel dexilant
diflucan dilantin dilaudid diovan ditropan dulcolax dupixent effexor effient elavil eliquis ellipta enbrel
entresto entyvio epipen evista farxiga fasenra femara flagyl flexeril flomax flonase flovent fosamax
glucophage glucotrol glyxambi humalog humira hyzaar imdur imitrex imodium imuran invega invokana jakafi
janumet januvia jardiance kenalog keflex keppra keytruda klonopin lamictal lantus lasix levaquin levemir
lexapro librax lipitor lisinopril lopressor lotensin lovenox lunesta lyrica macrobid medrol metrogel
mirena miralax mobic motrin mounjaro multaq myrbetriq namenda narcan neurontin nexium nexplanon norco
norvasc novolog nucala nurtec ocrevus ofev opdivo otezla oxycontin ozempic pataday paxil paxlovid pepcid
percocet plaquenil plavix pradaxa praluent pravachol premarin prevacid prilosec pristiq prograf prolia
protonix provera prozac pulmicort qulipta ranexa reglan relistor remeron remicade repatha requip restasis
revlimid rinvoq risperdal ritalin rituxan robaxin rybelsus saxenda senna seroquel singulair skyrizi
soliqua spiriva stelara strattera suboxone symbicort synthroid tamiflu tegretol tenormin tivicay
toprol toradol toujeo tradjenta trelegy tresiba tricor trileptal trintellix trulicity truvada tylenol
ubrelvy ultram valium valtrex vascepa ventolin verzenio viagra vicodin victoza vimpat voltaren vraylar
vyvanse wegovy wellbutrin xanax xarelto xeljanz xiidra xolair yervoy zanaflex zantac zebeta zepbound
zestril zetia zithromax zocor zofran zoloft zometa zovirax zyprexa zyrtec nplate tecfidera gilenya
aubagio kesimpta mavenclad tysabri ocaliva harvoni epclusa mavyret genvoya stribild odefsey juluca
dovato cabenuva emgality aimovig ajovy vyepti botox xeomin dysport juvederm restylane kybella latisse
diskus respimat handihaler flexpen kwikpen flextouch solostar turbuhaler inhub pressair aerosphere
dexcom libre freestyle omnipod tandem medtronic minimed holter zio foley swan-ganz hickman groshong
port-a-cath penrose jackson-pratt blakemore doppler ambu bovie lovaza metamucil pedialyte gatorade
ensure glucerna boost zosyn unasyn cologuard bair hugger exparel aircast stryker zimmer biomet resmed
respironics airsense dreamstation inspire watchman mitraclip impella vinci urolift rezum
envarsus malarone typhim havrix hill-rom
albuterol prednisone prednisolone methylprednisolone triamcinolone hydrocortisone dexamethasone budesonide
fluticasone mometasone montelukast ipratropium tiotropium salmeterol formoterol levalbuterol cetirizine
loratadine fexofenadine diphenhydramine hydroxyzine famotidine omeprazole pantoprazole esomeprazole
lansoprazole ondansetron metoclopramide docusate sennosides polyethylene bisacodyl loperamide acetaminophen
ibuprofen naproxen meloxicam celecoxib diclofenac ketorolac tramadol oxycodone hydrocodone morphine
gabapentin pregabalin duloxetine sertraline fluoxetine citalopram escitalopram paroxetine venlafaxine
bupropion trazodone mirtazapine amitriptyline nortriptyline buspirone lorazepam alprazolam clonazepam
diazepam zolpidem quetiapine olanzapine risperidone aripiprazole haloperidol lithium lamotrigine
levetiracetam topiramate valproate carbamazepine phenytoin oxcarbazepine donepezil memantine
metformin glipizide glyburide glimepiride sitagliptin empagliflozin dapagliflozin canagliflozin
semaglutide liraglutide dulaglutide tirzepatide insulin glargine lispro aspart detemir degludec
lisinopril enalapril ramipril benazepril losartan valsartan irbesartan olmesartan telmisartan amlodipine
nifedipine diltiazem verapamil metoprolol carvedilol atenolol propranolol labetalol nebivolol bisoprolol
hydrochlorothiazide chlorthalidone furosemide bumetanide torsemide spironolactone eplerenone hydralazine
clonidine isosorbide nitroglycerin digoxin amiodarone apixaban rivaroxaban dabigatran warfarin heparin
enoxaparin clopidogrel ticagrelor prasugrel aspirin atorvastatin rosuvastatin simvastatin pravastatin
ezetimibe fenofibrate levothyroxine methimazole propylthiouracil alendronate tamsulosin finasteride
oxybutynin sildenafil tadalafil estradiol progesterone medroxyprogesterone testosterone amoxicillin
augmentin azithromycin doxycycline cephalexin cefdinir ceftriaxone cefazolin ciprofloxacin levofloxacin
nitrofurantoin trimethoprim sulfamethoxazole clindamycin metronidazole vancomycin linezolid piperacillin
tazobactam meropenem fluconazole nystatin acyclovir valacyclovir oseltamivir nirmatrelvir ritonavir
hydroxychloroquine methotrexate sulfasalazine adalimumab etanercept infliximab allopurinol colchicine
febuxostat cyclobenzaprine methocarbamol tizanidine baclofen lidocaine bupivacaine naloxone buprenorphine
methadone varenicline nicotine epinephrine ferrous cyanocobalamin cholecalciferol ergocalciferol
potassium magnesium calcium mupirocin bacitracin neosporin hydrogen ketoconazole terbinafine clotrimazole
permethrin ivermectin albendazole tdap dtap mmr varicella zoster shingrix gardasil prevnar pneumovax
fluzone flublok afluria comirnaty spikevax novavax arexvy abrysvo beyfortus
zinplava vancocin dificid xifaxan linzess amitiza trulance motegrity movantik
creon zenpep pertzye hemlibra advate eloctate kcentra andexxa praxbind activase tnkase alteplase
cockcroft-gault ckd-epi mdrd
santyl solu-cortef cortef florinef act-o-vial rytary sinemet pitocin cervidil cytotec
greulich dosepak scd scds glidescope nepro pleur-evac aquacel
krystexxa neulasta onpro viberzi zurzuvae monospot watchpat
hgb hct plt wbc rbc bun egfr hba1c trop lytes phos hemovac kerley finnegan bayesian
gadavist miebo quantiferon quantiferon-tb t-spot hertel zynex nexwave kardex vyndamax vyndaqel trikafta soliris
fabrazyme galafold kurtzke menveo lagevrio jamar theraband
kiwi omnicup medela symphony hemabate duramorph procardia diclegis similac pro-sensitive enfamil enspire
engerix-b heplisav-b extraneal nxstage insure mcroberts rubin bhutani carpenter-coustan kell kossa charlson daugirdas
bazett fridericia phonak audeo lumity tepezza tofflemire ecochg caldwell-luc combigan gracey
mepilex hoyer medihoney stamaril latarjet synvisc gamow
hemoccult synagis vaxelis ehlers-danlos fleischner loeys-dietz
xience skypoint cardiomems glidesheath surescan frenchay
medminder rumack-matthew cadd-solis
padcev blincyto taxol taxotere abraxane tecentriq imfinzi herceptin perjeta kadcyla enhertu trodelvy avastin
erbitux vectibix gazyva imbruvica calquence brukinsa venclexta pomalyst darzalex kyprolis velcade ninlaro tagrisso
alecensa xtandi zytiga lynparza zejula ibrance kisqali nexavar stivarga lenvima cabometyx sutent inlyta votrient
gleevec sprycel tasigna xospata tibsovo idhifa kymriah yescarta breyanzi abecma carvykti tecvayli elrexfio talvey
columvi epkinly lunsumio polivy adcetris elahere tivdak zynlonta besponsa mylotarg vyxeos onivyde lonsurf xeloda
temodar gemzar alimta navelbine halaven ixempra jevtana eligard firmagon neupogen udenyca fulphila zarxio granix
aranesp procrit retacrit emend akynzeo aloxi kytril
epidiolex fintepla cerdelga cerezyme spinraza zolgensma evrysdi kalydeco orkambi symdeko kuvan palynziq strensiq
crysvita elaprase naglazyme vimizim aldurazyme lumizyme nexviazyme elelyso vpriv cystadane carbaglu ravicti buphenyl
cholbam givlaari oxlumo amvuttra onpattro tegsedi evkeeza juxtapid alprolix idelvion benefix nulibry skyclarys daybue
ztalmy diacomit xcopri briviact fycompa sabril onfi banzel
"""))
