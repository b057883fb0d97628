"""Shared test helpers: paths to the bundled example story."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def example_story() -> Path:
    """The bundled example story: five outlets and a wire copy covering one invented dam failure."""
    return ROOT / "examples" / "hollins-dam"
