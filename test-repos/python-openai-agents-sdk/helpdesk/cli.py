"""Command line: run one request through the triage agent."""

from __future__ import annotations

import asyncio
import sys

from agents import Runner

from tools.text import one_line

from .bot import triage_agent


async def handle(request: str) -> str:
    result = await Runner.run(triage_agent, input=request, max_turns=8)
    return str(result.final_output)


def main() -> None:
    if len(sys.argv) < 2:
        print("usage: helpdesk <request>")
        raise SystemExit(2)
    request = one_line(" ".join(sys.argv[1:]))
    print(asyncio.run(handle(request)))


if __name__ == "__main__":
    main()
