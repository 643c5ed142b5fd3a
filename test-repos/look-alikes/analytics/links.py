"""Links shown in the footer of the crawler report."""

DOC_URLS = [
    "https://platform.openai.com/docs/bots",
    "https://api.openai.com/v1",
    "https://docs.anthropic.com/en/api/getting-started",
    "https://api.anthropic.com",
    "https://developers.google.com/search/docs/crawling-indexing/google-common-crawlers",
    "http://localhost:11434/api/tags",
]

REPORT_TITLE = "Crawler traffic (incl. gpt-4o and claude-3-5-sonnet based agents)"
