"""exitentry: foreigner exit-entry services — the law as code, guide, advisor and case processing."""

__version__ = "0.1.0"
