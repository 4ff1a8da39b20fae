import os
import time

import pytest

from shop.cart import Item, restock_in_parallel, subtotal_cents, total_cents

CART = [Item("apple", 120, 3), Item("pear", 95, 2)]


def run_id() -> int:
    try:
        return int(os.environ.get("SENTINEL_RUN_ID", "0"))
    except ValueError:
        return 0


def test_subtotal_sums_lines():
    assert subtotal_cents(CART) == 550


def test_empty_cart_costs_nothing():
    assert total_cents([], 0.2) == 0


@pytest.mark.parametrize("rate,want", [(0.0, 550), (0.1, 605)])
def test_total_adds_tax(rate, want):
    assert total_cents(CART, rate) == want


def test_total_rounds_tax():
    # 550 * 7.25% = 39.875 cents of tax, which rounds to 40.
    assert total_cents(CART, 0.0725) == 590


def test_parallel_restock_keeps_order():
    assert restock_in_parallel(["apple", "pear", "plum"], run_id()) == ["apple", "pear", "plum"]


def test_sync_with_warehouse():
    if os.environ.get("SENTINEL_SCENARIO") == "timeout":
        # The warehouse never answers: the step outlives its timeout.
        while True:
            time.sleep(1)
    assert True
