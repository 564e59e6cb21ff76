"""The message flow, read off the agents' ``@on`` and ``PUBLISHES`` declarations."""

from __future__ import annotations

from collections.abc import Sequence

from agents.base import Agent
from bus.messages import AgentError, Clock, Message

# Devices and the replay engine are outside the agent set; name what they put on the bus.
EXTERNAL = "devices"
_INFRA = (Clock, AgentError)


def edges(kinds: Sequence[type[Agent]]) -> list[tuple[str, str, str]]:
    """(producer, message type, consumer) for every declared flow between agents."""
    producers: dict[type[Message], list[str]] = {}
    for agent in kinds:
        for msg_type in agent.PUBLISHES:
            producers.setdefault(msg_type, []).append(agent.NAME)
    out: list[tuple[str, str, str]] = []
    for agent in kinds:
        for msg_type in agent.HANDLERS:
            if msg_type in _INFRA:
                continue
            for producer in producers.get(msg_type, [EXTERNAL]):
                out.append((producer, msg_type.type_name(), agent.NAME))
    replies = set()
    for request, askers in producers.items():
        if request.REPLY is None:
            continue
        replies.add(request.REPLY)
        for agent in kinds:
            if request in agent.HANDLERS and request.REPLY in agent.PUBLISHES:
                out.extend((agent.NAME, f"{request.REPLY.type_name()} (reply)", asker)
                           for asker in askers)
    for msg_type, names in producers.items():
        if msg_type not in replies and not any(msg_type in a.HANDLERS for a in kinds):
            out.extend((name, msg_type.type_name(), EXTERNAL) for name in names)
    return out


def render_text(kinds: Sequence[type[Agent]]) -> str:
    lines = ["Agents (consumes → publishes):"]
    for agent in kinds:
        consumes = [t.type_name() for t in agent.HANDLERS if t not in _INFRA]
        publishes = [t.type_name() for t in agent.PUBLISHES]
        lines.append(f"  {agent.NAME:<14} {', '.join(consumes) or '-'}  →  "
                     f"{', '.join(publishes) or '-'}")
    lines.append("")
    lines.append("Flow:")
    lines.extend(f"  {a:<14} --{t}--> {b}" for a, t, b in edges(kinds))
    return "\n".join(lines)


def render_dot(kinds: Sequence[type[Agent]]) -> str:
    body = "\n".join(f'  "{a}" -> "{b}" [label="{t}"];' for a, t, b in edges(kinds))
    return f"digraph hearth {{\n  rankdir=LR;\n{body}\n}}"
