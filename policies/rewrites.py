"""Self-learning from implicit feedback: friction, rephrase alignment, rewrites, rollback.

Nobody labels anything. A request that fails (out of scope) or meets friction (a barge-in,
"no, ...", an immediate rephrase) and is followed within ``REPHRASE_WINDOW_S`` by a request
that succeeds and means much the same (the caller measures that with sentence embeddings) is
a rephrase: the two are aligned word by word and the smallest differing span becomes a
rewrite ("brew" -> "coffee"), or the whole utterance when they share too little. Rewrites are
applied to the words before understanding. A rewrite that meets friction after it was
applied is rolled back. Each keeps its evidence (scrubbed) so ``hearth learn list`` can show
why it exists.

Rewrites belong to a household. One is promoted to every household only when
``PROMOTE_MIN_HOUSEHOLDS`` independent households learned the same rewrite, and only when its
words pass the scrubber unchanged (nothing personal ever leaves a household).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.scrubber import is_clean, scrub

REPHRASE_WINDOW_S = 30.0  # a fix must follow the failure this soon (bus time)
IMMEDIATE_S = 10.0  # a rephrase this soon after a request that "worked" shows it did not
ROLLBACK_WINDOW_S = 30.0  # friction this soon after a rewrite was applied rolls it back
MIN_SIMILARITY = 0.55  # cosine of the two utterances' embeddings: "similar meaning"
MIN_OVERLAP = 0.5  # or this share of words in common
MAX_SPAN_WORDS = 3  # a longer differing span makes a whole-utterance rewrite
MAX_UTTERANCE_WORDS = 12
PROMOTE_MIN_HOUSEHOLDS = 3
MAX_EVIDENCE = 10

Friction = Literal["out_of_scope", "correction", "barge_in", "rephrase"]
Status = Literal["active", "rolled_back"]

_CORRECTION_RE = re.compile(
    r"^\s*(?:no|nope|wrong|not that|that's wrong|that is wrong|that's not what i (?:said|meant)|"
    r"i said|i meant|i asked for)\b[\s,.!]*", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-z0-9']+")


class Evidence(BaseModel):
    """One observation behind a rewrite, scrubbed before it is stored."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    ts: float
    kind: Literal["learned", "confirmed", "friction"]
    friction: str = ""
    failed: str = ""
    fixed: str = ""


