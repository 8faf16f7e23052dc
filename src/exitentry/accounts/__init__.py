"""Accounts: users and their roles, units (employers, schools, inviting entities, agencies), officers'
halls, the one policy that says who may see and do what, and the tamper-evident audit trail."""
