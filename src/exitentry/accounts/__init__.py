"""Accounts: users and their roles, units (employers, schools, inviting entities, agencies), officers'
halls, which side of the counter an account is on, and the tamper-evident audit trail (who may see and do
what on a case is ``cases.access``)."""
