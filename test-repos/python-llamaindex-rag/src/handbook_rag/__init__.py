"""Handbook question answering."""
