import uvicorn
from a2a.server.apps import A2AStarletteApplication
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.tasks import InMemoryTaskStore
from a2a.types import AgentCapabilities, AgentCard, AgentSkill

from billing_agent.executor import BillingExecutor


def main() -> None:
    card = AgentCard(
        name="Billing Agent",
        description="Answers questions about invoices and refunds",
        url="http://billing-agent:8080/",
        version="0.4.0",
        capabilities=AgentCapabilities(streaming=False),
        skills=[AgentSkill(id="invoices", name="Invoices", description="Look up invoices", tags=[])],
        default_input_modes=["text"],
        default_output_modes=["text"],
    )
    handler = DefaultRequestHandler(agent_executor=BillingExecutor(), task_store=InMemoryTaskStore())
    app = A2AStarletteApplication(agent_card=card, http_handler=handler)
    uvicorn.run(app.build(), host="0.0.0.0", port=8080)


if __name__ == "__main__":
    main()
