"""Interface labels for the case pages: clock states, notice items, who applied, payment methods.

Only names for display live here; the actions and their labels are the lifecycle table's (``cases.lifecycle``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CLOCK_STATUS = {
    "met": _("met"),
    "due": _("not yet due"),  # running, its day not passed (law.clocks.DUE)
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
