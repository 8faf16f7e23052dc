"""Background work: the worker that runs django-tasks-db's queue, with bounded retries and the recovery of
tasks a dead worker left running (``worker``), and the periodic tasks it enqueues (``schedule``)."""
