"""Server-rendered web pages (Django templates + htmx)."""
