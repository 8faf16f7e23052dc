"""Interface labels for the case pages: actions, clock states, notice items, payment methods.

Only names for display live here; what an action does and when it is allowed stays in ``cases``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# What each step is called on a button and in a case's history.
ACTIONS = {
    "submit": _("Submit"),
    "pre_examine": _("Pass pre-examination"),
    "receive": _("Receive the materials"),
    "notify_deficiency": _("Issue the one-time notice"),
    "resubmit": _("Resubmit the missing materials"),
    "accept": _("Accept and issue the receipt"),
    "open_task": _("Open a verification task"),
    "close_task": _("Close the verification task"),
    "forward_to_ministry": _("Forward to the Ministry"),
    "decide": _("Decide"),
    "issue": _("Issue the permit"),
    "mark_ready": _("Ready for pick-up"),
    "collect": _("Collected"),
    "record_payment": _("Record a payment"),
    "withdraw": _("Withdraw"),
    "upload": _("Upload"),
    "review_material": _("Save"),
}

# What has happened, as the history lists it.
EVENTS = {
    "submit": _("Submitted"),
    "pre_examine": _("Passed pre-examination"),
    "receive": _("Materials received at the hall"),
    "notify_deficiency": _("One-time notice issued"),
    "resubmit": _("Missing materials resubmitted"),
    "accept": _("Accepted, receipt issued"),
    "forward_to_ministry": _("Forwarded to the Ministry"),
    "decide": _("Decided"),
    "issue": _("Permit issued"),
    "mark_ready": _("Ready for pick-up"),
    "collect": _("Collected"),
    "withdraw": _("Withdrawn"),
}

CLOCK_STATUS = {
    "met": _("met"),
    "due": _("due"),
    "late": _("late"),
    "paused": _("paused"),
    "not started": _("not started"),
}

DEFICIENCY = {
    "missing": _("missing"),
    "defective": _("defective"),
}

ACTING_AS = {
    "self": _("the applicant themself"),
    "proxy": _("a proxy"),
    "unit": _("a unit"),
    "agency": _("a service agency"),
}

PAYMENT_METHODS = {
    "cash": _("Cash"),
    "card": _("Bank card"),
    "mobile": _("Mobile payment"),
    "transfer": _("Bank transfer"),
}
