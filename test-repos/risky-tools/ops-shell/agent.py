"""Answers on-call questions by running commands on the ops host."""
from langchain_community.tools import ShellTool
from langchain_openai import ChatOpenAI
from langgraph.prebuilt import create_react_agent

# TODO: ask a human before each command (needs approval, one day).
shell = ShellTool()
llm = ChatOpenAI(model="gpt-4o-mini", temperature=0)
agent = create_react_agent(llm, [shell])


def ask(question: str) -> str:
    result = agent.invoke({"messages": [("user", question)]})
    return result["messages"][-1].content
