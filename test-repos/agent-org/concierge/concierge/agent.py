from google.adk.agents import Agent
from google.adk.agents.remote_a2a_agent import RemoteA2aAgent

billing = RemoteA2aAgent(
    name="billing",
    description="Invoices and refunds",
    agent_card="http://billing-agent:8080/.well-known/agent-card.json",
)

shipping = RemoteA2aAgent(
    name="shipping",
    description="The carrier's own agent",
    agent_card="https://agents.parcelco.example/.well-known/agent-card.json",
)

root_agent = Agent(
    name="concierge",
    model="gemini-2.0-flash",
    instruction="Route each customer question to the agent that can answer it.",
    sub_agents=[billing, shipping],
)
