"""Appointments at the exit-entry halls: opening calendars, counters, slots and bookings.

What a hall may offer comes from the law core (``law.halls.sessions_on``: weekdays, sessions and lunch
breaks, statutory holidays, make-up working days; ``Hall.accepts_any``: the procedures it takes); what it
does offer is operational data here, kept by an administrator in the Django admin (counters and the
categories each serves, slot length per category, the booking rules) and by supervisors (date overrides,
audited and public). Slots are generated ahead (``exitentry slots``), idempotently; the database refuses a
second active booking of a slot or of a case (partial unique indexes, on SQLite and PostgreSQL).

Around a booking: its PDF confirmation, whose QR code carries the check-in address with the booking's
``reference`` (``confirmation``); check-in and queue tickets (``tickets``); no-show marking at the day's
end (``noshow``); messages and reminders through the tasks backend; and the scheduled slot generation
(``periodic``).
One-stop cases book no time here (``services.not_booked_here``: the Service System for Foreigners Working
in China, or none for category A).
"""
