"""Compare Gemini models on one transcript and print latency and length.

Usage: python scripts/compare_models.py transcript.txt
Needs GOOGLE_API_KEY (or Vertex settings) in the environment.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from google.genai import Client, types

MODELS = ["gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-1.5-pro"]
PROMPT = "Summarise this meeting in five bullet points and list the action items with owners."


def run(model: str, transcript: str, client: Client) -> tuple[float, str]:
    started = time.perf_counter()
    response = client.models.generate_content(
        model=model,
        contents=[PROMPT, transcript],
        config=types.GenerateContentConfig(temperature=0.2, max_output_tokens=800),
    )
    return time.perf_counter() - started, response.text or ""


def main() -> None:
    transcript = Path(sys.argv[1]).read_text(encoding="utf-8")
    client = Client()
    for model in MODELS:
        seconds, text = run(model, transcript, client)
        print(f"== {model}: {seconds:.1f}s, {len(text.split())} words")
        print(text.strip()[:600])
        print()


if __name__ == "__main__":
    main()
