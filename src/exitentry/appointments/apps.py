from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "exitentry.appointments"
    label = "appointments"
    verbose_name = "Appointments"
