"""Summaries of ticket threads with Claude."""

import os

import anthropic

_client = anthropic.Anthropic()  # reads ANTHROPIC_API_KEY from the environment
MODEL = os.getenv("SUMMARY_MODEL", "claude-3-5-haiku-latest")


def summarize(thread: list[str], max_words: int = 120) -> str:
    message = _client.messages.create(
        model=MODEL,
        max_tokens=400,
        system=f"Summarise the support thread in at most {max_words} words.",
        messages=[{"role": "user", "content": "\n\n".join(thread)}],
    )
    return "".join(block.text for block in message.content if block.type == "text")
