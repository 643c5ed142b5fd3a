"""Acme support chatbot."""

__version__ = "0.3.1"
