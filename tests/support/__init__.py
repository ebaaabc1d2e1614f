"""Shared test helpers (real processes, fixtures data)."""
