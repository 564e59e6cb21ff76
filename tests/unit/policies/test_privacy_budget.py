"""Differential privacy: noise calibrated to sensitivity/epsilon, a budget that refuses."""

from __future__ import annotations

import random
import statistics

import pytest

from policies.privacy_budget import (
    Accountant,
    Budget,
    BudgetExhausted,
    clipped_sum,
    gaussian_sigma,
    laplace,
)


def test_laplace_noise_has_the_calibrated_spread() -> None:
    rng = random.Random(7)
    draws = [laplace(100.0, 1.0, 0.5, rng) - 100.0 for _ in range(20000)]
    # Laplace(0, b): mean 0, mean absolute deviation b = sensitivity / epsilon = 2.
    assert abs(statistics.fmean(draws)) < 0.1
    assert statistics.fmean(abs(d) for d in draws) == pytest.approx(2.0, rel=0.05)


def test_the_same_seed_gives_the_same_release() -> None:
    a = Accountant(Budget(total_epsilon=1.0), random.Random(3)).release("q", 10, 1, 0.5)
    b = Accountant(Budget(total_epsilon=1.0), random.Random(3)).release("q", 10, 1, 0.5)
    assert a == b != 10


def test_the_budget_refuses_a_query_once_spent() -> None:
    acc = Accountant(Budget(total_epsilon=1.0), random.Random(1))
    acc.release("households", 12, 1, 0.4)
    acc.release("households", 12, 1, 0.4)
    assert acc.budget.remaining_epsilon == pytest.approx(0.2)
    with pytest.raises(BudgetExhausted, match=r"only 0\.2 of 1 left"):
        acc.release("households", 12, 1, 0.4)
    assert acc.budget.spent_epsilon == pytest.approx(0.8)  # a refused query costs nothing
    assert len(acc.budget.charges) == 2
    acc.release("households", 12, 1, 0.2)  # what is left can still be spent
    with pytest.raises(BudgetExhausted):
        acc.release("households", 12, 1, 0.01)


def test_the_budget_survives_a_round_trip_through_storage() -> None:
    spent = Budget(total_epsilon=1.0).charge("q", 0.9)
    again = Budget.model_validate(spent.model_dump())
    with pytest.raises(BudgetExhausted):
        Accountant(again).release("q", 1, 1, 0.5)


def test_the_gaussian_mechanism_charges_delta_too() -> None:
    acc = Accountant(Budget(total_epsilon=2.0, total_delta=1e-5), random.Random(2))
    acc.release("q", 5, 1, 0.5, mechanism="gaussian", delta=6e-6)
    assert acc.budget.spent_delta == pytest.approx(6e-6)
    with pytest.raises(BudgetExhausted):
        acc.release("q", 5, 1, 0.5, mechanism="gaussian", delta=6e-6)
    assert gaussian_sigma(1, 0.5, 1e-5) == pytest.approx(9.69, abs=0.01)
    with pytest.raises(ValueError, match="epsilon < 1"):
        acc.release("q", 5, 1, 1.5, mechanism="gaussian", delta=1e-6)


def test_per_household_values_are_clipped_to_bound_sensitivity() -> None:
    assert clipped_sum([1, 50, 3, -2], bound=10) == (14, 10)
