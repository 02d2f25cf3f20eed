"""Cited, range-checked property correlations (bath, metals, heat)."""
