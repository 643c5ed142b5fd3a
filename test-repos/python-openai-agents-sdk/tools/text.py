import re

_WS = re.compile(r"\s+")


def one_line(text: str, limit: int = 500) -> str:
    """Collapse whitespace and cap the length of user input."""
    text = _WS.sub(" ", text).strip()
    return text[:limit]
