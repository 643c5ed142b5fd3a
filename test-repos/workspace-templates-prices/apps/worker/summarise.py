import anthropic

client = anthropic.Anthropic()


def summarise(ticket: str) -> str:
    message = client.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=300,
        messages=[{"role": "user", "content": f"Summarise this ticket:\n{ticket}"}],
    )
    return message.content[0].text
