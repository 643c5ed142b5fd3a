from google import genai
from langfuse.decorators import observe

client = genai.Client()


@observe()
def research(topic: str) -> str:
    r = client.models.generate_content(model="gemini-2.5-flash", contents=topic)
    return r.text
