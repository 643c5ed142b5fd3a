"""Customer chat agent."""
from langchain.agents import AgentExecutor
from langsmith import traceable
from openai import OpenAI

client = OpenAI()


@traceable(name="answer")
def answer(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": question}],
    )
    return resp.choices[0].message.content


def build(agent, tools):
    return AgentExecutor(agent=agent, tools=tools, max_iterations=5)
