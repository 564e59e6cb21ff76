"""Fitting the addressee weights: L2-regularised logistic regression by Newton's method.

Pure Python on purpose: a few hundred labelled utterances and ~20 cues make a 22x22 system,
solved in milliseconds without numpy. The bias is not regularised.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from policies.addressee import sigmoid


@dataclass(frozen=True)
class Fit:
    bias: float
    weights: list[float]
    iterations: int
    log_loss: float  # mean negative log-likelihood on the training rows


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a x = b (a symmetric positive definite) by Gaussian elimination with pivoting."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < 1e-12:
            raise ValueError("singular system: raise the L2 penalty")
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            if f:
                for c in range(col, n + 1):
                    m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def log_loss(rows: Sequence[Sequence[float]], labels: Sequence[int], bias: float,
             weights: Sequence[float]) -> float:
    total = 0.0
    for x, y in zip(rows, labels, strict=True):
        p = sigmoid(bias + sum(w * v for w, v in zip(weights, x, strict=True)))
        p = min(max(p, 1e-12), 1 - 1e-12)
        total -= math.log(p) if y else math.log(1 - p)
    return total / max(1, len(rows))


def fit_logistic(rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float = 1.0,
                 max_iter: int = 50, tol: float = 1e-8) -> Fit:
    """Weights maximising the penalised likelihood ``sum log p(y|x) - l2/2 |w|^2``."""
    if not rows or len(rows) != len(labels):
        raise ValueError("need as many labels as rows, and at least one row")
    if any(y not in (0, 1) for y in labels):
        raise ValueError("labels are 0 or 1")
    d = len(rows[0]) + 1  # index 0 is the bias
    theta = [0.0] * d
    it = 0
    while it < max_iter:
        it += 1
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for x, y in zip(rows, labels, strict=True):
            xb = [1.0, *x]
            p = sigmoid(sum(t * v for t, v in zip(theta, xb, strict=True)))
            r = p - y
            s = p * (1 - p)
            for i in range(d):
                if xb[i]:
                    grad[i] += r * xb[i]
                    si = s * xb[i]
                    row = hess[i]
                    for j in range(d):
                        if xb[j]:
                            row[j] += si * xb[j]
        for i in range(1, d):
            grad[i] += l2 * theta[i]
            hess[i][i] += l2
        hess[0][0] += 1e-9  # keeps the system solvable when every row has the same label
        step = _solve(hess, grad)
        theta = [t - s for t, s in zip(theta, step, strict=True)]
        if max(abs(s) for s in step) < tol:
            break
    weights = theta[1:]
    return Fit(theta[0], weights, it, log_loss(rows, labels, theta[0], weights))
