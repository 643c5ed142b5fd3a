import os

import httpx
from langchain_anthropic import ChatAnthropic
from langgraph.graph import StateGraph

RESEARCH_URL = os.getenv("RESEARCH_URL", "http://research-agent:8000")
model = ChatAnthropic(model="claude-sonnet-4-5")


def research(state: dict) -> dict:
    resp = httpx.post(f"{RESEARCH_URL}/run", json={"question": state["question"]})
    return {"notes": resp.json()["answer"]}


def place_order(state: dict) -> dict:
    httpx.post("http://gateway-api:9000/v1/orders", json=state["order"])
    return state


def write(state: dict) -> dict:
    return {"answer": model.invoke(state["notes"]).content}


review_graph = StateGraph(dict)
review_graph.add_node("write", write)

builder = StateGraph(dict)
builder.add_node("research", research)
builder.add_node("review", review_graph.compile())
builder.add_node("order", place_order)
graph = builder.compile()
