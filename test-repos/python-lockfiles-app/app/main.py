"""HTTP entry point."""

from fastapi import FastAPI
from pydantic import BaseModel

from .triage import Triage, triage

app = FastAPI(title="Ticket triage")


class Ticket(BaseModel):
    text: str


@app.post("/triage")
def post_triage(ticket: Ticket) -> Triage:
    return triage(ticket.text)
