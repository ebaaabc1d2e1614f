"""Everyday objects, screening instruments and phrases that only look clinical.

Each phrase is matched as a unit like a curated term and then yields no code, so its words cannot
be read as a diagnosis: "heating pad" is not PAD (peripheral arterial disease), "GAD-7" is an
anxiety questionnaire, not generalized anxiety disorder, "ventricular response" describes a
rhythm. Matched whole-token, case-insensitively, the longest phrase first.
"""
from __future__ import annotations

PHRASES: tuple[str, ...] = (
    # objects
    "heating pad", "heat pad", "heating pads", "ice pack", "ice packs", "cold pack", "hot pack", "knee pad",
    "knee pads", "elbow pad", "seat belt", "seatbelt", "car seat", "booster seat", "bike helmet", "blood pressure cuff",
    "pill box", "pillbox", "compression stockings", "compression socks", "night guard", "mouth guard",
    # continence and dressing pads ("one light pad per day" is not PAD)
    "light pad", "pad per day", "pads per day", "pad a day", "pads a day", "pad daily", "pads daily",
    "incontinence pad", "incontinence pads", "sanitary pad", "sanitary pads", "maxi pad", "gauze pad", "pad test",
    "pad every", "pad an hour", "pad per hour", "pad hour", "pads per hour", "pads an hour", "pad hourly", "plus pad",
    "soaking a pad", "soaking pads",
    # screening instruments and scores ("GAD-7", "PHQ-9", "AUDIT-C")
    "gad 7", "gad 2", "gad7", "gad2", "phq 9", "phq 2", "phq9", "phq2", "audit c", "auditc", "mmse", "moca",
    "cage questionnaire", "epds", "edinburgh postnatal depression scale", "asq", "m chat", "mchat",
    # descriptions that share a word with a disease
    "ventricular response", "regular ventricular response", "controlled ventricular response",
    "heart attack ruled out",
    # laboratory tests named after what they look for ("TB and hepatitis results are back negative")
    "hepatitis results", "hepatitis serology", "hepatitis serologies", "hepatitis panel", "hepatitis labs",
    "hepatitis b surface antigen", "hepatitis b surface antibody", "hepatitis b core antibody", "hepatitis c antibody",
    "hepatitis c antibody test", "hepatitis b and c serologies", "hiv antibody", "hiv test", "hiv testing",
    "hiv results", "lyme titer", "lyme titers", "lyme serology",
    # a numbered dose of a vaccine series ("Hepatitis B #2 at 1-2 months")
    "hepatitis b 1", "hepatitis b 2", "hepatitis b 3", "hep b 1", "hep b 2", "hep b 3",
    "hepatitis a 1", "hepatitis a 2", "hep a 1", "hep a 2",
    # "adverse effect of ibuprofen" names the drug's effect (a T-code from the Table of Drugs), not anaphylaxis
    "adverse effect", "adverse effects", "adverse drug effect", "adverse drug reaction",
    # "ever smoker" (screening eligibility) says neither current nor former use
    "ever smoker", "ever smokers",
    # "PE" opening the physical exam ("PE afebrile, RLQ tender"), not a pulmonary embolism
    "pe afebrile", "pe normal", "pe wnl", "pe gen", "pe general", "pe heent", "pe lungs", "pe nad", "pe alert",
    "pe vitals", "pe vs", "pe well appearing", "pe unremarkable",
)
