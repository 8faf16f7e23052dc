"""Appointments at the exit-entry halls: opening calendars, counters, slots and bookings.

What a hall may offer comes from the law core (``law.halls.sessions_on``: weekdays, sessions and lunch
breaks, statutory holidays, make-up working days; ``Hall.accepts_any``: the procedures it takes); what it
does offer is operational data here, kept by an administrator in the Django admin (counters and the
categories each serves, slot length per category, the booking rules) and by supervisors (date overrides,
audited and public). Slots are generated ahead (``exitentry slots``), idempotently; the database refuses a
second active booking of a slot or of a case (partial unique indexes, on SQLite and PostgreSQL).

Not here yet (issue 11, parts 3-6): check-in and queue tickets (a booking's ``reference`` is what the hall
will scan), no-show marking at the day's end, the day board and queue display, messages and reminders
through the tasks backend, the PDF confirmation, the scheduled slot generation, and the benchmark.
One-stop cases book no time here (``services.not_booked_here``: the Service System for Foreigners Working
in China, or none for category A).
"""
