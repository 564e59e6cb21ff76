"""The ``hearth`` command: up, replay, device sim, graph, bench."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any

DEFAULT_PORT = 4222
DEFAULT_NATS = f"nats://127.0.0.1:{DEFAULT_PORT}"


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, default=str))


# -- hearth up ------------------------------------------------------------------------------
def _parse_replicas(items: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        name, _, count = item.partition("=")
        if not count.isdigit() or int(count) < 1:
            raise SystemExit(f"--replicas takes KIND=N with N >= 1, not {item!r}")
        out[name] = int(count)
    return out


async def _up(args: argparse.Namespace) -> int:
    from agents.registry import FLOW_AGENTS
    from bus.server import NatsServer
    from hearth.stack import Stack

    server = None
    nats_url = args.nats
    if nats_url is None:
        Path(args.store).mkdir(parents=True, exist_ok=True)
        server = NatsServer(port=args.port, store_dir=args.store).start()
        nats_url = server.url
    stack = Stack(nats_url=nats_url, ray_address=args.address,
                  replicas=_parse_replicas(args.replicas))
    stop = asyncio.Event()
    try:
        await stack.start()
        # After Ray's start-up, which installs its own SIGTERM handler in the driver.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        names = ", ".join(a.NAME for a in FLOW_AGENTS)
        print(f"Hearth is up. NATS {nats_url} (JetStream"
              f"{', store ' + args.store if server else ''}); agents: {names}")
        print(f"Attach a device:  hearth device sim --nats {nats_url} --household h1 "
              f"--device kitchen")
        print("Stop with Ctrl-C.", flush=True)
        await stop.wait()
    finally:
        print("Stopping Hearth...", flush=True)
        await stack.stop()
        if server is not None:
            server.stop()
    return 0


# -- hearth replay --------------------------------------------------------------------------
def _scenario_paths(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(path.rglob("*.yaml")))
        else:
            out.append(path)
    return out


async def _replay(args: argparse.Namespace) -> int:
    from hearth.stack import Stack
    from scenarios.loader import ScenarioError
    from scenarios.model import load_scenario
    from scenarios.replay import ScenarioRunner, replay
    from scenarios.results import summary
    from scenarios.transcript import render

    try:
        scenarios = [load_scenario(p) for p in _scenario_paths(args.paths)]
    except ScenarioError as err:
        print(f"hearth replay: {err}", file=sys.stderr)
        return 2
    if not scenarios:
        print("hearth replay: no scenario files found", file=sys.stderr)
        return 2
    out = sys.stderr if args.json else sys.stdout

    def show(runner: ScenarioRunner) -> None:
        print("\n".join(render(runner)), file=out, flush=True)

    async with Stack(nats_url=args.nats, ray_address=args.address,
                     with_agents=args.nats is None) as stack:
        assert stack.bus is not None
        results = await replay(stack.bus, scenarios, on_result=show)
    report = summary(results)
    if args.json:
        _print_json(report)
    else:
        totals = report["totals"]
        print(f"\n{totals['scenarios_passed']}/{totals['scenarios']} scenarios passed, "
              f"{totals['expectations_passed']}/{totals['expectations']} expectations")
    return 0 if report["passed"] else 1


# -- hearth device sim ----------------------------------------------------------------------
async def _device_sim(args: argparse.Namespace) -> int:
    from bus.messages import DeviceSay, SeenPerson
    from bus.nats_bus import NatsBus
    from devices.sim import DeviceSimulator

    def told(msg: DeviceSay) -> None:
        print(f"{msg.device} ◀ Hearth: {msg.text}", flush=True)

    bus = await NatsBus.connect(args.nats, name=f"device-{args.device}")
    sim = await DeviceSimulator(bus, args.household, args.device, args.kind, on_say=told).start()
    try:
        if args.say:
            for text in args.say:
                await sim.hear(text, speaker=args.speaker)
                print(f"{args.speaker or '?'} ▶ {args.device}: {text}", flush=True)
                await asyncio.sleep(args.gap)
            await asyncio.sleep(args.wait)
            return 0
        print(f"Device {args.device} ({args.kind}) in household {args.household}. Type what "
              "someone says ('alice: hey hearth, set a timer for 2 minutes'); "
              "'/look alice' or '/away alice' for camera cues; Ctrl-D to quit.", flush=True)
        looking: set[str] = set()
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return 0
            line = line.strip()
            if line.startswith(("/look ", "/away ")):
                person = line.split(maxsplit=1)[1]
                (looking.add if line.startswith("/look") else looking.discard)(person)
                await sim.see([SeenPerson(person=p, looking_at_device=True) for p in looking])
            elif line:
                speaker, sep, text = line.partition(":")
                if not sep:
                    speaker, text = args.speaker or "", line
                await sim.hear(text.strip(), speaker=speaker.strip() or None)
    finally:
        await sim.stop()
        await bus.close()


# -- hearth graph / bench -------------------------------------------------------------------
def _graph(args: argparse.Namespace) -> int:
    from agents.registry import FLOW_AGENTS
    from hearth.graph import render_dot, render_text

    print(render_dot(FLOW_AGENTS) if args.dot else render_text(FLOW_AGENTS))
    return 0


async def _bench_bus(args: argparse.Namespace) -> int:
    from hearth.bench import bench_bus

    result = await bench_bus(args.n, args.throughput_n, args.nats)
    if args.json:
        _print_json(result)
    else:
        print(f"bus hop p50 {result['hop_ms_p50']:.3f} ms, p99 {result['hop_ms_p99']:.3f} ms; "
              f"round trip p50 {result['rtt_ms_p50']:.3f} ms; "
              f"{result['msgs_per_s']:.0f} msgs/s through an agent actor")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth", description="Hearth: a household voice assistant runtime.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="start NATS (embedded unless --nats), Ray and every agent")
    up.add_argument("--nats", help="use this NATS server instead of starting one")
    up.add_argument("--address", help="join this Ray cluster (e.g. 10.0.0.5:6379 or auto)")
    up.add_argument("--port", type=int, default=DEFAULT_PORT, help="port of the embedded NATS")
    up.add_argument("--store", default=".hearth/jetstream", help="JetStream store directory")
    up.add_argument("--replicas", nargs="*", default=[], metavar="KIND=N",
                    help="run N replicas of an agent kind (they share work by queue group)")
    up.set_defaults(run=_up)

    rp = sub.add_parser("replay", help="replay scenario files and check their expectations")
    rp.add_argument("paths", nargs="+", help="scenario YAML files or folders of them")
    rp.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    rp.add_argument("--nats", help="replay against a running `hearth up` at this URL")
    rp.add_argument("--address", help="Ray cluster to start the agents on")
    rp.set_defaults(run=_replay)

    dev = sub.add_parser("device", help="device simulators")
    dev_sub = dev.add_subparsers(dest="device_command", required=True)
    sim = dev_sub.add_parser("sim", help="attach a simulated device over NATS")
    sim.add_argument("--nats", default=DEFAULT_NATS, help=f"NATS URL (default {DEFAULT_NATS})")
    sim.add_argument("--household", default="h1")
    sim.add_argument("--device", default="kitchen")
    sim.add_argument("--kind", default="speaker", choices=["speaker", "screen", "phone"])
    sim.add_argument("--speaker", help="who is speaking, for --say and plain lines")
    sim.add_argument("--say", action="append", help="say this and exit after --wait (repeatable)")
    sim.add_argument("--gap", type=float, default=1.0, help="seconds between --say lines")
    sim.add_argument("--wait", type=float, default=2.0, help="seconds to listen after --say")
    sim.set_defaults(run=_device_sim)

    graph = sub.add_parser("graph", help="print the message flow declared by the agents")
    graph.add_argument("--dot", action="store_true", help="Graphviz dot instead of text")
    graph.set_defaults(run=_graph)

    bench = sub.add_parser("bench", help="benchmarks that print figures or JSON")
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    bb = bench_sub.add_parser("bus", help="hop latency and throughput through NATS and Ray")
    bb.add_argument("--json", action="store_true")
    bb.add_argument("--n", type=int, default=2000, help="pings for the latency figures")
    bb.add_argument("--throughput-n", type=int, default=20000, help="pings for throughput")
    bb.add_argument("--nats", help="use this NATS server instead of an embedded one")
    bb.set_defaults(run=_bench_bus)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    result = args.run(args)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return int(result)


if __name__ == "__main__":
    sys.exit(main())
