"""One-shot completions through LiteLLM (used for the executive summary).

LiteLLM lets us switch between the local Ollama model and a hosted model by
changing only the model string, e.g. SUMMARY_MODEL=anthropic/claude-3-5-haiku-latest.
"""

from __future__ import annotations

import os

import litellm
from litellm import completion

litellm.drop_params = True

SUMMARY_MODEL = os.getenv("SUMMARY_MODEL", "ollama/llama3.1:8b")
OLLAMA_URL = os.getenv("OLLAMA_HOST", "http://localhost:11434")


def summarise(report_markdown: str, max_words: int = 120) -> str:
    kwargs = {}
    if SUMMARY_MODEL.startswith("ollama/"):
        kwargs["api_base"] = OLLAMA_URL
    response = completion(
        model=SUMMARY_MODEL,
        messages=[
            {
                "role": "system",
                "content": f"Summarise the report in at most {max_words} words for an executive.",
            },
            {"role": "user", "content": report_markdown},
        ],
        temperature=0.2,
        **kwargs,
    )
    return response.choices[0].message.content.strip()
