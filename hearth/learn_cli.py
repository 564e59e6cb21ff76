"""``hearth learn list``, ``hearth learn intent`` and ``hearth stats`` (issue 8).

- ``learn list``: every household's rewrites (and the promoted ones) with their evidence, as
  the learning agent keeps them in KV; the evidence is already scrubbed.
- ``learn intent``: adds an intent from a few examples to the running system (published as
  ``learning.intent_added``: every understanding replica routes it at once, the learning
  agent keeps it in KV for replicas that start later).
- ``stats``: aggregates across households, released only with differential privacy. Each
  call spends ``--epsilon`` of a total budget kept in KV (bucket ``privacy``), so restarting
  nothing resets it; once spent, the command refuses (exit status 3).
"""

from __future__ import annotations

import random
import time
from typing import Any

import msgpack

from agents.learned import GLOBAL, LEARNING_BUCKET, global_key, load_list
from bus.auth import Credentials
from bus.jetstream import ensure_all
from bus.messages import IntentAdded, SlotValue
from bus.nats_bus import NatsBus
from policies.privacy_budget import Accountant, Budget, BudgetExhausted, Mechanism, clipped_sum
from policies.rewrites import GlobalRewrite, Rewrite

PRIVACY_BUCKET = "privacy"
BUDGET_KEY = "stats.budget"
DEFAULT_TOTAL_EPSILON = 3.0
# Per-household contributions are clipped so one household moves a sum by at most this.
BOUNDS = {"households": 1.0, "requests": 200.0, "failures": 50.0, "friction": 50.0,
          "rewrites": 10.0}


async def _connect(nats_url: str, creds: Credentials | None) -> NatsBus:
    bus = await NatsBus.connect(nats_url, name="hearth-learn", creds=creds)
    await ensure_all(bus.js)
    return bus


async def learn_list(nats_url: str, household: str | None = None,
                     creds: Credentials | None = None) -> dict[str, Any]:
    bus = await _connect(nats_url, creds)
    try:
        out: dict[str, Any] = {"households": {}, "promoted": []}
        for key in sorted(await bus.kv_keys(LEARNING_BUCKET)):
            owner, _, kind = key.partition(".")
            if kind != "rewrites" or owner == GLOBAL or household not in (None, owner):
                continue
            rewrites = [Rewrite.model_validate(r)
                        for r in await load_list(bus, LEARNING_BUCKET, key)]
            out["households"][owner] = [r.model_dump() for r in rewrites]
        for g in await load_list(bus, LEARNING_BUCKET, global_key()):
            record = GlobalRewrite.model_validate(g)
            out["promoted" if record.promoted else "candidates"] = [
                *out.get("promoted" if record.promoted else "candidates", []),
                {"id": record.id, "said": record.said, "meant": record.meant,
                 "households": len({v.household for v in record.votes})}]
        return out
    finally:
        await bus.close()


def render_list(listing: dict[str, Any]) -> str:
    lines: list[str] = []
    for owner, rewrites in listing["households"].items():
        lines.append(f"household {owner}")
        for r in rewrites:
            lines.append(f"  {r['id']}  {r['said']!r} -> {r['meant']!r}  [{r['status']}]"
                         f"  applied {r['applied']}x")
            for e in r["evidence"]:
                lines.append(f"      {e['kind']:<9} {e['friction'] or '-':<12} "
                             f"{e['failed']!r} -> {e['fixed']!r}")
    for title in ("promoted", "candidates"):
        for g in listing.get(title, []):
            lines.append(f"{title}: {g['said']!r} -> {g['meant']!r} ({g['households']} homes)")
    return "\n".join(lines) or "nothing learned yet"


async def learn_intent(nats_url: str, household: str, intent: str, examples: list[str],
                       call: str | None = None, slots: dict[str, SlotValue] | None = None,
                       scope: str = "household", creds: Credentials | None = None
                       ) -> IntentAdded:
    msg = IntentAdded(ts=time.time(), household=household, source="hearth-learn",
                      intent=intent, examples=examples, call=call, slots=slots or {},
                      scope="all" if scope == "all" else "household")
    bus = await _connect(nats_url, creds)
    try:
        await bus.publish(msg)
        await bus.nc.flush()
    finally:
        await bus.close()
    return msg


def parse_slots(items: list[str]) -> dict[str, SlotValue]:
    out: dict[str, SlotValue] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"--slot takes NAME=VALUE, not {item!r}")
        try:
            out[name] = float(value) if value.replace(".", "", 1).isdigit() else value
        except ValueError:
            out[name] = value
    return out


async def household_counts(bus: NatsBus) -> list[dict[str, float]]:
    rows = []
    for key in await bus.kv_keys(LEARNING_BUCKET):
        if key.endswith(".stats") and not key.startswith(f"{GLOBAL}."):
            data = await bus.kv_get(LEARNING_BUCKET, key)
            if data is not None:
                rows.append({k: float(v) for k, v in dict(msgpack.unpackb(data)).items()})
    return rows


def release(rows: list[dict[str, float]], budget: Budget, epsilon: float,
            mechanism: Mechanism = "laplace", delta: float = 1e-6,
            rng: random.Random | None = None) -> tuple[dict[str, float], Budget]:
    """Noisy aggregates (the whole call costs ``epsilon``, split evenly over the statistics)
    and the budget after; ``BudgetExhausted`` when what is left does not cover it."""
    budget.charge("stats", epsilon, delta if mechanism == "gaussian" else 0.0, mechanism)
    accountant = Accountant(budget, rng)
    each = epsilon / len(BOUNDS)
    out: dict[str, float] = {}
    for name, bound in BOUNDS.items():
        values = [1.0] * len(rows) if name == "households" else [r.get(name, 0.0)
                                                                  for r in rows]
        total, sensitivity = clipped_sum(values, bound)
        noisy = accountant.release(name, total, sensitivity, each, mechanism,
                                   delta / len(BOUNDS), ts=time.time())
        out[name] = round(max(0.0, noisy), 1)
    return out, accountant.budget


async def stats(nats_url: str, epsilon: float, mechanism: Mechanism = "laplace",
                total_epsilon: float = DEFAULT_TOTAL_EPSILON, creds: Credentials | None = None,
                rng: random.Random | None = None) -> dict[str, Any]:
    bus = await _connect(nats_url, creds)
    try:
        data = await bus.kv_get(PRIVACY_BUCKET, BUDGET_KEY)
        # The stored budget wins: asking for a bigger total later does not reset it.
        budget = (Budget(total_epsilon=total_epsilon) if data is None
                  else Budget.model_validate(msgpack.unpackb(data)))
        try:
            released, budget = release(await household_counts(bus), budget, epsilon,
                                       mechanism, rng=rng)
        except BudgetExhausted as err:
            return {"refused": str(err), "epsilon_spent": budget.spent_epsilon,
                    "epsilon_total": budget.total_epsilon}
        await bus.kv_put(PRIVACY_BUCKET, BUDGET_KEY, msgpack.packb(budget.model_dump()))
        return {"released": released, "mechanism": mechanism, "epsilon": epsilon,
                "epsilon_spent": round(budget.spent_epsilon, 6),
                "epsilon_total": budget.total_epsilon,
                "epsilon_left": round(budget.remaining_epsilon, 6),
                "clipping": BOUNDS}
    finally:
        await bus.close()
