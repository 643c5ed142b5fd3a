"""File helpers for the generated report (no model calls)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

OUTPUT_DIR = Path("output")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def archive(topic: str, markdown: str, summary: str) -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    stamp = dt.date.today().isoformat()
    path = OUTPUT_DIR / f"{stamp}-{slugify(topic)}.md"
    path.write_text(f"# {topic}\n\n> {summary}\n\n{markdown}\n", encoding="utf-8")
    return path
