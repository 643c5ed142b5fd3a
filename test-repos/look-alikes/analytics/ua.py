"""User-Agent parsing for the access-log report."""

from dataclasses import dataclass

from ua_parser import user_agent_parser
from user_agents import parse as parse_user_agent

# Crawlers we block in robots.txt; counted separately in the report.
AI_CRAWLERS = {
    "GPTBot": "openai",
    "ChatGPT-User": "openai",
    "OAI-SearchBot": "openai",
    "ClaudeBot": "anthropic",
    "anthropic-ai": "anthropic",
    "Google-Extended": "google",
    "PerplexityBot": "perplexity",
    "cohere-ai": "cohere",
}


@dataclass
class UserAgent:
    raw: str
    browser: str
    os: str
    is_bot: bool
    crawler_owner: str | None = None

    @classmethod
    def from_header(cls, header: str) -> "UserAgent":
        parsed = user_agent_parser.Parse(header)
        ua = parse_user_agent(header)
        owner = next((o for name, o in AI_CRAWLERS.items() if name in header), None)
        return cls(
            raw=header,
            browser=parsed["user_agent"]["family"],
            os=parsed["os"]["family"],
            is_bot=ua.is_bot or owner is not None,
            crawler_owner=owner,
        )


def openai_like_score(agents: list[UserAgent]) -> float:
    """Share of requests from crawlers that behave like OpenAI's (fetch, then leave)."""
    if not agents:
        return 0.0
    return sum(1 for a in agents if a.crawler_owner == "openai") / len(agents)
