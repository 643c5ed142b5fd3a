"""Restarts services on request; an operator approves every command in the terminal."""
from langchain.agents import AgentType, initialize_agent
from langchain_community.callbacks import HumanApprovalCallbackHandler
from langchain_community.tools import ShellTool
from langchain_openai import ChatOpenAI

shell = ShellTool(callbacks=[HumanApprovalCallbackHandler()])
llm = ChatOpenAI(model="gpt-4o-mini", temperature=0)
agent = initialize_agent([shell], llm, agent=AgentType.ZERO_SHOT_REACT_DESCRIPTION)