class Rewrite(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    said: str  # words as the household says them (lower case)
    meant: str  # what understanding understands
    whole: bool = False  # the whole utterance, not a span inside it
    status: Status = "active"
    created: float
    applied: int = 0
    evidence: list[Evidence] = Field(default_factory=list)

    def with_evidence(self, ev: Evidence, **update: object) -> Rewrite:
        return self.model_copy(update={"evidence": [*self.evidence, ev][-MAX_EVIDENCE:],
                                       **update})


class Vote(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    household: str  # a hash: the global record names no household
    ts: float


class GlobalRewrite(BaseModel):
    """A rewrite as seen across households: who learned it (hashed), promoted or not."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    said: str
    meant: str
    whole: bool = False
    votes: list[Vote] = Field(default_factory=list)
    promoted: bool = False
    status: Status = "active"


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def normal(text: str) -> str:
    return " ".join(words(text))


def correction(text: str) -> bool:
    """"no, ...", "I said ...": the speaker tells the assistant it got the last turn wrong."""
    return _CORRECTION_RE.match(text) is not None


def strip_correction(text: str) -> str:
    return _CORRECTION_RE.sub("", text, count=1).strip()


def overlap(a: str, b: str) -> float:
    wa, wb = set(words(a)), set(words(b))
    return len(wa & wb) / max(1, len(wa | wb))


def is_rephrase(gap_s: float, similarity: float, failed: str, fixed: str) -> bool:
    """A successful request soon after a failed one that means about the same."""
    if not 0 <= gap_s <= REPHRASE_WINDOW_S or normal(failed) == normal(fixed):
        return False
    return similarity >= MIN_SIMILARITY or overlap(failed, fixed) >= MIN_OVERLAP


def immediate_rephrase(gap_s: float, before_intent: str | None, before_slots: Iterable[str],
                       intent: str | None, slots: Iterable[str]) -> bool:
    """The same request again at once, now with an argument the first one lacked ("switch on
    the brew machine" -> lights; "switch on the coffee machine" -> device): the first one did
    not do what was meant. Asking for another room or another timer fills no new argument."""
    old, new = set(before_slots), set(slots)
    return (0 <= gap_s <= IMMEDIATE_S and intent is not None and intent == before_intent
            and old < new)


def align(failed: str, fixed: str) -> tuple[str, str, bool] | None:
    """(said, meant, whole): the one span that differs between the two utterances, or the
    whole of them when they differ in several places or a long span; None if unusable."""
    a, b = words(failed), words(fixed)
    if not a or not b or a == b or len(a) > MAX_UTTERANCE_WORDS:
        return None
    blocks = [op for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
              if op[0] != "equal"]
    if len(blocks) == 1:
        tag, i1, i2, j1, j2 = blocks[0]
        if tag == "replace" and 0 < i2 - i1 <= MAX_SPAN_WORDS and 0 < j2 - j1 <= MAX_SPAN_WORDS:
            return " ".join(a[i1:i2]), " ".join(b[j1:j2]), False
    return " ".join(a), " ".join(b), True


def rewrite_id(said: str, meant: str) -> str:
    return hashlib.sha1(f"{said}\n{meant}".encode()).hexdigest()[:10]


def household_hash(household: str) -> str:
    return hashlib.sha256(f"hearth-household:{household}".encode()).hexdigest()[:16]


def evidence(ts: float, kind: Literal["learned", "confirmed", "friction"], friction: str = "",
             failed: str = "", fixed: str = "") -> Evidence:
    """Evidence as stored: the utterances scrubbed of personal data."""
    return Evidence(ts=ts, kind=kind, friction=friction, failed=scrub(failed).text,
                    fixed=scrub(fixed).text)


def learn(rewrites: Sequence[Rewrite], failed: str, fixed: str, friction: str,
          ts: float) -> tuple[list[Rewrite], Rewrite | None]:
    """The household's rewrites after a rephrase fixed a failure, and the rewrite learned."""
    aligned = align(failed, fixed)
    if aligned is None:
        return list(rewrites), None
    said, meant, whole = aligned
    rid = rewrite_id(said, meant)
    ev = evidence(ts, "learned", friction, failed, fixed)
    out: list[Rewrite] = []
    learned: Rewrite | None = None
    for r in rewrites:
        if r.id == rid:
            learned = r.with_evidence(ev, status="active")
            out.append(learned)
        elif r.said == said and r.status == "active":
            # A newer fix for the same words replaces the older one.
            out.append(r.with_evidence(ev, status="rolled_back"))
        else:
            out.append(r)
    if learned is None:
        learned = Rewrite(id=rid, said=said, meant=meant, whole=whole, created=ts,
                          evidence=[ev])
        out.append(learned)
    return out, learned


def apply(text: str, rewrites: Iterable[Rewrite | GlobalRewrite]) -> tuple[str, list[str]]:
    """The words with every active rewrite applied (in the order given), and their ids."""
    applied: list[str] = []
    current = text
    for r in rewrites:
        if r.status != "active" or (isinstance(r, GlobalRewrite) and not r.promoted):
            continue
        if r.whole:
            if normal(current) == r.said:
                current = r.meant
                applied.append(r.id)
            continue
        said = r"\s+".join(re.escape(w) for w in r.said.split())
        pattern = re.compile(rf"(?<![\w']){said}(?![\w'])", re.IGNORECASE)
        current, n = pattern.subn(r.meant, current)
        if n:
            applied.append(r.id)
    return current, applied


def roll_back(rewrites: Sequence[Rewrite], ids: Iterable[str], friction: str, text: str,
              ts: float) -> tuple[list[Rewrite], list[Rewrite]]:
    """Friction right after rewrites were applied: they caused it, so they stop applying."""
    wanted = set(ids)
    out: list[Rewrite] = []
    rolled: list[Rewrite] = []
    for r in rewrites:
        if r.id in wanted and r.status == "active":
            r = r.with_evidence(evidence(ts, "friction", friction, text), status="rolled_back")
            rolled.append(r)
        out.append(r)
    return out, rolled


def confirm(rewrites: Sequence[Rewrite], ids: Iterable[str], ts: float) -> list[Rewrite]:
    """Rewrites applied in a request that completed: count the use."""
    wanted = set(ids)
    return [r.model_copy(update={"applied": r.applied + 1}) if r.id in wanted else r
            for r in rewrites]


def vote(records: Sequence[GlobalRewrite], learned: Rewrite, household: str, ts: float,
         min_households: int = PROMOTE_MIN_HOUSEHOLDS
         ) -> tuple[list[GlobalRewrite], GlobalRewrite | None]:
    """Count a household's rewrite towards promotion; the record when it was just promoted.

    Only words the scrubber leaves unchanged take part: personal data never leaves a home."""
    if not (is_clean(learned.said) and is_clean(learned.meant)):
        return list(records), None
    who = household_hash(household)
    out: list[GlobalRewrite] = []
    found: GlobalRewrite | None = None
    for g in records:
        if g.id == learned.id:
            votes = g.votes if any(v.household == who for v in g.votes) else [
                *g.votes, Vote(household=who, ts=ts)]
            found = g.model_copy(update={"votes": votes})
            g = found
        out.append(g)
    if found is None:
        found = GlobalRewrite(id=learned.id, said=learned.said, meant=learned.meant,
                              whole=learned.whole, votes=[Vote(household=who, ts=ts)])
        out.append(found)
    if not found.promoted and len({v.household for v in found.votes}) >= min_households:
        promoted = found.model_copy(update={"promoted": True})
        return [promoted if g.id == promoted.id else g for g in out], promoted
    return out, None


def unvote(records: Sequence[GlobalRewrite], rewrite_ids: Iterable[str],
           household: str) -> list[GlobalRewrite]:
    """A household rolled these rewrites back: it no longer agrees with them."""
    who, ids = household_hash(household), set(rewrite_ids)
    out: list[GlobalRewrite] = []
    for g in records:
        if g.id in ids:
            votes = [v for v in g.votes if v.household != who]
            if not votes:
                continue
            g = g.model_copy(update={"votes": votes, "promoted": g.promoted and len(
                {v.household for v in votes}) >= PROMOTE_MIN_HOUSEHOLDS})
        out.append(g)
    return out


def withdraw(records: Sequence[GlobalRewrite], household: str,
             since: float) -> list[GlobalRewrite]:
    """A household forgot its data since ``since``: its votes cast since then no longer count
    (a record below the quorum is no longer promoted; one with no votes left is dropped)."""
    who = household_hash(household)
    out: list[GlobalRewrite] = []
    for g in records:
        votes = [v for v in g.votes if not (v.household == who and v.ts >= since)]
        if not votes:
            continue
        promoted = g.promoted and len({v.household for v in votes}) >= PROMOTE_MIN_HOUSEHOLDS
        out.append(g.model_copy(update={"votes": votes, "promoted": promoted}))
    return out
