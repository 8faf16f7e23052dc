from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "exitentry.appointments"
    label = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from exitentry.appointments import receivers
        from exitentry.cases.signals import case_moved

        case_moved.connect(receivers.release_when_no_visit, dispatch_uid="appointments.release")
        case_moved.connect(receivers.end_tickets_when_closed, dispatch_uid="appointments.end_tickets")
