"""The ``hearth`` command: up, replay, device, watch, graph; bench is in cli_bench.py, learn
list|intent and stats in cli_learn.py."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from nats.errors import NoServersError

from hearth.cli_bench import add_bench_parsers
from hearth.cli_common import (
    DEFAULT_NATS,
    DEFAULT_PORT,
    parse_replicas,
    print_json,
    results_stream,
    results_to,
)
from hearth.cli_learn import add_learning_parsers


# -- hearth up ------------------------------------------------------------------------------
async def _up(args: argparse.Namespace) -> int:
    from hearth.secure import auth_for_up, start_server
    from hearth.stack import Stack

    server = None
    nats_url = args.nats
    auth = auth_for_up(args)  # users on by default (hearth/secure.py); None with --insecure
    if nats_url is None:
        server = start_server(args, auth)
        nats_url = server.url
    stack = Stack(nats_url=nats_url, ray_address=args.address,
                  replicas=parse_replicas(args.replicas), audio=args.audio,
                  auth=auth, **_skill_options(args))
    stop = asyncio.Event()
    try:
        await stack.start()
        # After Ray's start-up, which installs its own SIGTERM handler in the driver.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        names = ", ".join(a.NAME for a in stack.kinds)
        print(f"Hearth is up. NATS {nats_url} (JetStream"
              f"{', store ' + args.store if server else ''}); agents: {names}")
        print(f"Attach a device:  hearth device add h1 kitchen, then hearth device sim "
              f"--nats {nats_url} --household h1 --device kitchen"
              f"{' --creds ' + args.auth_dir + '/devices/h1.kitchen.json' if auth else ''}")
        print("Stop with Ctrl-C.", flush=True)
        await stop.wait()
    finally:
        print("Stopping Hearth...", flush=True)
        await stack.stop()
        if server is not None:
            server.stop()
    return 0


def _skill_options(args: argparse.Namespace) -> dict[str, Any]:
    """`--skills DIR`: user skill folders; each of their skills runs as its own agent."""
    if not getattr(args, "skills", None):
        return {}
    from agents.registry import FLOW_AGENTS
    from agents.skills.hosted import skill_agents

    extra = [k for k in skill_agents(args.skills) if k not in FLOW_AGENTS]
    return {"kinds": (*FLOW_AGENTS, *extra), "config": {"skill_dirs": list(args.skills)}}


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
    from hearth.reporting import ReplayExtras
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
    extras = ReplayExtras(len(scenarios), args.report)  # progress bars and the HTML report

    def show(runner: ScenarioRunner) -> None:
        extras.shown(runner, "\n".join(render(runner)), out)

    with extras:
        from hearth.secure import client_creds

        async with Stack(nats_url=args.nats, ray_address=args.address,
                         with_agents=args.nats is None,
                         creds=client_creds(args) if args.nats else None,
                         audio=args.audio or any(s.mode == "audio" for s in scenarios)) as stack:
            assert stack.bus is not None
            await extras.attach(stack.bus)
            results = await replay(stack.bus, scenarios, on_result=show,
                                   audio=True if args.audio else None)
            await extras.detach()
    report = summary(results)
    if args.json:
        print_json(report)
    else:
        totals = report["totals"]
        print(f"\n{totals['scenarios_passed']}/{totals['scenarios']} scenarios passed, "
              f"{totals['expectations_passed']}/{totals['expectations']} expectations")
    written = extras.write(results)
    if written is not None:
        print(f"Report: {written}", file=out, flush=True)
    return 0 if report["passed"] else 1


# -- hearth device sim ----------------------------------------------------------------------
async def _device_sim(args: argparse.Namespace) -> int:
    from bus.messages import DeviceSay, SeenPerson
    from bus.nats_bus import NatsBus
    from devices.sim import DeviceSimulator

    def told(msg: DeviceSay) -> None:
        print(f"{msg.device} ◀ Hearth: {msg.text}", flush=True)

    from hearth.secure import client_creds

    bus = await NatsBus.connect(args.nats, name=f"device-{args.device}",
                                creds=client_creds(args))
    sim_cls = DeviceSimulator
    if args.audio:  # speak the lines as audio and play the assistant's voice (devices/audio_sim)
        from devices.audio_sim import AudioDeviceSimulator as sim_cls
    sim = await sim_cls(bus, args.household, args.device, args.kind, on_say=told).start()
    try:
        if args.say:
            for text in args.say:
                await sim.hear(text, speaker=args.speaker)
                print(f"{args.speaker or '?'} ▶ {args.device}: {text}", flush=True)
                await asyncio.sleep(args.gap)
            if args.audio:
                from hearth.bench_audio import finish_audio_lines

                await finish_audio_lines(sim)
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


# -- hearth graph -------------------------------------------------------------------------
def _graph(args: argparse.Namespace) -> int:
    from agents.registry import AUDIO_AGENTS, FLOW_AGENTS
    from hearth.graph import render_dot, render_text

    kinds = FLOW_AGENTS + AUDIO_AGENTS  # the whole flow, hearing included
    print(render_dot(kinds) if args.dot else render_text(kinds))
    return 0


async def _learn_turns(args: argparse.Namespace) -> int:
    from hearth.learn_turns import DEFAULT_OUT, learn_turns

    argv = [*args.paths, "--generate", str(args.generate), "--seed", str(args.seed),
            *(["--l2", str(args.l2)] if args.l2 != 1.0 else [])]
    result = await learn_turns(args.paths, Path(args.out) if args.out else DEFAULT_OUT,
                               l2=args.l2, include_held_out=args.include_held_out,
                               nats_url=args.nats, argv=argv, generated=args.generate,
                               seed=args.seed)
    print_json(result)
    return 0


# -- hearth watch ---------------------------------------------------------------------------
async def _watch(args: argparse.Namespace) -> int:
    from hearth.secure import client_creds
    from hearth.watch import watch

    return await watch(args.nats, args.household, as_json=args.json, out=results_stream(),
                       creds=client_creds(args))


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
    up.add_argument("--skills", action="append", metavar="DIR",
                    help="a folder of skills (or one skill folder) to load (repeatable)")
    up.add_argument("--audio", action="store_true",
                    help="also run the audio agents (VAD + Whisper) for devices that stream audio")
    from hearth.secure import add_auth_arguments, add_creds_argument, add_device_parser

    add_auth_arguments(up)  # --auth-dir, --insecure, --tls-cert/--tls-key/--tls-ca
    up.set_defaults(run=_up)

    rp = sub.add_parser("replay", help="replay scenario files and check their expectations")
    rp.add_argument("paths", nargs="+", help="scenario YAML files or folders of them")
    rp.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    rp.add_argument("--nats", help="replay against a running `hearth up` at this URL")
    rp.add_argument("--address", help="Ray cluster to start the agents on")
    rp.add_argument("--report", metavar="OUT.html",
                    help="also write a self-contained HTML timeline of every scenario")
    rp.add_argument("--audio", action="store_true",
                    help="replay every scenario as sound: synthesized voices, ASR, TTS")
    add_creds_argument(rp)
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
    sim.add_argument("--audio", action="store_true",
                     help="speak lines as microphone audio (TTS) and play the assistant's voice")
    add_creds_argument(sim)
    sim.set_defaults(run=_device_sim)
    add_device_parser(dev_sub)  # hearth device add HOUSEHOLD DEVICE

    wt = sub.add_parser("watch", help="tail the live bus: one coloured line per message")
    wt.add_argument("--nats", default=DEFAULT_NATS, help=f"NATS URL (default {DEFAULT_NATS})")
    wt.add_argument("--household", help="only this household (default: every household)")
    wt.add_argument("--json", action="store_true", help="one JSON object per line")
    add_creds_argument(wt)
    wt.set_defaults(run=_watch)

    graph = sub.add_parser("graph", help="print the message flow declared by the agents")
    graph.add_argument("--dot", action="store_true", help="Graphviz dot instead of text")
    graph.set_defaults(run=_graph)


    bench_sub = add_bench_parsers(sub)  # hearth/cli_bench.py

    learn = sub.add_parser("learn", help="fit learned policies from labelled scenes")
    learn_sub = learn.add_subparsers(dest="learn_command", required=True)
    lt = learn_sub.add_parser("turns", help="fit the addressee weights (logistic regression)")
    lt.add_argument("paths", nargs="+", help="scenario YAML files or folders of them")
    lt.add_argument("--out", help="where to write the weights (policies/addressee_weights.py)")
    lt.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights")
    lt.add_argument("--generate", type=int, default=120,
                    help="also fit on this many generated scenes (hearth/turn_scenes.py)")
    lt.add_argument("--seed", type=int, default=7, help="seed of the generated scenes")
    lt.add_argument("--include-held-out", action="store_true",
                    help="also fit on the scenes held out for evaluation")
    lt.add_argument("--nats", help="use this NATS server instead of an embedded one")
    lt.set_defaults(run=_learn_turns)
    add_learning_parsers(sub, learn_sub, bench_sub)  # hearth/cli_learn.py
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    results_to(sys.stdout)
    if getattr(args, "json", False):
        sys.stdout = sys.stderr
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        result = args.run(args)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
    except PermissionError as err:  # NATS refused the login: say which credential to use
        print(f"hearth: {err} (pass --creds FILE; `hearth device add` makes one)",
              file=sys.stderr)
        return 2
    except NoServersError as err:  # nothing listens at --nats: one line, not a traceback
        print(f"hearth: no NATS server answered ({err}); is `hearth up` running, and is "
              "--nats right?", file=sys.stderr)
        return 2
    finally:
        sys.stdout = results_stream()
    return int(result)


if __name__ == "__main__":
    sys.exit(main())
