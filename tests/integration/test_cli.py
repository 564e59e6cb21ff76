"""The hearth command as a user runs it: replay, device sim, up (joining a Ray cluster), bench."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import ray

from bus.server import NatsServer, free_port
from hearth.bench import bench_bus
from hearth.stack import Stack

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
HEARTH = [sys.executable, "-m", "hearth.cli"]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HEARTH, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_help_on_every_command() -> None:
    for args in ([], ["up"], ["replay"], ["device", "sim"], ["graph"], ["bench", "bus"]):
        done = run(*args, "--help")
        assert done.returncode == 0, done.stderr
        assert "usage: hearth" in done.stdout


def test_graph_reads_the_flow_off_the_agents() -> None:
    done = run("graph")
    assert done.returncode == 0
    assert "turn_taking    --turn.addressed--> understanding" in done.stdout
    assert "skill_timer    --skill.result (reply)--> dialogue" in done.stdout


def test_replay_names_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\ndevices:\n  - {id: kitchen}\npeople:\n  - {id: alice, at: kitchen}\n"
        "timeline:\n  - say: hi\n    by: alice\n    to: assistant\n  - advance: 5 minutes\n"
    )
    done = run("replay", str(bad))
    assert done.returncode == 2
    assert f"{bad}:10: advance:" in done.stderr


def test_replay_json_against_a_running_hearth(stack: Stack) -> None:
    done = run("replay", "--nats", stack.url, "--json",
               "scenarios/library/kitchen_timer.yaml")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["passed"] is True
    [scenario] = report["scenarios"]
    assert all(e["passed"] for e in scenario["expectations"])
    assert scenario["reply_latency_ms"] and scenario["reply_latency_ms"][0] > 0
    assert "kitchen ◀ Hearth" in done.stderr  # the readable transcript goes to stderr


def test_device_sim_from_another_terminal(stack: Stack) -> None:
    done = run("device", "sim", "--nats", stack.url, "--household", "cli1", "--device",
               "hall", "--speaker", "carol", "--say", "hey hearth, set a timer for 90 seconds",
               "--wait", "3")
    assert done.returncode == 0, done.stderr
    assert "hall ◀ Hearth: Timer set for 1 minute 30 seconds." in done.stdout


def test_up_joins_the_ray_cluster_and_stops_cleanly(tmp_path: Path, stack: Stack) -> None:
    port = free_port()
    address = ray.get_runtime_context().gcs_address
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [*HEARTH, "up", "--port", str(port), "--store", str(tmp_path / "js"),
         "--address", address],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 90
        banner = ""
        while "Hearth is up" not in banner:
            assert time.monotonic() < deadline, banner
            line = proc.stdout.readline()
            assert line or proc.poll() is None, banner
            banner += line
        done = run("device", "sim", "--nats", f"nats://127.0.0.1:{port}", "--household",
                   "up1", "--device", "den", "--say", "hearth, set a timer for 3 minutes")
        assert "den ◀ Hearth: Timer set for 3 minutes." in done.stdout, done.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "Stopping Hearth" in out


async def test_bench_bus_reports_figures(nats_server: NatsServer, stack: Stack) -> None:
    result = await bench_bus(n_latency=200, n_throughput=1000, nats_url=nats_server.url)
    assert {"hop_ms_p50", "hop_ms_p99", "msgs_per_s"} <= set(result)
    assert 0 < result["hop_ms_p50"] <= result["hop_ms_p99"]
    assert result["msgs_per_s"] > 0


def test_embedded_server_stops_cleanly(tmp_path: Path) -> None:
    server = NatsServer(store_dir=str(tmp_path / "store")).start()
    proc = server.proc
    assert proc is not None and proc.poll() is None
    server.stop()
    assert proc.returncode == 0
    assert (tmp_path / "store").exists()  # a given store directory is kept
