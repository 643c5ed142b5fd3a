"""Writes and runs Python for analysts; a person approves every snippet first."""
from langchain_anthropic import ChatAnthropic
from langchain_core.tools import tool
from langchain_experimental.utilities import PythonREPL
from langgraph.prebuilt import create_react_agent
from langgraph.types import interrupt

repl = PythonREPL()


@tool
def run_python(code: str) -> str:
    """Run Python code once a person has approved it."""
    decision = interrupt({"question": "Run this code?", "code": code})
    if decision != "approve":
        return "The reviewer rejected this code."
    return repl.run(code)


llm = ChatAnthropic(model="claude-sonnet-4-5")
graph = create_react_agent(llm, [run_python])
