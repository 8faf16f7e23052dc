"""Applications and their workflow under the statutory time limits: intake, the one-time deficiency notice,
acceptance receipts, verification tasks, decisions, issue and pick-up, fees and payments. The lifecycle
table (``lifecycle``) and who may see which case (``access``) are the one answer to what may happen."""
