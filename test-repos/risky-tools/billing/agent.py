"""Creates payment links for sales reps (OpenAI Agents SDK + Stripe agent toolkit)."""
import os

from agents import Agent, Runner
from stripe_agent_toolkit.openai.toolkit import StripeAgentToolkit

toolkit = StripeAgentToolkit(
    secret_key=os.environ["STRIPE_SECRET_KEY"],
    configuration={"actions": {"payment_links": {"create": True}, "products": {"create": True}}},
)

billing = Agent(
    name="Billing assistant",
    instructions="Create payment links for the products sales asks for.",
    tools=toolkit.get_tools(),
)


def run(request: str) -> str:
    return Runner.run_sync(billing, request).final_output
