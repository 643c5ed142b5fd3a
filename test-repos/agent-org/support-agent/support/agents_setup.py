from agents import Agent
from agents.mcp import MCPServerStdio

tickets = MCPServerStdio(
    params={"command": "npx", "args": ["-y", "@acme/mcp-tickets"]},
)

billing_agent = Agent(name="Billing", instructions="Answer billing questions.")
refund_agent = Agent(name="Refunds", instructions="Process refund requests.")

triage = Agent(
    name="Triage",
    instructions="Hand the customer to the right specialist.",
    handoffs=[billing_agent, refund_agent],
    mcp_servers=[tickets],
)
