"""Households shared out among the replicas of an agent that keeps per-household state.

Such an agent subscribes with ``broadcast=True`` and handles a household only on the replica
that owns it, so all of one home's messages meet in one place (held turn fragments, the two
devices that heard one utterance) while homes spread over replicas. ``hearth.launch`` puts the
number of replicas of the kind in the agent config as ``replica_count``.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any


def owner(household: str, replicas: int) -> int:
    """The replica index that owns ``household`` (stable across processes, unlike hash())."""
    return zlib.crc32(household.encode()) % max(1, replicas)


def owns(config: Mapping[str, Any], replica: int, household: str) -> bool:
    replicas = int(config.get("replica_count", 1))
    return replicas <= 1 or owner(household, replicas) == replica
