"""Differential privacy for statistics across households: mechanisms and a budget accountant.

A statistic over households (how many taught a concept, how many requests failed) is released
only with noise calibrated to how much one household can change it (its sensitivity), and
every release spends part of a total privacy budget epsilon (and delta, for the Gaussian
mechanism). Spending composes additively (basic sequential composition: the simplest bound,
and a conservative one). Once the budget is spent, queries are refused: the accountant's
state is plain data so the caller can keep it in KV, where a restart cannot reset it.

The random source is injected (``random.Random``), so tests are reproducible.
"""

from __future__ import annotations

import math
import random
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Mechanism = Literal["laplace", "gaussian"]
TOLERANCE = 1e-9  # floating point slack when comparing what is spent with the total


class BudgetExhausted(Exception):
    """The query would spend more than what is left of the privacy budget."""


class Charge(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    query: str
    epsilon: float
    delta: float = 0.0
    mechanism: Mechanism
    ts: float = 0.0


class Budget(BaseModel):
    """What may be spent in total, and what has been (with the log of every charge)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    total_epsilon: float = Field(gt=0)
    total_delta: float = Field(default=1e-5, ge=0, lt=1)
    spent_epsilon: float = 0.0
    spent_delta: float = 0.0
    charges: list[Charge] = Field(default_factory=list)

    @property
    def remaining_epsilon(self) -> float:
        return max(0.0, self.total_epsilon - self.spent_epsilon)

    @property
    def remaining_delta(self) -> float:
        return max(0.0, self.total_delta - self.spent_delta)

    def charge(self, query: str, epsilon: float, delta: float = 0.0,
               mechanism: Mechanism = "laplace", ts: float = 0.0) -> Budget:
        """The budget after this charge, or ``BudgetExhausted`` (nothing is spent then)."""
        if epsilon <= 0 or delta < 0:
            raise ValueError("a query needs epsilon > 0 and delta >= 0")
        if self.spent_epsilon + epsilon > self.total_epsilon + TOLERANCE or (
                self.spent_delta + delta > self.total_delta + TOLERANCE):
            raise BudgetExhausted(
                f"{query}: needs epsilon {epsilon:g}, only {self.remaining_epsilon:g} of "
                f"{self.total_epsilon:g} left")
        return self.model_copy(update={
            "spent_epsilon": self.spent_epsilon + epsilon,
            "spent_delta": self.spent_delta + delta,
            "charges": [*self.charges, Charge(query=query, epsilon=epsilon, delta=delta,
                                              mechanism=mechanism, ts=ts)],
        })


def laplace_noise(scale: float, rng: random.Random) -> float:
    """One draw of Laplace(0, scale) by inverting its CDF."""
    u = rng.random() - 0.5
    while abs(u) >= 0.5:  # rng.random() can return 0.0, which would give log(0)
        u = rng.random() - 0.5
    return -scale * math.copysign(1.0, u) * math.log(1 - 2 * abs(u))


def laplace(value: float, sensitivity: float, epsilon: float, rng: random.Random) -> float:
    """The Laplace mechanism: epsilon-DP for a query whose L1 sensitivity is ``sensitivity``."""
    return value + laplace_noise(sensitivity / epsilon, rng)


def gaussian_sigma(sensitivity: float, epsilon: float, delta: float) -> float:
    """The classic calibration (Dwork & Roth, Thm A.1), valid for epsilon < 1."""
    if not 0 < epsilon < 1 or not 0 < delta < 1:
        raise ValueError("the Gaussian mechanism needs 0 < epsilon < 1 and 0 < delta < 1")
    return sensitivity * math.sqrt(2 * math.log(1.25 / delta)) / epsilon


def gaussian(value: float, sensitivity: float, epsilon: float, delta: float,
             rng: random.Random) -> float:
    """The Gaussian mechanism: (epsilon, delta)-DP for L2 sensitivity ``sensitivity``."""
    return value + rng.gauss(0.0, gaussian_sigma(sensitivity, epsilon, delta))


def clipped_sum(values: list[float], bound: float) -> tuple[float, float]:
    """(sum, sensitivity) of per-household values clipped to [0, bound]: one household can
    change the sum by at most ``bound``."""
    return sum(min(max(v, 0.0), bound) for v in values), bound


class Accountant:
    """Releases noisy statistics and charges the budget for each; refuses once it is spent."""

    def __init__(self, budget: Budget, rng: random.Random | None = None) -> None:
        self.budget = budget
        self.rng = rng or random.SystemRandom()

    def release(self, query: str, value: float, sensitivity: float, epsilon: float,
                mechanism: Mechanism = "laplace", delta: float = 0.0,
                ts: float = 0.0) -> float:
        if mechanism == "gaussian":
            gaussian_sigma(sensitivity, epsilon, delta)  # refuse bad parameters before paying
        self.budget = self.budget.charge(query, epsilon, delta if mechanism == "gaussian"
                                         else 0.0, mechanism, ts)
        if mechanism == "gaussian":
            return gaussian(value, sensitivity, epsilon, delta, self.rng)
        return laplace(value, sensitivity, epsilon, self.rng)
