"""CI guard: fail if an LLM SDK sneaks back into the dependencies.

We decided (docs/decisions.md) that categorisation must stay rule-based, so
packages such as openai, anthropic, langchain, crewai and llama_index must not
be installed in the runtime environment.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BANNED = {"openai", "anthropic", "langchain", "crewai", "llama-index", "llama_index"}
REQ_LINE = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def banned_in_requirements(path: Path) -> list[str]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        m = REQ_LINE.match(line)
        if m and m.group(1).lower() in BANNED:
            found.append(m.group(1))
    return found


def banned_installed() -> list[str]:
    return [name for name in sorted(BANNED) if "-" not in name and importlib.util.find_spec(name)]


def main() -> int:
    problems = banned_in_requirements(Path("requirements.txt")) + banned_installed()
    if problems:
        print("LLM packages are not allowed here: " + ", ".join(problems))
        return 1
    print("ok: no LLM packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
