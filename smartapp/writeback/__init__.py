"""Write-back of approved codes to the EHR: Claim, ChargeItem, encounter diagnoses, a coding report."""
