"""The support agent graph: model node + tool node, looping until done."""

from __future__ import annotations

from langchain_anthropic import ChatAnthropic
from langchain_core.messages import SystemMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from shared_utils.logging import get_logger
from shared_utils.redact import redact_pii

from .orders import fetch_order

log = get_logger(__name__)

SYSTEM_PROMPT = (
    "You are the Acme help-widget assistant. Be concise. Use the order_status "
    "tool for anything about a specific order. Never reveal internal notes."
)


@tool
def order_status(order_id: str) -> dict:
    """Look up the shipping status of an order by its numeric id."""
    log.info("order lookup", extra={"order_id": order_id})
    return fetch_order(order_id)


TOOLS = [order_status]


def _model(model_name: str) -> ChatAnthropic:
    return ChatAnthropic(model=model_name, temperature=0, max_tokens=1024).bind_tools(TOOLS)


def build_graph(model_name: str = "claude-3-5-sonnet-latest"):
    model = _model(model_name)

    def call_model(state: MessagesState) -> dict:
        messages = [SystemMessage(content=SYSTEM_PROMPT), *state["messages"]]
        response = model.invoke(messages)
        log.info("model replied", extra={"preview": redact_pii(str(response.content))[:120]})
        return {"messages": [response]}

    graph = StateGraph(MessagesState)
    graph.add_node("agent", call_model)
    graph.add_node("tools", ToolNode(TOOLS))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    graph.add_edge("agent", END)
    return graph.compile(checkpointer=MemorySaver())
