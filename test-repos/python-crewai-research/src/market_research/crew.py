"""Crew definition: three sequential agents on a local model."""

from __future__ import annotations

import os

from crewai import LLM, Agent, Crew, Process, Task
from crewai.project import CrewBase, agent, crew, task
from crewai_tools import ScrapeWebsiteTool, SerperDevTool

LOCAL_MODEL = os.getenv("CREW_MODEL", "ollama/llama3.1:8b")
OLLAMA_URL = os.getenv("OLLAMA_HOST", "http://localhost:11434")


def _llm(temperature: float) -> LLM:
    return LLM(model=LOCAL_MODEL, base_url=OLLAMA_URL, temperature=temperature)


def _search_tools() -> list:
    tools = [ScrapeWebsiteTool()]
    if os.getenv("SERPER_API_KEY"):
        tools.insert(0, SerperDevTool(n_results=8))
    return tools


@CrewBase
class MarketResearchCrew:
    """Researcher -> analyst -> writer."""

    agents_config = "config/agents.yaml"
    tasks_config = "config/tasks.yaml"

    @agent
    def researcher(self) -> Agent:
        return Agent(
            config=self.agents_config["researcher"],
            tools=_search_tools(),
            llm=_llm(0.2),
            max_iter=6,
            verbose=True,
        )

    @agent
    def analyst(self) -> Agent:
        return Agent(config=self.agents_config["analyst"], llm=_llm(0.3), verbose=True)

    @agent
    def writer(self) -> Agent:
        return Agent(config=self.agents_config["writer"], llm=_llm(0.5), verbose=True)

    @task
    def research_task(self) -> Task:
        return Task(config=self.tasks_config["research_task"])

    @task
    def analysis_task(self) -> Task:
        return Task(config=self.tasks_config["analysis_task"])

    @task
    def report_task(self) -> Task:
        return Task(config=self.tasks_config["report_task"], output_file="output/report.md")

    @crew
    def crew(self) -> Crew:
        return Crew(
            agents=self.agents,
            tasks=self.tasks,
            process=Process.sequential,
            verbose=True,
        )
