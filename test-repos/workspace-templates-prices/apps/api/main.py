import os

from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI()


@app.post("/answer")
def answer(question: str) -> dict:
    reply = client.chat.completions.create(
        model=os.environ.get("OPENAI_MODEL", "gpt-4o-mini"),
        messages=[{"role": "user", "content": question}],
    )
    return {"answer": reply.choices[0].message.content}
