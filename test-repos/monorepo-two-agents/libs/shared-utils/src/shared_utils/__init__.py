"""Helpers shared by the platform services."""
