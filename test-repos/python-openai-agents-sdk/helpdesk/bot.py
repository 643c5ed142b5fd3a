"""Agent definitions: triage -> accounts | hardware."""

from __future__ import annotations

from agents import Agent, ModelSettings, function_tool

from tools.directory import lookup_employee
from tools.tickets import TicketStore, priority_from_text

MODEL = "gpt-4.1-mini"
tickets = TicketStore()


@function_tool
def employee_info(email: str) -> str:
    """Look up an employee's name, team and laptop model by work email."""
    emp = lookup_employee(email)
    if emp is None:
        return "No employee with that email."
    return f"{emp.name}, team {emp.team}, laptop {emp.laptop}"


@function_tool
def open_ticket(summary: str, requester_email: str) -> str:
    """Open a helpdesk ticket and return its id."""
    ticket = tickets.open(summary, requester_email, priority_from_text(summary))
    return f"Opened ticket {ticket.id} with priority {ticket.priority}."


@function_tool
def send_password_reset(email: str) -> str:
    """Send a self-service password reset link to the employee."""
    if lookup_employee(email) is None:
        return "Unknown employee; not sending anything."
    return f"Reset link sent to {email}."


accounts_agent = Agent(
    name="Accounts",
    handoff_description="Password resets, MFA devices, access requests",
    instructions=(
        "You help with accounts. Verify the email with employee_info first. "
        "Offer a password reset; for MFA device changes open a ticket."
    ),
    tools=[employee_info, send_password_reset, open_ticket],
    model=MODEL,
)

hardware_agent = Agent(
    name="Hardware",
    handoff_description="Laptops, chargers, monitors, headsets",
    instructions=(
        "You help with hardware problems. Ask one clarifying question at most, "
        "give a quick fix if there is one, otherwise open a ticket."
    ),
    tools=[employee_info, open_ticket],
    model=MODEL,
)

triage_agent = Agent(
    name="Triage",
    instructions=(
        "Decide whether the request is about accounts or hardware and hand off. "
        "If it is neither, open a ticket and tell the user someone will reply."
    ),
    handoffs=[accounts_agent, hardware_agent],
    tools=[open_ticket],
    model=MODEL,
    model_settings=ModelSettings(temperature=0.1),
)
