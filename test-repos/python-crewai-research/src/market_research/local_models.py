"""Make sure the local Ollama server has the models the crew needs."""

from __future__ import annotations

import os

import ollama

REQUIRED = [m.strip() for m in os.getenv("REQUIRED_MODELS", "llama3.1:8b").split(",") if m.strip()]


def installed_models(client: ollama.Client) -> set[str]:
    return {m.model for m in client.list().models}


def ensure_models(pull: bool = True) -> list[str]:
    """Return the models that are still missing after an optional pull."""
    client = ollama.Client(host=os.getenv("OLLAMA_HOST", "http://localhost:11434"))
    have = installed_models(client)
    missing = [m for m in REQUIRED if m not in have and f"{m}:latest" not in have]
    if pull:
        for name in list(missing):
            print(f"pulling {name} …")
            client.pull(name)
            missing.remove(name)
    return missing
