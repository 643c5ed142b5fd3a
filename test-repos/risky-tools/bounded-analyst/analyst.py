"""Answers questions about CSV exports by writing pandas code (smolagents CodeAgent)."""
from smolagents import CodeAgent, InferenceClientModel

model = InferenceClientModel(model_id="Qwen/Qwen2.5-Coder-32B-Instruct")
agent = CodeAgent(tools=[], model=model, additional_authorized_imports=["pandas"], max_steps=6)


def answer(question: str) -> str:
    return agent.run(question)
