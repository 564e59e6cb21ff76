"""Reading the answer to an offer: yes, no, "stop suggesting that", or no answer at all."""

from __future__ import annotations

import pytest

from policies.dialogue_policy import ANSWER_WINDOW_S
from policies.offers import Offer, offer_window_s, open_offer, reply_to_offer


@pytest.mark.parametrize("text", ["yes", "Yes.", "yes please", "sure", "ok", "go ahead",
                                  "please do", "sounds good", "why not"])
def test_yes(text: str) -> None:
    assert reply_to_offer(text) == "yes"


@pytest.mark.parametrize("text", ["no", "No.", "no thanks", "not now", "nope", "never mind",
                                  "no thank you"])
def test_no(text: str) -> None:
    assert reply_to_offer(text) == "no"


@pytest.mark.parametrize("text", ["stop suggesting that", "Stop suggesting that.",
                                  "no, stop suggesting timers", "don't suggest that again",
                                  "please stop offering that", "never ask me that again",
                                  "don't ask me that again", "I'm not interested"])
def test_stop(text: str) -> None:
    assert reply_to_offer(text) == "stop"


@pytest.mark.parametrize("text", ["set a timer for ten minutes", "what's the weather",
                                  "how long do I boil eggs", "stop the timer"])
def test_not_an_answer(text: str) -> None:
    assert reply_to_offer(text) is None


def test_an_offer_closes_after_its_window() -> None:
    offer = Offer(suggestion_id="s", key="k", origin="latent_goal", correlation_id="c",
                  until=100.0)
    assert open_offer(offer, 99.0) is offer
    assert open_offer(offer, 100.5) is None
    assert open_offer(None, 0.0) is None


def test_an_offer_stays_open_until_it_has_been_heard_and_answered() -> None:
    short = offer_window_s("Timer?")
    longer = offer_window_s("Would you like me to set a timer for 2 minutes 30 seconds?")
    assert ANSWER_WINDOW_S < short < longer
    assert longer - short == pytest.approx(0.4 * 12)  # twelve more words to say
