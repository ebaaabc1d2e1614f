# ruff: noqa: E501  (data module: one concept per line reads better than wrapped lines)
"""The curated term list: ``CODE [R=.. L=.. B=..] | phrase; phrase`` per line (see :mod:`.lexicon`).

Every code must be billable or take a 7th character (a unit test checks). Macros such as ``{T2DM}``
expand to the variants in :data:`.lexicon.MACROS`.
"""

RAW = """
I10 | {HTN}; benign essential hypertension; primary hypertension
I12.9 | hypertensive ckd; hypertensive chronic kidney disease; hypertensive kidney disease; hypertensive nephropathy; hypertensive nephrosclerosis
I11.9 | hypertensive heart disease; hypertensive heart dz; hypertensive cardiomyopathy
I13.10 | hypertensive heart and kidney disease; hypertensive heart and chronic kidney disease
R03.0 | elevated blood pressure; elevated bp; elevated blood pressure reading
E11.9 | {T2DM}
E11.65 | uncontrolled {T2DM}; poorly controlled {T2DM}; {T2DM} with hyperglycemia; {T2DM} uncontrolled; {T2DM} poorly controlled
E11.42 | diabetic peripheral neuropathy; diabetic polyneuropathy; {T2DM} with neuropathy; {T2DM} with peripheral neuropathy
E11.40 | diabetic neuropathy
L97.509 R=L97.519 L=L97.529 | foot ulcer; ulcer of foot; ulcer of the foot; ulcer on foot; ulcer on the foot; ulcer foot; non healing ulcer foot; non healing foot ulcer; nonhealing foot ulcer; nonhealing ulcer foot; diabetic foot ulcer; non healing diabetic foot ulcer; nonhealing diabetic foot ulcer; chronic foot ulcer
L97.409 R=L97.419 L=L97.429 | heel ulcer; ulcer of heel; ulcer of the heel; ulcer on heel; ulcer on the heel
L97.909 R=L97.919 L=L97.929 | leg ulcer; ulcer of leg; lower extremity ulcer; ulcer of lower leg
E11.21 | diabetic nephropathy
E11.319 | diabetic retinopathy
E11.649 | {T2DM} with hypoglycemia; {T2DM} with recurrent hypoglycemia
E10.9 | {T1DM}
E10.649 | {T1DM} with hypoglycemia; {T1DM} with recurrent hypoglycemia
E11.10 | diabetic ketoacidosis; dka; diabetic ketoacidosis without coma; {T2DM} with ketoacidosis; {T2DM} with dka
E11.11 | diabetic ketoacidosis with coma; dka with coma
E10.10 | {T1DM} with ketoacidosis; {T1DM} with dka; {T1DM} with diabetic ketoacidosis
E10.65 | uncontrolled {T1DM}; poorly controlled {T1DM}
B07.8 | verruca vulgaris; common wart; common warts; verrucae; wart; warts; viral wart; viral warts
D49.2 | neoplasm of unspecified behavior of skin; skin neoplasm of unspecified behavior
Z01.810 | preprocedural cardiovascular examination; preoperative cardiovascular examination; pre-op cardiac clearance
R73.03 | prediabetes; pre diabetes; prediabetic; borderline diabetes
R73.9 | hyperglycemia
E78.5 | hyperlipidemia; hld; dyslipidemia; hyperlipemia
E78.00 | hypercholesterolemia; high cholesterol; elevated cholesterol; pure hypercholesterolemia
E78.2 | mixed hyperlipidemia; combined hyperlipidemia
E78.1 | hypertriglyceridemia; elevated triglycerides; high triglycerides
N18.9 | {CKD}
N18.1 | {CKD} stage 1; stage 1 {CKD}; {CKD} 1; hypertensive {CKD} stage 1; hypertensive {CKD} 1
N18.2 | {CKD} stage 2; stage 2 {CKD}; {CKD} 2; {CKD} stage ii; hypertensive {CKD} stage 2; hypertensive {CKD} 2
N18.30 | {CKD} stage 3; stage 3 {CKD}; {CKD} 3; {CKD} stage iii; hypertensive {CKD} stage 3; hypertensive {CKD} 3
N18.31 | {CKD} stage 3a; stage 3a {CKD}; {CKD} 3a; {CKD} iiia; hypertensive {CKD} stage 3a; hypertensive {CKD} 3a
N18.32 | {CKD} stage 3b; stage 3b {CKD}; {CKD} 3b; {CKD} iiib; hypertensive {CKD} stage 3b; hypertensive {CKD} 3b
N18.4 | {CKD} stage 4; stage 4 {CKD}; {CKD} 4; {CKD} stage iv; hypertensive {CKD} stage 4; hypertensive {CKD} 4
N18.5 | {CKD} stage 5; stage 5 {CKD}; {CKD} 5; hypertensive {CKD} stage 5; hypertensive {CKD} 5
N18.6 | esrd; end stage renal disease; end stage kidney disease; end stage renal failure; end stage kidney failure; endstage renal disease
N17.9 | aki; acute kidney injury; acute renal failure
L02.419 R=L02.411 L=L02.412 | axillary abscess; abscess of axilla; abscess of the axilla; abscess axilla; abscess in axilla; abscess in the axilla; armpit abscess; abscess of armpit; abscess of the armpit
B08.4 | hand, foot and mouth disease; hand foot and mouth disease; hand-foot-mouth disease; hand-foot-and-mouth disease; hand foot mouth disease; hand-foot-mouth; hfmd
I49.3 | premature ventricular contractions; premature ventricular contraction; premature ventricular complexes; premature ventricular complex; premature ventricular beats; ventricular premature beats; ventricular premature complexes; pvcs; pvc; ventricular ectopy
I49.1 | premature atrial contractions; premature atrial contraction; premature atrial complexes; premature atrial complex; premature atrial beats; atrial premature beats
I50.9 | chf; heart failure; congestive heart failure; chronic heart failure
I50.20 | hfref; heart failure with reduced ejection fraction; systolic heart failure; systolic chf
I50.22 | chronic systolic heart failure; chronic systolic chf
I50.30 | hfpef; heart failure with preserved ejection fraction; diastolic heart failure; diastolic chf
I50.32 | chronic diastolic heart failure; chronic diastolic chf
J44.9 | copd; chronic obstructive pulmonary disease; chronic obstructive lung disease
J44.1 | copd exacerbation; exacerbation of copd; acute exacerbation of copd; aecopd; copd with exacerbation; copd with acute exacerbation
J43.9 | emphysema
I51.7 | left ventricular hypertrophy; lvh; concentric lvh; concentric left ventricular hypertrophy; cardiomegaly
K21.9 | gerd; gastroesophageal reflux disease; acid reflux; reflux; gastroesophageal reflux; gord
K21.00 | gerd with esophagitis; reflux esophagitis
M17.9 R=M17.11 L=M17.12 B=M17.0 | knee osteoarthritis; osteoarthritis of knee; osteoarthritis of the knee; knee oa; oa of knee; oa of the knee; degenerative joint disease of knee; knee djd; osteoarthritis of knees; oa knees; osteoarthritis knee
M16.9 R=M16.11 L=M16.12 B=M16.0 | hip osteoarthritis; osteoarthritis of hip; osteoarthritis of the hip; hip oa; oa of hip; oa of the hip
M19.90 | osteoarthritis; oa; degenerative joint disease; djd; arthritis
I48.91 | afib; a fib; atrial fibrillation; a-fib; atrial fib
I48.0 | paroxysmal atrial fibrillation; paroxysmal afib; pafib; paf
I48.21 | permanent atrial fibrillation; permanent afib
I48.20 | chronic atrial fibrillation; chronic afib
I48.92 | atrial flutter
E03.9 | hypothyroidism; hypothyroid; underactive thyroid
E89.0 | postsurgical hypothyroidism; post-surgical hypothyroidism; postoperative hypothyroidism; postprocedural hypothyroidism; postablative hypothyroidism; post-thyroidectomy hypothyroidism; hypothyroidism after thyroidectomy; hypothyroidism post thyroidectomy; hypothyroidism status post thyroidectomy
E89.2 | postsurgical hypoparathyroidism; post-surgical hypoparathyroidism; postoperative hypoparathyroidism; postprocedural hypoparathyroidism; hypoparathyroidism after thyroidectomy; permanent hypoparathyroidism after thyroidectomy
J96.11 | chronic hypoxemic respiratory failure; chronic hypoxic respiratory failure; chronic respiratory failure with hypoxia; chronic respiratory failure with hypoxemia
J96.12 | chronic hypercapnic respiratory failure; chronic hypercarbic respiratory failure; chronic respiratory failure with hypercapnia
J96.01 | acute hypoxemic respiratory failure; acute hypoxic respiratory failure; acute respiratory failure with hypoxia; acute respiratory failure with hypoxemia
J96.02 | acute hypercapnic respiratory failure; acute hypercarbic respiratory failure; acute respiratory failure with hypercapnia
J96.21 | acute on chronic hypoxemic respiratory failure; acute on chronic hypoxic respiratory failure; acute on chronic respiratory failure with hypoxia
J96.22 | acute on chronic hypercapnic respiratory failure; acute on chronic hypercarbic respiratory failure; acute on chronic respiratory failure with hypercapnia
Z79.899 | long term drug therapy; long term current drug therapy
E05.90 | hyperthyroidism; overactive thyroid
E06.3 | hashimoto thyroiditis; hashimotos; hashimoto; hashimoto's thyroiditis
F32.A | depression; depressive disorder; depressed mood disorder
F32.9 | major depressive disorder; mdd; major depression
F33.9 | recurrent major depressive disorder; major depressive disorder recurrent; mdd recurrent
F41.9 | anxiety; anxiety disorder
F41.1 | gad; generalized anxiety disorder
F41.0 | panic disorder; panic attacks
F41.8 | mixed anxiety and depression; anxiety with depression; anxiety and depression
F43.10 | ptsd; post traumatic stress disorder; posttraumatic stress disorder
F43.20 | adjustment disorder
F31.9 | bipolar disorder; bipolar
F90.9 | adhd; attention deficit hyperactivity disorder; attention deficit disorder
F90.2 | adhd combined type; adhd, combined type; attention deficit hyperactivity disorder combined type
F90.0 | adhd predominantly inattentive type; adhd inattentive type
J45.909 | asthma; reactive airway disease; bronchial asthma
J45.20 | mild intermittent asthma
J45.30 | mild persistent asthma
J45.40 | moderate persistent asthma
J45.50 | severe persistent asthma
J45.901 | asthma exacerbation; exacerbation of asthma; asthma attack; acute asthma exacerbation
E66.9 | obesity; obese
E66.01 | morbid obesity; morbidly obese; severe obesity
E66.3 | overweight
E66.811 | obesity class 1; class 1 obesity; class i obesity
E66.812 | obesity class 2; class 2 obesity; class ii obesity
E66.813 | obesity class 3; class 3 obesity; class iii obesity
G43.909 | migraine; migraines; migraine headache; migraine headaches
G43.009 | migraine without aura
G43.109 | migraine with aura
G43.709 | chronic migraine
G44.209 | tension headache; tension type headache; tension headaches
R51.9 | headache; headaches; cephalgia
M54.50 | low back pain; lbp; lumbago; lower back pain; lumbar pain; low back ache
M54.9 | back pain; backache; dorsalgia
M54.2 | neck pain; cervicalgia
M54.6 | thoracic back pain; thoracic spine pain; mid back pain
M54.30 R=M54.31 L=M54.32 | sciatica
M54.16 | lumbar radiculopathy
M54.12 | cervical radiculopathy
M62.830 | muscle spasm of back; back spasm; back spasms; paraspinal spasm
M79.7 | fibromyalgia
M06.9 | rheumatoid arthritis; ra
M10.9 | gout; gouty arthritis
M10.079 R=M10.071 L=M10.072 | gout of great toe; gout flare of great toe; acute gout flare of great toe; gout of toe; gout flare of toe; podagra; gout of foot; gout flare of foot; gout of first mtp joint; gout of ankle
M10.069 R=M10.061 L=M10.062 | gout of knee; gout flare of knee
M81.0 | osteoporosis; postmenopausal osteoporosis
M85.80 | osteopenia
M25.50 | joint pain; arthralgia; polyarthralgia
M25.569 R=M25.561 L=M25.562 | knee pain; pain in knee; pain in the knee
M25.519 R=M25.511 L=M25.512 | shoulder pain; pain in shoulder; pain in the shoulder
M25.559 R=M25.551 L=M25.552 | hip pain; pain in hip; pain in the hip
M25.579 R=M25.571 L=M25.572 | ankle pain; pain in ankle
M25.539 R=M25.531 L=M25.532 | wrist pain; pain in wrist
M25.529 R=M25.521 L=M25.522 | elbow pain; pain in elbow
M79.673 R=M79.671 L=M79.672 | foot pain; pain in foot
M79.643 R=M79.641 L=M79.642 | hand pain; pain in hand
M79.606 R=M79.604 L=M79.605 | leg pain; pain in leg
M79.10 | myalgia; muscle aches; body aches; myalgias
M72.2 | plantar fasciitis
M77.10 R=M77.11 L=M77.12 | lateral epicondylitis; tennis elbow
M75.100 R=M75.101 L=M75.102 | rotator cuff tear
M75.40 R=M75.41 L=M75.42 | shoulder impingement; impingement syndrome
G56.00 R=G56.01 L=G56.02 B=G56.03 | carpal tunnel syndrome; carpal tunnel
G62.9 | peripheral neuropathy; polyneuropathy; neuropathy
G25.81 | restless legs syndrome; restless leg syndrome; rls
G47.33 | osa; obstructive sleep apnea
G47.30 | sleep apnea
G47.00 | insomnia
R06.83 | snoring
G40.909 | epilepsy; seizure disorder
R56.9 | seizure; seizures
G45.9 | tia; transient ischemic attack
I63.9 | stroke; cva; cerebrovascular accident; cerebral infarction
F03.90 | dementia
G30.9 | alzheimer disease; alzheimers disease; alzheimer's disease; alzheimers
G30.1 | late onset alzheimer disease; late onset alzheimer's disease; late onset alzheimers disease; late onset alzheimer's dementia; alzheimer's disease late onset; alzheimer disease late onset; alzheimer's dementia late onset; alzheimers disease late onset
G30.0 | early onset alzheimer disease; early onset alzheimer's disease; early onset alzheimers disease; early onset alzheimer's dementia; alzheimer's disease early onset; alzheimer disease early onset; alzheimer's dementia early onset
G51.0 | bell palsy; bells palsy; bell's palsy; facial paralysis; facial palsy; facial nerve palsy; facial nerve paralysis
J06.9 | uri; upper respiratory infection; upper respiratory tract infection; viral uri; viral upper respiratory infection; viral upper respiratory tract infection
J00 | common cold; head cold; acute nasopharyngitis
J01.90 | acute sinusitis; sinusitis; acute rhinosinusitis; sinus infection
J32.9 | chronic sinusitis
J02.9 | pharyngitis; sore throat; acute pharyngitis
J02.0 | strep throat; streptococcal pharyngitis; strep pharyngitis
J03.90 | tonsillitis
J20.9 | acute bronchitis
J40 | bronchitis
J18.9 | pneumonia; community acquired pneumonia; cap
J11.1 | influenza; flu
J10.1 | influenza a; influenza b; flu a; flu b; influenza type a; influenza type b; influenza a virus; influenza b virus; influenza a infection; influenza b infection
J10.00 | influenza a with pneumonia; influenza b with pneumonia; influenza a pneumonia; influenza b pneumonia
U07.1 | covid 19; covid; covid19; sars cov 2 infection; coronavirus disease 2019
J30.9 | allergic rhinitis
J30.2 | seasonal allergies; seasonal allergic rhinitis; hay fever
J05.0 | croup
J21.9 | bronchiolitis
H66.90 R=H66.91 L=H66.92 B=H66.93 | otitis media; ear infection; aom; acute otitis media; middle ear infection
H60.90 R=H60.91 L=H60.92 B=H60.93 | otitis externa; swimmer's ear; swimmers ear
H61.20 R=H61.21 L=H61.22 B=H61.23 | cerumen impaction; impacted cerumen; impacted earwax; ear wax impaction
H10.9 | conjunctivitis; pink eye
H40.9 | glaucoma
H26.9 | cataract; cataracts
H91.90 R=H91.91 L=H91.92 B=H91.93 | hearing loss
H93.19 R=H93.11 L=H93.12 B=H93.13 | tinnitus
H81.10 R=H81.11 L=H81.12 B=H81.13 | bppv; benign paroxysmal positional vertigo
N39.0 | uti; urinary tract infection; utis; recurrent uti; recurrent utis; recurrent urinary tract infections; urinary tract infections
N30.90 | cystitis
N10 | pyelonephritis; acute pyelonephritis
N20.0 | kidney stone; kidney stones; nephrolithiasis; renal calculus; renal lithiasis; renal calculi; renal stones
N40.0 | bph; benign prostatic hyperplasia; enlarged prostate; benign prostatic hypertrophy
N40.1 | bph with luts; bph with lower urinary tract symptoms
N52.9 | erectile dysfunction
N95.1 | menopausal symptoms; menopause symptoms; hot flashes; hot flushes; vasomotor symptoms
N94.6 | dysmenorrhea
N92.0 | menorrhagia; heavy menstrual bleeding
E28.2 | pcos; polycystic ovary syndrome; polycystic ovarian syndrome
R30.0 | dysuria
R35.0 | urinary frequency; pollakiuria
R31.9 | hematuria
R80.9 | proteinuria; microalbuminuria
I25.10 | cad; coronary artery disease; ascvd; atherosclerotic heart disease; coronary heart disease
I25.2 | old myocardial infarction; old mi
I21.9 | heart attack; myocardial infarction; acute myocardial infarction; acute mi; acute heart attack
I21.3 | stemi; st elevation myocardial infarction; st elevation mi; st segment elevation myocardial infarction
I21.4 | nstemi; non stemi; non st elevation myocardial infarction; non st elevation mi; non st segment elevation myocardial infarction
I21.02 | stemi of the lad; stemi involving the lad; lad stemi; stemi of the left anterior descending artery; stemi involving the left anterior descending artery; anterior stemi
I21.19 | inferior stemi; inferior wall stemi; inferior st elevation myocardial infarction
I21.A1 | type 2 myocardial infarction; type 2 mi; demand ischemia infarction
S52.529 R=S52.521 L=S52.522 | torus fracture of the distal radius; torus fracture of distal radius; buckle fracture of the distal radius; buckle fracture of distal radius; distal radius torus fracture; distal radius buckle fracture; torus fracture of the radius; buckle fracture of the radius
S52.539 R=S52.531 L=S52.532 | colles fracture; colles' fracture; wrist colles fracture
S42.209 R=S42.201 L=S42.202 | proximal humerus fracture; fracture of proximal humerus; fracture of the proximal humerus; proximal humeral fracture; humeral head fracture; surgical neck of humerus fracture
S13.4 | neck sprain; sprain of neck; sprain of the neck; cervical sprain; whiplash; sprain of cervical spine; whiplash injury
S33.5 | lumbar sprain; sprain of lumbar spine; low back sprain; lumbar spine sprain
S83.419 R=S83.411 L=S83.412 | mcl sprain; medial collateral ligament sprain; sprain of medial collateral ligament; sprain of the medial collateral ligament; mcl strain; medial collateral ligament strain; mcl injury; medial collateral ligament injury
S83.429 R=S83.421 L=S83.422 | lcl sprain; lateral collateral ligament sprain; sprain of lateral collateral ligament; sprain of the lateral collateral ligament; lcl strain; lcl injury; lateral collateral ligament injury
S83.509 R=S83.511 L=S83.512 | acl sprain; acl tear; anterior cruciate ligament sprain; anterior cruciate ligament tear; acl injury; torn acl
S83.529 R=S83.521 L=S83.522 | pcl sprain; pcl tear; posterior cruciate ligament sprain; posterior cruciate ligament tear; pcl injury
S93.499 R=S93.491 L=S93.492 | atfl sprain; anterior talofibular ligament sprain; sprain of anterior talofibular ligament; lateral ankle sprain; calcaneofibular ligament sprain; inversion ankle sprain
M51.16 | lumbar disc herniation with radiculopathy; herniated lumbar disc with radiculopathy; lumbar herniated disc with radiculopathy; lumbar disc disorder with radiculopathy
M51.26 | lumbar disc herniation; herniated lumbar disc; lumbar herniated disc; lumbar disc displacement; herniated disc; disc herniation; herniated nucleus pulposus; hnp
M50.10 | cervical disc herniation with radiculopathy; herniated cervical disc with radiculopathy; cervical disc disorder with radiculopathy
M50.20 | cervical disc herniation; herniated cervical disc; cervical herniated disc
H35.3290 R=H35.3210 L=H35.3220 B=H35.3230 | wet macular degeneration; wet amd; wet armd; exudative macular degeneration; exudative amd; neovascular amd; neovascular macular degeneration; wet age related macular degeneration; exudative age related macular degeneration
H35.3190 R=H35.3110 L=H35.3120 B=H35.3130 | dry macular degeneration; dry amd; dry armd; nonexudative macular degeneration; non exudative macular degeneration; nonexudative amd; dry age related macular degeneration; nonexudative age related macular degeneration; non exudative age related macular degeneration
H35.30 | macular degeneration; amd; armd; age related macular degeneration
I73.9 | pad; peripheral artery disease; peripheral arterial disease; peripheral vascular disease; pvd
I82.409 R=I82.401 L=I82.402 B=I82.403 | dvt; deep vein thrombosis; deep venous thrombosis
I26.99 | pulmonary embolism; pe; pulmonary thromboembolism; pulmonary thromboembolic disease; pulmonary embolus
I95.9 | hypotension
I95.1 | orthostatic hypotension
I95.2 | drug induced hypotension; drug-induced hypotension; medication induced hypotension; hypotension due to medication; hypotension due to medications; orthostatic hypotension due to medication; orthostatic hypotension due to medications
O20.0 | threatened miscarriage; threatened abortion; threatened spontaneous abortion
H90.5 R=H90.41 L=H90.42 B=H90.3 | sensorineural hearing loss; snhl; sensorineural deafness
I83.90 R=I83.91 L=I83.92 B=I83.93 | varicose veins
I42.9 | cardiomyopathy
I35.0 | aortic stenosis
I34.0 | mitral regurgitation
R00.2 | palpitations
R00.0 | tachycardia
R00.1 | bradycardia
R01.1 | heart murmur; murmur
R07.9 | chest pain
R07.89 | atypical chest pain; chest wall pain; chest tightness; non cardiac chest pain; noncardiac chest pain; musculoskeletal chest pain
R50.9 | fever; fevers; febrile
R05.9 | cough
R06.02 | shortness of breath; sob
R06.00 | dyspnea
R06.2 | wheezing
R09.81 | nasal congestion
R53.83 | fatigue; tiredness
R53.1 | weakness; generalized weakness
R42 | dizziness; lightheadedness; vertigo; dizzy
R11.0 | nausea
R11.2 | nausea and vomiting; nausea with vomiting
R11.10 | vomiting
R10.9 | abdominal pain
R10.13 | epigastric pain
R10.11 | right upper quadrant pain; ruq pain
R10.31 | right lower quadrant pain; rlq pain
R10.32 | left lower quadrant pain; llq pain
R10.84 | generalized abdominal pain
R19.7 | diarrhea
K59.00 | constipation
R21 | rash
R60.0 | leg swelling; ankle swelling; lower extremity edema; pedal edema; peripheral edema
R60.9 | edema
R63.4 | weight loss; unintentional weight loss; abnormal weight loss
R63.5 | weight gain; abnormal weight gain
R55 | syncope; fainting
R41.82 | altered mental status
R20.2 | tingling; paresthesia; paresthesias
R20.0 | numbness
R91.1 | pulmonary nodule; lung nodule; solitary pulmonary nodule
R74.01 | elevated liver enzymes; elevated lfts; transaminitis; elevated transaminases
R97.20 | elevated psa
K58.9 | ibs; irritable bowel syndrome
K64.9 | hemorrhoids
K57.30 | diverticulosis
K57.32 | diverticulitis
K29.70 | gastritis
K52.9 | gastroenteritis
K80.20 | cholelithiasis; gallstones
K76.0 | fatty liver; nafld; hepatic steatosis; nonalcoholic fatty liver disease
E55.9 | vitamin d deficiency; low vitamin d; vitamin d insufficiency; hypovitaminosis d
E53.8 | vitamin b12 deficiency; b12 deficiency
D64.9 | anemia
D62 | acute blood loss anemia; acute blood-loss anemia; acute posthemorrhagic anemia; anemia due to acute blood loss; anemia from acute blood loss
Z79.1 | long-term nsaid use; long term nsaid use; long-term use of nsaids; long term use of nsaid; chronic nsaid use; long-term nsaid therapy
D50.9 | iron deficiency anemia
D69.6 | thrombocytopenia
E87.6 | hypokalemia
E87.5 | hyperkalemia
E87.1 | hyponatremia
E86.0 | dehydration
E04.1 | thyroid nodule
L70.0 | acne vulgaris; acne
L40.0 | psoriasis
L20.9 | atopic dermatitis
L30.9 | eczema; dermatitis
L25.9 | contact dermatitis
L50.9 | urticaria; hives
L03.90 | cellulitis
L03.119 R=L03.115 L=L03.116 | cellulitis of leg; leg cellulitis; lower extremity cellulitis; cellulitis of lower leg
L57.0 | actinic keratosis; actinic keratoses; solar keratosis; solar keratoses
L82.1 | seborrheic keratosis; seborrheic keratoses
L82.0 | inflamed seborrheic keratosis; irritated seborrheic keratosis; inflamed seborrheic keratoses; irritated seborrheic keratoses
B35.1 | onychomycosis; toenail fungus
B35.3 | tinea pedis; athlete's foot; athletes foot
B02.9 | shingles; herpes zoster; zoster
B00.9 | herpes simplex; cold sore
B34.9 | viral infection; viral syndrome; viral illness
B37.31 | vaginal yeast infection; vulvovaginal candidiasis; yeast infection; vaginal candidiasis; yeast vaginitis; candida vaginitis; candidal vulvovaginitis
A69.20 | lyme disease
B18.2 | chronic hepatitis c; chronic hcv infection; chronic hepatitis c virus infection; chronic hcv hepatitis
B19.20 | hepatitis c; hep c; hcv infection; hepatitis c virus infection; hcv hepatitis; hepatitis c infection; hcv positive; hcv+
B20 | hiv; hiv disease; hiv infection
F17.210 | smoker; current smoker; cigarette smoker; smokes cigarettes; nicotine dependence; tobacco dependence; tobacco use disorder
Z72.0 | tobacco use
Z87.891 | former smoker; ex smoker; quit smoking; history of tobacco use; history of smoking; past smoker
F10.20 | alcohol dependence; alcoholism; alcohol use disorder
F10.10 | alcohol abuse
Z00.00 | annual physical; annual exam; annual wellness visit; wellness visit; routine physical; general medical exam; preventive visit; annual physical exam; complete physical
Z00.129 | well child visit; well child check; well child exam; well adolescent visit; well adolescent exam; well adolescent check; adolescent well visit; well teen visit
Z23 | flu shot; influenza vaccine; vaccine administered; immunization; flu vaccine; vaccination; vaccine given; vaccine given today; vaccine administered today; pneumococcal vaccine; pneumococcal vaccine given; tdap given; tdap vaccine; shingles vaccine given; shingrix given; covid vaccine given; hpv vaccine given; hepatitis b vaccine given; immunizations given; vaccines given
Z12.11 | screening colonoscopy; colon cancer screening; colorectal cancer screening
Z12.31 | screening mammogram; mammogram; breast cancer screening
Z79.4 | long term insulin use; on insulin; insulin dependent; uses insulin
Z79.01 | long term anticoagulant use; on anticoagulation; on warfarin; on apixaban; on eliquis; on xarelto; long term use of anticoagulants; long term current use of anticoagulants; long term anticoagulation
Z79.84 | long term oral hypoglycemic use; oral hypoglycemic
Z96.659 R=Z96.651 L=Z96.652 B=Z96.653 | knee replacement; total knee replacement; tka; total knee arthroplasty; s/p total knee; status post total knee
Z96.649 R=Z96.641 L=Z96.642 B=Z96.643 | hip replacement; total hip replacement; tha; total hip arthroplasty; s/p total hip; status post total hip
Z95.0 | pacemaker
C64.9 R=C64.1 L=C64.2 | renal {CA}; kidney {CA}; {CA} of kidney; {CA} of the kidney; renal cell carcinoma; clear cell renal cell carcinoma; rcc
C67.9 | bladder {CA}; {CA} of bladder; {CA} of the bladder; urothelial carcinoma of the bladder; urothelial carcinoma; transitional cell carcinoma of bladder
C16.9 | gastric {CA}; stomach {CA}; {CA} of stomach; {CA} of the stomach
C25.9 | pancreatic {CA}; {CA} of pancreas; {CA} of the pancreas; pancreatic adenocarcinoma
C22.0 | hepatocellular carcinoma; hcc
C22.9 | liver {CA}; {CA} of liver; {CA} of the liver
C56.9 R=C56.1 L=C56.2 | ovarian {CA}; {CA} of ovary; {CA} of the ovary
C54.1 | endometrial {CA}; {CA} of endometrium; {CA} of the endometrium
C53.9 | cervical {CA}; {CA} of cervix; {CA} of the cervix
C73 | thyroid {CA}; {CA} of thyroid; {CA} of the thyroid; papillary thyroid carcinoma
C62.90 R=C62.91 L=C62.92 | testicular {CA}; {CA} of testis; {CA} of the testis
C15.9 | esophageal {CA}; {CA} of esophagus; {CA} of the esophagus
C20 | rectal {CA}; {CA} of rectum; {CA} of the rectum
C71.9 | brain {CA}; glioblastoma; glioma
C85.90 | lymphoma; non hodgkin lymphoma
C81.90 | hodgkin lymphoma
C90.00 | multiple myeloma
C95.90 | leukemia
C79.51 | bone metastases; bone metastasis; metastases to bone; metastatic disease to bone; osseous metastases; osseous metastasis; skeletal metastases; bone mets; metastatic bone disease; metastatic bone lesions; bone metastatic lesions
C78.00 R=C78.01 L=C78.02 | lung metastases; lung metastasis; pulmonary metastases; metastases to lung; pulmonary metastasis; lung mets; metastatic lung lesions; metastatic pulmonary nodules
C78.7 | liver metastases; liver metastasis; hepatic metastases; metastases to liver; hepatic metastasis; liver mets; metastatic liver lesions; hepatic metastatic lesions; metastatic liver disease
C79.31 | brain metastases; brain metastasis; metastases to brain
D35.2 | pituitary adenoma; pituitary macroadenoma; pituitary microadenoma
D17.9 | lipoma
D12.6 | colon polyp; colon polyps; colonic polyp; adenomatous colon polyp; tubular adenoma of colon
D25.9 | uterine fibroid; uterine fibroids; fibroid uterus; leiomyoma of uterus; uterine leiomyoma
D32.9 | meningioma
D18.00 | hemangioma
C50.919 R=C50.911 L=C50.912 | breast cancer; breast carcinoma; carcinoma of breast; cancer of breast
C61 | prostate {CA}; prostatic {CA}; {CA} of prostate; {CA} of the prostate
C18.9 | colon {CA}; colorectal {CA}; {CA} of colon; {CA} of the colon
C34.90 R=C34.91 L=C34.92 | lung {CA}; {CA} of lung; {CA} of the lung; bronchogenic carcinoma; non small cell lung cancer; nsclc; small cell lung cancer
C43.9 | melanoma
C44.91 | basal cell carcinoma; bcc
C44.92 | squamous cell carcinoma of skin; cutaneous squamous cell carcinoma
S93.409 R=S93.401 L=S93.402 | ankle sprain; sprain of ankle; sprained ankle; sprain of the ankle
S63.509 R=S63.501 L=S63.502 | wrist sprain; sprain of wrist; sprained wrist
S83.90 R=S83.91 L=S83.92 | knee sprain; sprain of knee; sprained knee
S39.012 | low back strain; lumbar strain; lower back strain; strain of lower back; strain of lumbar muscle; lumbar muscle strain; lumbosacral strain; back strain; paraspinal muscle strain; lumbar paraspinal strain
S16.1 | neck strain; cervical strain; strain of neck
S46.919 R=S46.911 L=S46.912 | shoulder strain
S06.0X9 | concussion
S06.0X0 | concussion without loss of consciousness
S52.509 R=S52.501 L=S52.502 | distal radius fracture; wrist fracture; fracture of distal radius; fractured wrist; broken wrist; fracture of distal end of radius; fracture of the distal end of radius; distal radial fracture; fracture of distal radial; colles fracture
S82.899 R=S82.891 L=S82.892 | ankle fracture; fracture of ankle; fractured ankle; broken ankle
S22.39 R=S22.31 L=S22.32 | rib fracture; fractured rib; broken rib
S42.009 R=S42.001 L=S42.002 | clavicle fracture; fractured clavicle; broken collarbone
S61.419 R=S61.411 L=S61.412 | hand laceration; laceration of hand; laceration of the hand
S51.819 R=S51.811 L=S51.812 | forearm laceration; laceration of forearm; laceration of the forearm
S80.00 R=S80.01 L=S80.02 | knee contusion; contusion of knee; bruised knee
Z34.90 | prenatal visit; normal pregnancy; supervision of normal pregnancy
A74.9 | chlamydia; chlamydia infection; chlamydial infection
A56.2 | chlamydia trachomatis infection; genital chlamydia; chlamydia cervicitis; chlamydial urethritis
A54.9 | gonorrhea; gonorrhoea; gonococcal infection
R39.198 | difficulty urinating; difficulty with urination; difficulty with urinating; trouble urinating; difficulty voiding
L91.8 | skin tag; skin tags; acrochordon; acrochordons
L60.0 | ingrown toenail; ingrown toe nail; ingrowing toenail; ingrown nail; onychocryptosis
B85.0 | head lice; pediculosis capitis
B80 | pinworms; pinworm infection; enterobiasis
B27.90 | mononucleosis; infectious mononucleosis
B08.4 | hand foot and mouth disease; hand foot mouth disease; hfmd
R62.50 | developmental delay; delayed development
C77.9 | lymph node metastases; lymph node metastasis; nodal metastases; nodal metastasis; metastatic lymph nodes; metastatic lymph node; metastatic lymphadenopathy
C78.6 | peritoneal carcinomatosis; peritoneal metastases; peritoneal metastasis; carcinomatosis
C79.70 R=C79.71 L=C79.72 | adrenal metastasis; adrenal metastases; metastases to adrenal
N28.89 | renal mass; kidney mass; renal lesion; kidney lesion; mass in the kidney; renal cystic lesion
N50.89 | testicular mass; scrotal mass; paratesticular mass; mass in the testicle
L98.9 | skin lesion; cutaneous lesion; skin lesions
R91.8 | lung mass; pulmonary mass; mass in the lung; lung lesion; pulmonary lesion
N63.0 R=N63.10 L=N63.20 | breast mass; breast lump; lump in the breast; mass in the breast
R22.1 | neck mass; mass in the neck; neck lump; cervical mass
R19.00 | pelvic mass; adnexal mass; pelvic lump
K76.89 | liver lesion; hepatic lesion; liver mass; hepatic mass
M89.9 | bone lesion; lytic bone lesion; bone lesions
D49.4 | bladder tumor; bladder mass; bladder lesion; tumor of the bladder
S92.309 R=S92.301 L=S92.302 | metatarsal fracture; fracture of metatarsal; fractured metatarsal; metatarsal bone fracture
S92.353 R=S92.351 L=S92.352 | fifth metatarsal fracture; fracture of fifth metatarsal; fracture of the fifth metatarsal; 5th metatarsal fracture; fracture of 5th metatarsal; jones fracture
S61.459 R=S61.451 L=S61.452 | dog bite of hand; bite of hand; animal bite of hand; cat bite of hand
S51.859 R=S51.851 L=S51.852 | dog bite of forearm; bite of forearm; animal bite of forearm; cat bite of forearm
S61.559 R=S61.551 L=S61.552 | dog bite of wrist; bite of wrist; animal bite of wrist; cat bite of wrist
S41.159 R=S41.151 L=S41.152 | dog bite of upper arm; bite of upper arm; animal bite of upper arm; cat bite of upper arm
S71.159 R=S71.151 L=S71.152 | dog bite of thigh; bite of thigh; animal bite of thigh
S81.859 R=S81.851 L=S81.852 | dog bite of lower leg; bite of lower leg; dog bite of leg; bite of leg; dog bite of calf; animal bite of leg
S91.359 R=S91.351 L=S91.352 | dog bite of foot; bite of foot; animal bite of foot; cat bite of foot
T15.90 R=T15.91 L=T15.92 | foreign body in eye; foreign body of eye; eye foreign body
T15.00 R=T15.01 L=T15.02 | corneal foreign body; foreign body in cornea; foreign body of cornea
R92.8 | abnormal mammogram; abnormal mammography; abnormal breast imaging; abnormal screening mammogram
Z71.6 | smoking cessation counseling; tobacco cessation counseling; tobacco use counseling; counseling for smoking cessation
Z79.891 | long term opioid use; long-term opioid therapy; long term opioid therapy; chronic opioid therapy; long term use of opioids; long term opiate use; chronic opioid use
Z01.818 | pre-operative evaluation; preoperative evaluation; pre op evaluation; preoperative examination; pre op clearance; preoperative clearance; surgical clearance; preoperative exam; pre operative exam
Z02.5 | sports physical; sports physical exam; sports participation exam; preparticipation physical; pre participation physical
O24.419 | gestational diabetes; gestational diabetes mellitus; gdm; diabetes in pregnancy gestational
O24.410 | diet controlled gestational diabetes; gestational diabetes diet controlled; gestational diabetes controlled with diet; a1gdm
O24.414 | insulin controlled gestational diabetes; gestational diabetes on insulin; gestational diabetes insulin controlled; a2gdm
H66.009 R=H66.001 L=H66.002 B=H66.003 | acute suppurative otitis media; suppurative acute otitis media; acute purulent otitis media
N76.0 | bacterial vaginosis; acute vaginitis; vaginitis
M65.4 | de quervain tenosynovitis; de quervain's tenosynovitis; de quervain; de quervains tenosynovitis; radial styloid tenosynovitis
L02.91 | skin abscess; cutaneous abscess; abscess of skin; subcutaneous abscess
K44.9 | hiatal hernia; hiatus hernia; hiatal herniation
I60.9 | subarachnoid hemorrhage; subarachnoid haemorrhage; subarachnoid bleed; sah
J15.1 | pseudomonas pneumonia; pseudomonas aeruginosa pneumonia; pneumonia due to pseudomonas
B96.5 | pseudomonas aeruginosa; pseudomonas
B96.20 | e coli; escherichia coli
B95.61 | staphylococcus aureus; s aureus; mssa; methicillin sensitive staphylococcus aureus; methicillin susceptible staphylococcus aureus
B95.62 | mrsa; methicillin resistant staphylococcus aureus
B96.4 | proteus; proteus mirabilis
D69.6 | thrombopenia
E83.39 | hyperphosphatemia
J98.2 | pneumomediastinum
K66.8 | pneumoperitoneum
R82.2 | choluria
R20.1 | hypoesthesia; hypoaesthesia
R45.1 | agitation
R31.29 | microhematuria; microscopic hematuria
G81.90 R=G81.91 L=G81.94 | hemiparesis; hemiplegia
G83.9 | paresis
N13.9 | obstructive uropathy
N45.3 | orchiepididymitis; epididymo orchitis; epididymoorchitis
R29.2 | hyperreflexia; hyporeflexia; abnormal reflexes
I72.9 | pseudoaneurysm
K55.20 | angiodysplasia; colonic angiodysplasia
C62.90 | seminoma
D68.59 | hypercoagulability; hypercoagulable state
B18.1 | chronic hepatitis b; chronic hbv infection; chronic hepatitis b virus infection
B19.10 | hepatitis b; hep b; hbv infection; hepatitis b virus infection; hbv hepatitis; hepatitis b infection
B25.9 | cmv infection; cytomegalovirus infection; cmv disease; cytomegalovirus disease
A15.9 | tuberculosis; tb infection; active tuberculosis
A15.0 | pulmonary tuberculosis; tuberculosis of lung; lung tuberculosis
A41.9 | sepsis; septicemia; septicaemia; urosepsis
A41.51 | sepsis due to e coli; sepsis due to e. coli; e coli sepsis; e. coli sepsis; sepsis due to escherichia coli; escherichia coli sepsis; e coli bacteremia with sepsis
D63.1 | anemia of ckd; anemia in ckd; anemia due to ckd; anemia of chronic kidney disease; anemia in chronic kidney disease; anemia due to chronic kidney disease; anaemia of ckd; renal anemia; anemia of renal disease
R65.21 | septic shock
R59.9 | adenopathy; enlarged lymph nodes; enlarged lymph node; lymph node enlargement
R59.0 | axillary lymphadenopathy; cervical lymphadenopathy; inguinal lymphadenopathy; supraclavicular lymphadenopathy; mediastinal lymphadenopathy; hilar lymphadenopathy; retroperitoneal lymphadenopathy; para aortic lymphadenopathy; paraaortic lymphadenopathy; submandibular lymphadenopathy; iliac lymphadenopathy; mesenteric lymphadenopathy; localized lymphadenopathy; axillary adenopathy; cervical adenopathy; inguinal adenopathy; mediastinal adenopathy; hilar adenopathy; retroperitoneal adenopathy; supraclavicular adenopathy
R59.1 | generalized lymphadenopathy; generalized adenopathy; lymphadenopathy
E80.7 | hyperbilirubinemia
R74.01 | hypertransaminasemia; elevated transaminases; transaminase elevation; elevated liver enzymes; elevated liver transaminases; abnormal liver enzymes; elevated lfts; abnormal lfts; transaminitis
I77.6 | vasculitis
R10.84 | diffuse abdominal pain; generalized abdominal pain
K92.2 | gastrointestinal bleeding; gi bleed; gi bleeding; gastrointestinal hemorrhage; gastrointestinal haemorrhage
R18.8 | ascites
B00.9 | herpes simplex infection; herpes simplex virus infection; hsv infection
R61 | sweating; diaphoresis; night sweats; excessive sweating
E88.09 | hypoalbuminemia
D72.810 | lymphopenia; lymphocytopenia
R34 | oliguria; anuria
R33.9 | urinary retention; retention of urine
N19 | renal failure; kidney failure; renal insufficiency
R04.2 | haemoptysis
H53.8 | blurred vision; blurry vision; vision blurred
R19.00 | abdominal mass; intra abdominal mass; intraabdominal mass; abdominal swelling
R23.1 | paleness; pale skin; cutaneous pallor; mucocutaneous pallor; skin pallor
R59.9 | adenomegaly; adenomegalies; adenopathies; lymph node enlargements
R11.10 | emesis
R63.4 | loss of weight; weight reduction
R63.0 | decreased appetite; reduced appetite; poor appetite; hyporexia
R17 | icterus; mucocutaneous icterus; scleral icterus; icteric
H54.7 R=H54.61 L=H54.62 B=H54.3 | decreased visual acuity; reduced visual acuity; loss of vision; vision loss; impaired vision; decreased vision; decrease in vision; decrease of vision; visual acuity deficit; diminished vision
R31.0 | macroscopic hematuria; macrohematuria; frank hematuria
N28.1 | renal cyst; renal cysts; kidney cyst; kidney cysts; simple renal cyst; simple renal cysts; cortical renal cyst; acquired renal cyst; cyst of kidney; cyst of the kidney
F79 | mental retardation; intellectual disabilities
R10.13 | epigastralgia; epigastric discomfort
H57.10 R=H57.11 L=H57.12 B=H57.13 | eye pain; pain in eye; pain in the eye; eye ache
R10.31 | right iliac fossa pain; pain in the right iliac fossa; pain in right iliac fossa
R10.32 | left iliac fossa pain; pain in the left iliac fossa; pain in left iliac fossa
R10.30 | lower abdominal pain; hypogastric pain; hypogastralgia
K63.1 | intestinal perforation; perforation of intestine; bowel perforation; perforation of the bowel; intestinal perforations
K56.600 | partial intestinal obstruction; partial bowel obstruction; partial small bowel obstruction
K56.609 | intestinal obstruction; bowel obstruction; obstruction of intestine; obstruction of bowel; intestinal occlusion
K62.5 | rectal bleeding; rectorrhagia; rectal hemorrhage; hemorrhage of rectum; rectal haemorrhage
K92.1 | hematochezia
K92.2 | digestive hemorrhage; digestive bleeding; digestive tract bleeding
N26.1 | renal atrophy; atrophic kidney; atrophy of kidney; kidney atrophy; atrophic right kidney; atrophic left kidney
K83.1 | biliary obstruction; obstruction of bile duct; bile duct obstruction; cholestasis
D73.5 | splenic infarction; splenic infarct; infarction of spleen; splenic infarcts
H02.849 R=H02.843 L=H02.846 | palpebral edema; eyelid edema; edema of eyelid; eyelid swelling; palpebral oedema
R51.9 | cephalea; cephalalgia; cephalgia
R06.00 | dyspnoea
R10.9 | flank pain; pain in the flank; pain in the left flank; pain in the right flank; pain in the flanks
R10.20 R=R10.21 L=R10.22 | perineal pain; pain in the perineum; pelvic pain
N50.89 | scrotal swelling; swelling of the scrotum; swollen scrotum
K20.90 | esophagitis; inflammation of the esophagus; inflammation of esophagus; esophageal inflammation; oesophagitis
K29.70 | inflammation of the stomach; inflammation of the stomach lining; gastric inflammation
R10.11 | right hypochondrium pain; pain in the right hypochondrium; right hypochondrial pain; pain in right hypochondrium
R10.12 | left hypochondrium pain; pain in the left hypochondrium; left hypochondrial pain; pain in left hypochondrium
K80.20 | gallbladder stones; gallbladder lithiasis; calculus of gallbladder; gallbladder calculi; biliary lithiasis
K72.90 | liver failure; hepatic insufficiency; liver insufficiency
R25.2 | muscle cramps; muscle cramp; muscular cramps; muscle spasms; muscle spasm
M79.2 | neuralgia
B02.29 | postherpetic neuralgia; post herpetic neuralgia; post-herpetic neuralgia; postherpetic neuropathy
D65 | disseminated intravascular coagulation; consumption coagulopathy; defibrination syndrome
N28.82 | megaureter; megaloureter
Z99.3 | wheelchair bound; wheelchair dependent; dependence on wheelchair; confined to a wheelchair; wheelchair user
I46.9 | cardiorespiratory arrest; cardiopulmonary arrest; cardiac arrest
R20.8 | dysesthesia; dysesthesias; dysaesthesia
R39.15 | urinary urgency; urgency of urination; urgency to urinate
K11.7 | sialorrhea; ptyalism; hypersalivation
R47.1 | dysarthria; anarthria
H53.47 | hemianopia; hemianopsia; bitemporal hemianopia; bitemporal hemianopsia; binasal hemianopia; heteronymous hemianopia
H53.469 R=H53.461 L=H53.462 | homonymous hemianopia; homonymous hemianopsia
H05.20 | proptosis; exophthalmos
H02.409 R=H02.401 L=H02.402 B=H02.403 | palpebral ptosis; eyelid ptosis; ptosis of the eyelid; ptosis of eyelid; blepharoptosis
R59.0 | pelvic lymphadenopathy; pelvic adenopathy; laterocervical lymphadenopathy; laterocervical adenopathy; interaortocaval lymphadenopathy; interaortocaval adenopathy; aortocaval lymphadenopathy; aortocaval adenopathy; periaortic lymphadenopathy; periaortic adenopathy; paratracheal lymphadenopathy; paratracheal adenopathy; subcarinal lymphadenopathy; subcarinal adenopathy; perihilar lymphadenopathy; perihilar adenopathy; portal lymphadenopathy; portal adenopathy; celiac lymphadenopathy; celiac adenopathy; peripancreatic lymphadenopathy; peripancreatic adenopathy; perigastric lymphadenopathy; perigastric adenopathy; obturator lymphadenopathy; obturator adenopathy; neck lymphadenopathy; neck adenopathy; submaxillary lymphadenopathy; submaxillary adenopathy; occipital lymphadenopathy; occipital adenopathy; preauricular lymphadenopathy; preauricular adenopathy; retroauricular lymphadenopathy; retroauricular adenopathy; popliteal lymphadenopathy; popliteal adenopathy; epitrochlear lymphadenopathy; epitrochlear adenopathy; abdominal lymphadenopathy; abdominal adenopathy; intraabdominal lymphadenopathy; intraabdominal adenopathy; femoral lymphadenopathy; femoral adenopathy; parotid lymphadenopathy; parotid adenopathy; pericardial lymphadenopathy; pericardial adenopathy; thoracic lymphadenopathy; thoracic adenopathy; localized adenopathy; localized lymph node enlargement
D49.0 | gastric tumor; stomach tumor; colon tumor; colonic tumor; rectal tumor; intestinal tumor; small bowel tumor; pancreatic tumor; tumor of the pancreas; liver tumor; hepatic tumor; esophageal tumor; duodenal tumor; ampullary tumor; gallbladder tumor; gastric tumour; colonic tumour; pancreatic tumour; liver tumour; hepatic tumour
D49.1 | lung tumor; pulmonary tumor; tumor of the lung; laryngeal tumor; pleural tumor; lung tumour; pulmonary tumour
D49.2 | bone tumor; soft tissue tumor; skin tumor; cutaneous tumor; bone tumour; soft tissue tumour
D49.3 | breast tumor; tumor of the breast; breast tumour
D49.519 R=D49.511 L=D49.512 | renal tumor; kidney tumor; tumor of the kidney; renal tumour; kidney tumour
D49.59 | testicular tumor; tumor of the testis; testicular tumour; paratesticular tumor; prostate tumor; prostatic tumor; ureteral tumor; urethral tumor; penile tumor; tumor of the penis; ovarian tumor; uterine tumor; ovarian tumour
D49.6 | brain tumor; cerebral tumor; tumor of the brain; brain tumour
D49.7 | adrenal tumor; pituitary tumor; adrenal tumour; pituitary tumour; spinal cord tumor
R82.81 | leukocyturia; leucocyturia
R36.1 | hemospermia; hematospermia; haemospermia
N50.0 | testicular atrophy; atrophy of testis; atrophy of the testis; atrophic testis; atrophic testicle
H91.90 R=H91.91 L=H91.92 B=H91.93 | hypoacusis; hypoacusia
R23.1 | livedo reticularis; livedo
R45.4 | irritability
R29.1 | nuchal rigidity; meningismus; meningism
H53.19 | photopsia; photopsias
F95.0 | transient tics; transient tic; transient tic disorder; transient tic of childhood; provisional tic disorder
F95.9 | tic disorder; tics; motor tics; vocal tics
S01.01 | scalp laceration; laceration of scalp; laceration of the scalp; scalp lac
S01.81 | forehead laceration; laceration of forehead; laceration of the forehead; forehead lac; facial laceration; face laceration; laceration of face; laceration of the face; chin laceration; laceration of chin; laceration of the chin
S01.119 R=S01.111 L=S01.112 | eyebrow laceration; laceration of eyebrow; laceration of the eyebrow; eyelid laceration; laceration of eyelid; laceration of the eyelid
S01.511 | lip laceration; laceration of lip; laceration of the lip
S61.219 | finger laceration; laceration of finger; laceration of the finger; fingertip laceration
S61.019 R=S61.011 L=S61.012 | thumb laceration; laceration of thumb; laceration of the thumb
S81.019 R=S81.011 L=S81.012 | knee laceration; laceration of knee; laceration of the knee
S81.819 R=S81.811 L=S81.812 | lower leg laceration; shin laceration; leg laceration; laceration of leg; laceration of lower leg; laceration of the leg; laceration of the lower leg; laceration of shin
S91.319 R=S91.311 L=S91.312 | foot laceration; laceration of foot; laceration of the foot
S41.119 R=S41.111 L=S41.112 | upper arm laceration; laceration of upper arm; laceration of the upper arm
S70.10 R=S70.11 L=S70.12 | thigh contusion; contusion of thigh; contusion of the thigh; upper leg contusion; contusion of upper leg; bruised thigh
S80.10 R=S80.11 L=S80.12 | lower leg contusion; contusion of lower leg; shin contusion; contusion of shin; leg contusion; contusion of leg; contusion of the leg
S40.019 R=S40.011 L=S40.012 | shoulder contusion; contusion of shoulder; contusion of the shoulder
S60.229 R=S60.221 L=S60.222 | hand contusion; contusion of hand; contusion of the hand
S90.30 R=S90.31 L=S90.32 | foot contusion; contusion of foot; contusion of the foot
S00.03 | scalp contusion; contusion of scalp; scalp hematoma
S30.0 | contusion of lower back; lower back contusion; contusion of buttock; buttock contusion; coccyx contusion; tailbone contusion
T78.01 | anaphylaxis due to peanut; anaphylaxis due to peanuts; peanut anaphylaxis; anaphylaxis to peanut; anaphylaxis to peanuts; anaphylactic reaction due to peanut; anaphylactic reaction due to peanuts; anaphylactic reaction to peanuts
T78.05 | anaphylaxis due to tree nuts; anaphylaxis to tree nuts; tree nut anaphylaxis; anaphylactic reaction due to tree nuts
T78.02 | anaphylaxis due to shellfish; anaphylaxis to shellfish; shellfish anaphylaxis; anaphylactic reaction due to shellfish
T78.079 | anaphylaxis due to milk; anaphylaxis to milk; anaphylactic reaction due to milk
T78.089 | anaphylaxis due to eggs; anaphylaxis due to egg; anaphylaxis to egg; anaphylaxis to eggs; anaphylactic reaction due to eggs
L23.7 | allergic contact dermatitis due to poison ivy; allergic contact dermatitis due to poison oak; allergic contact dermatitis due to plants; contact dermatitis due to poison ivy; contact dermatitis due to poison oak; poison ivy dermatitis; poison oak dermatitis; poison sumac dermatitis; rhus dermatitis; poison ivy rash; poison oak rash
D50.0 | iron deficiency anemia due to chronic blood loss; iron deficiency anemia secondary to chronic blood loss; iron deficiency anemia due to blood loss; iron deficiency anemia secondary to blood loss; anemia due to chronic blood loss; chronic blood loss anemia
D25.1 | intramural leiomyoma; intramural uterine leiomyoma; intramural fibroid; intramural uterine fibroid
D25.0 | submucosal leiomyoma; submucous leiomyoma; submucosal fibroid; submucous fibroid
D25.2 | subserosal leiomyoma; subserous leiomyoma; subserosal fibroid; subserous fibroid
G31.84 | mild cognitive impairment; mild neurocognitive disorder
N20.1 | ureteral calculus; ureteral calculi; ureteral stone; ureteral stones; uvj stone; uvj calculus; ureterovesical junction stone; ureterovesical junction calculus; upj stone; ureteropelvic junction stone; distal ureteral stone; proximal ureteral stone; obstructing ureteral stone; ureteric calculus; ureteric stone; ureterolithiasis; ureter stone; stone in the ureter
R65.20 | severe sepsis; severe sepsis without septic shock
R65.21 | septic shock; severe sepsis with septic shock
R74.8 | elevated alkaline phosphatase; elevated alk phos; elevated alkaline phosphate; alkaline phosphatase elevation; high alkaline phosphatase
G56.90 R=G56.91 L=G56.92 B=G56.93 | upper extremity neuropathy; upper limb neuropathy; mononeuropathy of upper extremity; mononeuropathy of upper limb
M65.30 | trigger finger; stenosing tenosynovitis
M65.319 R=M65.311 L=M65.312 | trigger thumb; stenosing tenosynovitis of thumb; thumb trigger finger
M65.329 R=M65.321 L=M65.322 | index trigger finger; trigger finger of index finger; index finger trigger finger; trigger index finger; stenosing tenosynovitis of index finger
M65.339 R=M65.331 L=M65.332 | middle trigger finger; trigger finger of middle finger; middle finger trigger finger; trigger middle finger; stenosing tenosynovitis of middle finger
M65.349 R=M65.341 L=M65.342 | ring trigger finger; trigger finger of ring finger; ring finger trigger finger; trigger ring finger; stenosing tenosynovitis of ring finger
M65.359 R=M65.351 L=M65.352 | little trigger finger; trigger finger of little finger; little finger trigger finger; trigger little finger; stenosing tenosynovitis of little finger
S92.309 R=S92.301 L=S92.302 | lisfranc fracture; lisfranc fracture dislocation; metatarsal fracture; fracture of metatarsal; fracture of the metatarsal
R05.1 | acute cough
R05.2 | subacute cough
R05.3 | chronic cough; persistent cough; refractory cough
"""
