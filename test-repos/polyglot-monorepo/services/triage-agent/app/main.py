from fastapi import FastAPI
from pydantic import BaseModel

from acme_common.ids import new_ticket_id

from .graph import triage_graph
from .redact import redact_pii

app = FastAPI(title="triage-agent")


class Ticket(BaseModel):
    subject: str
    body: str
    customer_tier: str = "standard"


@app.post("/triage")
def triage(ticket: Ticket) -> dict:
    body = redact_pii(ticket.body)
    result = triage_graph.invoke(
        {"subject": ticket.subject, "body": body, "tier": ticket.customer_tier}
    )
    return {"id": new_ticket_id(), "queue": result["queue"], "reason": result["reason"]}
