"""What other apps may hear from a case without the case knowing them (arrows point one way).

``case_moved`` is sent inside the transaction of every step that changes a case's state, after its event is
written and before its audit entry (a receiver may lock the rows hanging from the case: the lock order of
``services.steps``), with ``case``, ``action``, ``from_state``, ``to_state`` and ``actor``: a receiver's
writes commit or roll back with the step.
"""

from django.dispatch import Signal

case_moved = Signal()
