"""Labels incoming issues."""
import anthropic

client = anthropic.Anthropic()


def label(title: str, body: str) -> str:
    reply = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=64,
        messages=[{"role": "user", "content": f"Label this issue: {title}\n{body}"}],
    )
    return reply.content[0].text
