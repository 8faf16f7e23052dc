from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded materials go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
