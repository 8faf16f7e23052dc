from django.urls import path

from exitentry.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("halls/", views.halls, name="halls"),
    path("guide/<slug:procedure_id>/", views.guide, name="guide"),
    path("advisor/<slug:procedure_id>/", views.advisor, name="advisor"),
]
