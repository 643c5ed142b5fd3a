from __future__ import annotations

import typer

from .index import ask, build_index
from .settings import settings

app = typer.Typer(help="Employee handbook Q&A")


@app.command()
def build() -> None:
    """(Re)build the index from the Markdown files in the data folder."""
    index = build_index()
    typer.echo(f"indexed {len(index.docstore.docs)} chunks into {settings.storage_dir}")


@app.command("ask")
def ask_cmd(question: str) -> None:
    """Ask one question."""
    answer, sources = ask(question)
    typer.echo(answer)
    if sources:
        typer.echo("\nsources: " + ", ".join(sources))


if __name__ == "__main__":
    app()
