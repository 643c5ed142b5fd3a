"""Monthly invoices. No AI here: the review bot in CI reads this code, it does not run it."""
import stripe


def issue(customer_id: str, cents: int) -> str:
    return stripe.Invoice.create(customer=customer_id, amount_due=cents).id
