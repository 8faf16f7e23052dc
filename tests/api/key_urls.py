"""The project's URLs and the test-only key API at ``/api/key-test/``."""

from django.urls import path
from tests.api.key_api import api

from exitentry.urls import urlpatterns as project

urlpatterns = [path("api/key-test/", api.urls), *project]
