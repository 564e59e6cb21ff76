"""The PII scrubber on a table of examples: what goes, and what everyday requests keep."""

from __future__ import annotations

import pytest

from policies.scrubber import is_clean, scrub

SCRUBBED = [
    # (said, recorded, kinds found)
    ("Hey Hearth, call Alice on 555 123 4567", "Hey Hearth, call [name] on [phone]",
     {"name", "phone"}),
    ("text Priya that I'm late", "text [name] that I'm late", {"name"}),
    ("my name is Xavier", "my name is [name]", {"name"}),
    ("remind Grace to call Mark at five", "remind [name] to call [name] at five", {"name"}),
    ("email me at bob.smith@example.com", "email me at [email]", {"email"}),
    ("my number is +44 20 7946 0958", "my number is [phone]", {"phone"}),
    ("call (555) 010-9999 please", "call [phone] please", {"phone"}),
    ("the code is five five five one two one two", "the code is [number]", {"number"}),
    ("I live at 42 Baker Street", "I live at [address]", {"address"}),
    ("send it to 1600 Pennsylvania Avenue", "send it to [address]", {"address"}),
    ("my postcode is SW1A 1AA", "my postcode is [address]", {"address"}),
    ("my account number is 12345678", "my account number is [id]", {"id"}),
    ("my card number is 4111 1111 1111 1111", "my card number is [id]", {"id"}),
    ("my passport number is X1234567", "my passport number is [id]", {"id"}),
    ("my pin is 1234 and set a timer", "my pin is [id] and set a timer", {"id"}),
    ("the parcel is AB12CD34", "the parcel is [id]", {"id"}),
    ("order 987654", "order [number]", {"number"}),
]

KEPT = [
    "set a timer for 5 minutes",
    "set the thermostat to 21 degrees",
    "wake me at 7:30 tomorrow",
    "dim the lights to 80 percent",
    "turn on the lights in the kitchen",
    "Will you set a timer for ten minutes",
    "call me back later",
    "how many grams in 2 cups of flour",
    "remind me at 6 pm on friday to take the bins out",
    "it's 12 degrees outside",
    "add 3 apples to the shopping list",
]


@pytest.mark.parametrize(("said", "recorded", "kinds"), SCRUBBED)
def test_personal_data_is_replaced(said: str, recorded: str, kinds: set[str]) -> None:
    out = scrub(said)
    assert out.text == recorded
    assert set(out.found) == kinds
    assert not is_clean(said)


@pytest.mark.parametrize("said", KEPT)
def test_everyday_requests_keep_their_numbers(said: str) -> None:
    out = scrub(said)
    assert out.text == said
    assert out.found == ()
    assert is_clean(said)


def test_household_names_are_scrubbed_in_any_case() -> None:
    assert scrub("tell zorblax dinner is ready", names=["Zorblax"]).text == (
        "tell [name] dinner is ready")
    assert scrub("ask zorblax").text == "ask zorblax"  # unknown lower-case word: kept


def test_ambiguous_names_only_when_written_as_names() -> None:
    assert scrub("Will it rain today").text == "Will it rain today"
    assert scrub("remind me to ring Will").text == "remind me to ring [name]"
    assert scrub("may I have the lights on").text == "may I have the lights on"


def test_hearths_own_ids_stay_readable_in_logs() -> None:
    line = "retrying response.say of 3f1c0d2e4b5a69788796a5b4c3d2e1f0 in flat-3b9e2a"
    assert scrub(line).text == line
