"""HTTP entry point for the support chatbot."""

from __future__ import annotations

import logging
import os

from dotenv import load_dotenv
from fastapi import FastAPI, HTTPException
from openai import APIError, OpenAI
from pydantic import BaseModel, Field

from .history import HistoryStore
from .prompts import FALLBACK_MESSAGE, build_system_prompt, canned_answer

load_dotenv()

log = logging.getLogger("support-bot")

MODEL = os.getenv("OPENAI_MODEL", "gpt-4o-mini")
MAX_TURNS = int(os.getenv("SUPPORT_MAX_TURNS", "12"))

client = OpenAI()  # reads OPENAI_API_KEY from the environment
history = HistoryStore(max_turns=MAX_TURNS)
app = FastAPI(title="Acme support chatbot", version="0.3.1")


class ChatRequest(BaseModel):
    session_id: str = Field(min_length=1, max_length=64)
    message: str = Field(min_length=1, max_length=2000)
    customer_tier: str = "standard"


class ChatResponse(BaseModel):
    reply: str
    source: str


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok", "model": MODEL}


@app.post("/chat", response_model=ChatResponse)
def chat(req: ChatRequest) -> ChatResponse:
    quick = canned_answer(req.message)
    if quick is not None:
        history.append(req.session_id, "user", req.message)
        history.append(req.session_id, "assistant", quick)
        return ChatResponse(reply=quick, source="canned")

    messages = [{"role": "system", "content": build_system_prompt(req.customer_tier)}]
    messages += history.messages(req.session_id)
    messages.append({"role": "user", "content": req.message})

    try:
        completion = client.chat.completions.create(
            model=MODEL,
            messages=messages,
            temperature=0.2,
            max_tokens=400,
        )
    except APIError as exc:
        log.warning("model call failed: %s", exc)
        return ChatResponse(reply=FALLBACK_MESSAGE, source="fallback")

    reply = completion.choices[0].message.content or FALLBACK_MESSAGE
    history.append(req.session_id, "user", req.message)
    history.append(req.session_id, "assistant", reply)
    return ChatResponse(reply=reply, source="model")


@app.delete("/chat/{session_id}")
def reset(session_id: str) -> dict[str, str]:
    if not session_id:
        raise HTTPException(status_code=400, detail="missing session id")
    history.clear(session_id)
    return {"status": "cleared"}
