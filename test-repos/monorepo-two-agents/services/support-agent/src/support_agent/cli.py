"""Command-line entry point: run one question through the graph."""

from __future__ import annotations

import argparse
import uuid

from shared_utils.config import env_str

from .graph import build_graph


def main() -> None:
    parser = argparse.ArgumentParser(prog="support-agent")
    parser.add_argument("question")
    parser.add_argument("--thread", default=None, help="reuse a conversation thread")
    args = parser.parse_args()

    app = build_graph(env_str("SUPPORT_MODEL", "claude-3-5-sonnet-latest"))
    thread_id = args.thread or uuid.uuid4().hex
    result = app.invoke(
        {"messages": [("user", args.question)]},
        config={"configurable": {"thread_id": thread_id}},
    )
    print(result["messages"][-1].content)
    print(f"(thread {thread_id})")


if __name__ == "__main__":
    main()
