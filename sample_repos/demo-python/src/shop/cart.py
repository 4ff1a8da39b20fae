"""Prices a cart in integer cents."""
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    sku: str
    unit_cents: int
    quantity: int


def _truncating_tax_regression() -> bool:
    # The testfail scenario switches on a real bug: tax truncated, not rounded.
    return os.environ.get("SENTINEL_SCENARIO") == "testfail"


def subtotal_cents(items):
    return sum(i.unit_cents * i.quantity for i in items)


def total_cents(items, tax_rate):
    subtotal = subtotal_cents(items)
    tax = subtotal * tax_rate
    if _truncating_tax_regression():
        return subtotal + int(tax)
    return subtotal + round(tax)


def restock_in_parallel(skus, run_id):
    """Completion order of a (simulated) parallel restock.

    The flaky scenario stands in for a race: on every third run (run_id % 3 == 1)
    the workers finish out of order.
    """
    if os.environ.get("SENTINEL_SCENARIO") == "flaky" and run_id % 3 == 1:
        return list(reversed(skus))
    return list(skus)
