"""The HTML report of a real replay, opened in headless Chromium: lanes and marks are drawn.

The page builds its SVG with its own script from the embedded JSON, so reading the DOM after
Chromium ran the script proves the drawing, not just the markup Python wrote.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from hearth.stack import Stack

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
SCENARIOS = ["scenarios/library/morning_kitchen.yaml", "scenarios/library/kitchen_timer.yaml"]


class Elements(HTMLParser):
    """Every element of a document as (section, tag, attributes), in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, dict[str, str]]] = []
        self.section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if tag == "section" and "data-scenario" in named:
            self.section = named["data-scenario"]
        self.found.append((self.section, tag, named))

    def classed(self, *names: str, section: str | None = None) -> list[dict[str, str]]:
        return [a for s, _, a in self.found if section in (None, s)
                and set(names) <= set(a.get("class", "").split())]

    def having(self, attr: str, section: str | None = None) -> list[dict[str, str]]:
        return [a for s, _, a in self.found if attr in a and section in (None, s)]


def rendered_dom(page: Path, profile: Path) -> Elements:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=5000",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=90,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dom = Elements()
    dom.feed(done.stdout)
    return dom


@dataclass
class Replayed:
    page: Path
    facts: dict[str, Any]  # the replay's own --json summary: what the page must show
    transcript: str  # the readable transcript (stderr with --json)


@pytest.fixture(scope="module")
def replayed(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Replayed:
    out = tmp_path_factory.mktemp("report") / "replay.html"
    done = subprocess.run(
        [sys.executable, "-m", "hearth.cli", "replay", "--nats", stack.url, "--json", *SCENARIOS,
         "--report", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    # 1 means an expectation failed: the report must still be written and show it.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return Replayed(out, json.loads(done.stdout), done.stderr)


def test_replay_writes_the_report_and_says_where(replayed: Replayed) -> None:
    assert replayed.transcript.rstrip().splitlines()[-1] == f"Report: {replayed.page.resolve()}"
    page = replayed.page.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page  # one file, nothing to fetch


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed "
                    "(.ci/run installs it with apt-get install chromium)")
def test_chromium_draws_lanes_marks_arrows_and_checks(replayed: Replayed,
                                                      tmp_path: Path) -> None:
    dom = rendered_dom(replayed.page, tmp_path / "profile")
    assert dom.having("data-rendered"), "the page script did not finish"
    assert not dom.classed("render-error")
    facts = replayed.facts["scenarios"]
    sections = [a["data-scenario"] for a in dom.having("data-scenario")]
    assert sections == [f["name"] for f in facts] == ["morning-kitchen", "kitchen-timer"]

    for fact in facts:
        name = fact["name"]
        lanes = {(a["data-lane"], a["data-lane-kind"])
                 for a in dom.having("data-lane-kind", section=name)}
        assert ("alice", "person") in lanes and ("kitchen", "device") in lanes
        assert {"perception", "turn_taking", "understanding", "dialogue", "skill_timer",
                "speech"} <= {lane for lane, kind in lanes if kind == "agent"}, lanes
        marks = dom.classed("mark", section=name)
        placed = Counter((a["data-type"], a["data-lane"]) for a in marks)
        types = Counter(a["data-type"] for a in marks)
        decided = [d for d in fact["decisions"] if d["addressed"] is not None]
        assert placed[("device.transcript", "alice")] >= 1
        assert types["device.transcript"] >= len(fact["decisions"])
        assert types["perception.utterance"] >= len(fact["decisions"])
        assert placed[("turn.addressed", "turn_taking")] >= sum(1 for d in decided
                                                                 if d["addressed"])
        assert types["turn.addressed"] + types["turn.ignored"] >= len(decided)
        assert types["intent.recognized"] >= 1 and types["skill.call"] >= 1
        # Every skill call's answer travels on a reply inbox and is still on the timeline.
        assert placed[("skill.result", "skill_timer")] == types["skill.call"]
        assert types["device.say"] == placed[("device.say", "kitchen")] >= 1

        ids = {a["data-id"] for a in marks}
        arrows = dom.classed("arrow", section=name)
        assert all(a["data-from"] in ids and a["data-to"] in ids for a in arrows)
        caused = types["perception.utterance"] + types["turn.addressed"] + \
            types["turn.ignored"] + types["intent.recognized"] + types["skill.result"]
        assert len(arrows) >= caused

        checks = dom.having("data-passed", section=name)
        assert [(int(a["data-line"]), a["data-passed"]) for a in checks] == \
            [(e["line"], str(e["passed"]).lower()) for e in fact["expectations"]]
        met = [e for e in fact["expectations"] if e["message_id"]]
        assert len(dom.classed("ring", "pass", section=name)) == sum(e["passed"] for e in met)
        assert len(dom.classed("ring", "fail", section=name)) == sum(not e["passed"] for e in met)

    said = replayed.transcript.count("◀ Hearth")
    assert said == len([a for a in dom.classed("mark") if a["data-type"] == "device.say"])
    tables = [a.get("id") or a.get("class") for _, tag, a in dom.found if tag == "table"]
    assert "summary" in tables and "checks" in tables and "decisions" in tables
