"""The progress helper: bars on a terminal, silence everywhere else, cheap in hot loops."""

from __future__ import annotations

import io

from hearth.progress import NO_PROGRESS, Reporter


def test_off_unless_the_stream_is_a_terminal() -> None:
    assert Reporter(stream=io.StringIO()).enabled is False
    assert Reporter(enabled=True, stream=io.StringIO()).enabled is True


def test_disabled_progress_draws_nothing_but_still_counts() -> None:
    stream = io.StringIO()
    with Reporter(enabled=False, stream=stream) as progress:
        assert not progress.active
        stage = progress.stage("pings", total=10)
        for _ in range(10):
            stage.advance()
        stage.describe("renamed")
        stage.finish()
    assert stage.done == 10
    assert stream.getvalue() == ""


def test_enabled_progress_draws_its_stages_on_the_stream() -> None:
    stream = io.StringIO()
    with Reporter(enabled=True, stream=stream) as progress:
        assert progress.active
        starting = progress.stage("starting Hearth")  # a spinner: no total
        starting.finish()
        pings = progress.stage("latency pings", total=500)
        for _ in range(500):
            pings.advance()
    drawn = stream.getvalue()
    assert "starting Hearth" in drawn
    assert "latency pings" in drawn
    assert "500/500" in drawn
    assert not progress.active


def test_echo_prints_plain_lines_when_no_bar_is_drawn() -> None:
    out = io.StringIO()
    with Reporter(enabled=False) as progress:
        progress.echo("== PASS", out)
    assert out.getvalue() == "== PASS\n"


def test_the_shared_no_op_reporter_can_be_reused() -> None:
    for _ in range(2):
        with NO_PROGRESS as progress:
            progress.stage("x", total=3).advance(3)
    assert not NO_PROGRESS.active
