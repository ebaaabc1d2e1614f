"""Vaccine product codes (CPT 90xxx) from the product named in the note, for vaccines given at this visit.

The administration code (90471, first vaccine) says a vaccine was given; the Claim also needs the
product. A product is coded only where it is named by brand or by a name that fixes the product
("high-dose influenza vaccine", "PCV20"); a bare "flu shot" is the standard-dose, preservative-free
injectable of the season. Age-dependent products (hepatitis A and B by age group, COVID-19 by season)
are left to the coder. Labels are our own words, never the AMA descriptors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class VaccineProduct:
    code: str
    label: str
    family: str             # one product per family and visit: the most specific pattern wins
    pattern: re.Pattern[str]
    components: int = 1     # antigens counselled on (90461 is for the components after the first)
    covers: tuple[str, ...] = ()    # other families a combination vaccine includes ("DTaP-IPV" is also polio)
    names: str = ""         # the names alone (no context), for a cheap substring test before the regex


def _p(code: str, label: str, family: str, pattern: str, components: int = 1,
       covers: tuple[str, ...] = ()) -> VaccineProduct:
    # Not a test or record named after the vaccine ("MMR titer performed today", "varicella immunity").
    return VaccineProduct(code, label, family, re.compile(
        rf"(?<![-/])\b(?:{pattern})\b(?![ \t]+(?:titers?|antibod\w*|immun\w*|igg|status|records?|history|serolog\w*))",
        re.IGNORECASE), components, covers, pattern)


# Within a family the more specific products come first.
PRODUCTS: tuple[VaccineProduct, ...] = (
    _p("90662", "Influenza vaccine, high-dose injectable (product)", "influenza",
       r"fluzone high[- ]dose|high[- ]dose (?:flu|influenza)|(?:flu|influenza)(?: vaccine)?,? high[- ]dose|hd flu"),
    _p("90653", "Influenza vaccine, adjuvanted injectable (product)", "influenza",
       r"fluad|adjuvanted (?:flu|influenza)"),
    _p("90673", "Influenza vaccine, recombinant injectable (product)", "influenza",
       r"flublok|recombinant (?:flu|influenza)"),
    _p("90661", "Influenza vaccine, cell-culture injectable (product)", "influenza",
       r"flucelvax|cell[- ]based (?:flu|influenza)"),
    _p("90660", "Influenza vaccine, live intranasal (product)", "influenza",
       r"flumist|(?:nasal|intranasal) (?:flu|influenza) vaccine|laiv"),
    _p("90656", "Influenza vaccine, standard-dose injectable, preservative-free (product)", "influenza",
       r"(?:flu|influenza) (?:vaccine|vaccination|shot|immunization)|fluzone|afluria|fluarix|flulaval"),
    _p("90679", "RSV vaccine, recombinant adjuvanted (Arexvy) (product)", "rsv", r"arexvy"),
    _p("90678", "RSV vaccine, bivalent recombinant (Abrysvo) (product)", "rsv", r"abrysvo"),
    _p("90750", "Zoster vaccine, recombinant (product)", "zoster",
       r"shingrix|recombinant zoster(?: vaccine)?|zoster vaccine,? recombinant|rzv"),
    _p("90715", "Tdap vaccine, 7 years and older (product)", "tetanus", r"tdap|boostrix|adacel", 3),
    _p("90684", "Pneumococcal conjugate vaccine, 21-valent (product)", "pneumococcal", r"pcv[- ]?21|capvaxive"),
    _p("90677", "Pneumococcal conjugate vaccine, 20-valent (product)", "pneumococcal", r"pcv[- ]?20|prevnar[- ]?20"),
    _p("90671", "Pneumococcal conjugate vaccine, 15-valent (product)", "pneumococcal", r"pcv[- ]?15|vaxneuvance"),
    _p("90732", "Pneumococcal polysaccharide vaccine, 23-valent (product)", "pneumococcal", r"ppsv[- ]?23|pneumovax"),
    _p("90739", "Hepatitis B vaccine, adjuvanted 2-dose adult (Heplisav-B) (product)", "hepatitis b",
       r"heplisav(?:-b)?"),
    _p("90651", "HPV vaccine, 9-valent (product)", "hpv", r"gardasil(?:[- ]?9)?|9vhpv|hpv vaccine"),
    _p("90710", "Measles, mumps, rubella and varicella vaccine (product)", "mmr", r"proquad|mmrv", 4, ("varicella",)),
    _p("90707", "Measles, mumps and rubella vaccine (product)", "mmr", r"mmr(?:ii)?(?! ?v)|priorix", 3),
    # Named by its disease only in a list of vaccines given, with a route or site (see procedures.done_here).
    _p("90716", "Varicella vaccine (product)", "varicella", r"varivax|varicella(?: vaccine)?"),
    _p("90633", "Hepatitis A vaccine, pediatric/adolescent 2-dose (product)", "hepatitis a",
       r"hepatitis a(?: vaccine)?,? (?:pediatric|peds)|(?:pediatric|peds) hepatitis a(?: vaccine)?"),
    _p("90697", "DTaP-IPV-Hib-hepatitis B vaccine (Vaxelis) (product)", "dtap", r"vaxelis", 6,
       ("polio", "hib", "hepatitis b")),
    _p("90723", "DTaP-hepatitis B-IPV vaccine (Pediarix) (product)", "dtap", r"pediarix", 5, ("polio", "hepatitis b")),
    _p("90698", "DTaP-IPV/Hib vaccine (Pentacel) (product)", "dtap", r"pentacel", 5, ("polio", "hib")),
    _p("90696", "DTaP-IPV vaccine, 4-6 years (product)", "dtap", r"kinrix|quadracel|dtap[- ]ipv", 4, ("polio",)),
    _p("90700", "DTaP vaccine, under 7 years (product)", "dtap", r"dtap|daptacel|infanrix", 3),
    _p("90713", "Poliovirus vaccine, inactivated (product)", "polio", r"ipv|ipol|polio vaccine"),
    _p("90647", "Hib vaccine, PRP-OMP (product)", "hib", r"pedvaxhib"),
    _p("90648", "Hib vaccine, PRP-T (product)", "hib", r"acthib|hiberix|hib vaccine"),
    _p("90680", "Rotavirus vaccine, pentavalent oral (product)", "rotavirus", r"rotateq"),
    _p("90681", "Rotavirus vaccine, monovalent oral (product)", "rotavirus", r"rotarix"),
    _p("90734", "Meningococcal ACWY vaccine, CRM conjugate (product)", "menacwy", r"menveo"),
    _p("90619", "Meningococcal ACWY vaccine, tetanus toxoid conjugate (product)", "menacwy", r"menquadfi"),
    _p("90620", "Meningococcal B vaccine, 2-dose (product)", "menb", r"bexsero"),
    _p("90621", "Meningococcal B vaccine, 2- or 3-dose (product)", "menb", r"trumenba"),
)
