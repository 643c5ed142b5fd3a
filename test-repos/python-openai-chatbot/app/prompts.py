"""Prompt text for the support bot.

Kept in a separate module so that support leads can edit wording without
touching the request handling code.
"""

SYSTEM_PROMPT = """\
You are the support assistant for the Acme billing portal.
Answer briefly and politely. If you are not sure, say so and offer to open a
ticket. Never invent invoice numbers, amounts or dates.
Topics you can help with: invoices, payment methods, plan changes, refunds.
"""

ESCALATION_HINT = (
    "If the customer asks for a refund above 500 EUR or mentions a legal "
    "dispute, tell them a human agent will follow up within one business day."
)

CANNED_ANSWERS = {
    "invoice": "You can download invoices under Billing > Invoices > Download PDF.",
    "card": "To change your card, open Billing > Payment methods and click Replace.",
    "cancel": "You can cancel your plan any time under Settings > Subscription.",
}

FALLBACK_MESSAGE = (
    "Sorry, I could not answer that right now. A member of our team will "
    "get back to you by email."
)


def canned_answer(message: str) -> str | None:
    """Return a canned answer when the question is trivially matched."""
    lowered = message.lower()
    for keyword, answer in CANNED_ANSWERS.items():
        if keyword in lowered and len(lowered) < 60:
            return answer
    return None


def build_system_prompt(customer_tier: str) -> str:
    extra = ""
    if customer_tier == "enterprise":
        extra = "\nThis customer has a dedicated account manager; mention it."
    return SYSTEM_PROMPT + "\n" + ESCALATION_HINT + extra
