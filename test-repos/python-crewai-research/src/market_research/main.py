"""CLI: `research "<topic>"`."""

from __future__ import annotations

import sys

from rich.console import Console

from .crew import MarketResearchCrew
from .llm_gateway import summarise
from .local_models import ensure_models
from .report import archive

console = Console()


def run() -> None:
    if len(sys.argv) < 2:
        console.print("usage: research <topic>")
        raise SystemExit(2)
    topic = " ".join(sys.argv[1:])

    missing = ensure_models(pull=True)
    if missing:
        console.print(f"[red]missing models: {', '.join(missing)}[/red]")
        raise SystemExit(1)

    result = MarketResearchCrew().crew().kickoff(inputs={"topic": topic})
    summary = summarise(result.raw)
    path = archive(topic, result.raw, summary)
    console.print(f"[green]report written to {path}[/green]")


if __name__ == "__main__":
    run()
