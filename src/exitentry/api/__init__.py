"""The HTTP API (django-ninja), mounted at ``/api/v1/``; OpenAPI docs at ``/api/docs``."""

from ninja import NinjaAPI

api = NinjaAPI(title="exitentry API", version="1", urls_namespace="api", docs_url="/docs")
