from decimal import ROUND_HALF_EVEN, Decimal


def to_minor_units(amount: Decimal, exponent: int = 2) -> int:
    quantum = Decimal(1).scaleb(-exponent)
    return int((amount.quantize(quantum, rounding=ROUND_HALF_EVEN)).scaleb(exponent))
