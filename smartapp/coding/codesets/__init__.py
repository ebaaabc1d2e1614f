"""Code sets: ICD-10-CM (from the CMS tabular list shipped with simple-icd-10-cm) and our E/M labels."""
