"""Rewrites from implicit feedback: alignment, application, rollback, promotion, forgetting."""

from __future__ import annotations

from policies import rewrites as rw


def test_friction_words() -> None:
    assert rw.correction("no, switch on the coffee machine")
    assert rw.correction("I meant the coffee machine")
    assert not rw.correction("now switch on the coffee machine")
    assert rw.strip_correction("No, switch on the coffee machine") == "switch on the coffee machine"


def test_alignment_finds_the_one_differing_span() -> None:
    assert rw.align("switch on the brew machine", "switch on the coffee machine") == (
        "brew", "coffee", False)
    assert rw.align("play maj and dragons", "play imagine dragons") == (
        "maj and", "imagine", False)
    assert rw.align("make it cosy", "turn on the lights in the living room") == (
        "make it cosy", "turn on the lights in the living room", True)
    assert rw.align("same words", "Same words!") is None


def test_a_rephrase_is_soon_and_similar() -> None:
    assert rw.is_rephrase(5, 0.8, "switch on the brew machine", "switch on the coffee machine")
    assert not rw.is_rephrase(45, 0.8, "switch on the brew machine",
                              "switch on the coffee machine")
    assert not rw.is_rephrase(5, 0.1, "what's the weather", "set a timer")


def test_learn_apply_confirm_and_roll_back() -> None:
    rewrites, learned = rw.learn([], "switch on the brew machine",
                                 "switch on the coffee machine", "correction", 10.0)
    assert learned is not None and (learned.said, learned.meant) == ("brew", "coffee")
    assert learned.evidence[0].failed == "switch on the brew machine"
    text, ids = rw.apply("Switch on the Brew machine", rewrites)
    assert (text, ids) == ("Switch on the coffee machine", [learned.id])
    assert rw.apply("brewery tour", rewrites) == ("brewery tour", [])  # whole words only
    rewrites = rw.confirm(rewrites, ids, 20.0)
    assert rewrites[0].applied == 1
    rewrites, rolled = rw.roll_back(rewrites, ids, "barge_in", "switch on the coffee machine",
                                    30.0)
    assert [r.status for r in rolled] == ["rolled_back"]
    assert rw.apply("switch on the brew machine", rewrites) == ("switch on the brew machine", [])
    assert [e.kind for e in rewrites[0].evidence] == ["learned", "friction"]


def test_evidence_is_scrubbed() -> None:
    _, learned = rw.learn([], "call bob on 555 123 4567", "phone bob on 555 123 4567",
                          "out_of_scope", 1.0)
    assert learned is not None
    assert learned.evidence[0].failed == "call [name] on [phone]"


def test_promotion_needs_several_households_and_clean_words() -> None:
    _, learned = rw.learn([], "switch on the brew machine", "switch on the coffee machine",
                          "correction", 1.0)
    assert learned is not None
    records, promoted = rw.vote([], learned, "h1", 1.0)
    records, promoted = rw.vote(records, learned, "h1", 2.0)  # the same home twice: one vote
    assert promoted is None and len(records[0].votes) == 1
    records, promoted = rw.vote(records, learned, "h2", 3.0)
    assert promoted is None
    assert rw.apply("switch on the brew machine", records)[1] == []  # not promoted yet
    records, promoted = rw.vote(records, learned, "h3", 4.0)
    assert promoted is not None and promoted.promoted
    assert rw.apply("switch on the brew machine", records)[0] == "switch on the coffee machine"
    assert all("h1" not in v.household for v in records[0].votes)  # hashed
    # h3 forgets today: its vote goes, and the rewrite is no longer promoted.
    after = rw.withdraw(records, "h3", since=3.5)
    assert not after[0].promoted and len(after[0].votes) == 2


def test_personal_words_never_leave_the_household() -> None:
    _, learned = rw.learn([], "call bob", "call robert", "correction", 1.0)
    assert learned is not None
    records: list[rw.GlobalRewrite] = []
    for home in ("h1", "h2", "h3", "h4"):
        records, promoted = rw.vote(records, learned, home, 1.0)
        assert promoted is None
    assert records == []


def test_an_immediate_rephrase_fills_an_argument_the_first_lacked() -> None:
    assert rw.immediate_rephrase(4, "smart_home.turn_on", [], "smart_home.turn_on", ["device"])
    assert not rw.immediate_rephrase(4, "smart_home.turn_on", ["room"], "smart_home.turn_on",
                                     ["room"])  # another room: a new request
    assert not rw.immediate_rephrase(40, "smart_home.turn_on", [], "smart_home.turn_on",
                                     ["device"])
    assert not rw.immediate_rephrase(4, "timer.set", [], "smart_home.turn_on", ["device"])


def test_a_rollback_takes_the_households_vote_back() -> None:
    _, learned = rw.learn([], "switch on the brew machine", "switch on the coffee machine",
                          "correction", 1.0)
    assert learned is not None
    records: list[rw.GlobalRewrite] = []
    for home in ("h1", "h2", "h3"):
        records, _ = rw.vote(records, learned, home, 1.0)
    assert records[0].promoted
    records = rw.unvote(records, [learned.id], "h2")
    assert not records[0].promoted and len(records[0].votes) == 2
    assert rw.unvote(rw.unvote(records, [learned.id], "h1"), [learned.id], "h3") == []
