"""The triage graph: classify, then escalate enterprise tickets that look urgent."""

import json
from typing import TypedDict

from anthropic import Anthropic
from langgraph.graph import END, START, StateGraph

MODEL = "claude-sonnet-4-5"
QUEUES = ["billing", "bug", "how-to", "account", "escalation"]

client = Anthropic()


class TriageState(TypedDict, total=False):
    subject: str
    body: str
    tier: str
    queue: str
    reason: str


def classify(state: TriageState) -> TriageState:
    msg = client.messages.create(
        model=MODEL,
        max_tokens=300,
        system=f"Pick one queue from {QUEUES} for this ticket. Reply with JSON: queue, reason.",
        messages=[{"role": "user", "content": f"{state['subject']}\n\n{state['body']}"}],
    )
    data = json.loads(msg.content[0].text)
    return {"queue": data["queue"], "reason": data["reason"]}


def escalate(state: TriageState) -> TriageState:
    return {"queue": "escalation", "reason": f"enterprise: {state['reason']}"}


def needs_escalation(state: TriageState) -> str:
    urgent = state["queue"] == "bug" and state.get("tier") == "enterprise"
    return "escalate" if urgent else END


builder = StateGraph(TriageState)
builder.add_node("classify", classify)
builder.add_node("escalate", escalate)
builder.add_edge(START, "classify")
builder.add_conditional_edges("classify", needs_escalation)
builder.add_edge("escalate", END)
triage_graph = builder.compile()
