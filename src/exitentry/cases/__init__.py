"""Applications and their workflow under the statutory time limits: intake, the one-time deficiency notice,
acceptance receipts, verification tasks, decisions, issue and pick-up, fees and payments."""
