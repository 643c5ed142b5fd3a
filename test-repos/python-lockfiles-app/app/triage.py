"""Ticket triage: one structured-output call per ticket."""

from __future__ import annotations

import os
from typing import Literal

from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field


class Triage(BaseModel):
    category: Literal["billing", "bug", "account", "other"]
    urgency: int = Field(ge=1, le=3, description="1 is the most urgent")


PROMPT = ChatPromptTemplate.from_messages(
    [
        ("system", "You label support tickets. Answer with the category and urgency only."),
        ("human", "{ticket}"),
    ]
)

_model = ChatOpenAI(model=os.getenv("TRIAGE_MODEL", "gpt-4o-mini"), temperature=0)
_chain = PROMPT | _model.with_structured_output(Triage)


def triage(ticket: str) -> Triage:
    return _chain.invoke({"ticket": ticket})
