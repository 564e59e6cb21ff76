"""The ``hearth`` command: up, replay, device sim, graph, bench."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any, TextIO

from nats.errors import NoServersError

DEFAULT_PORT = 4222
DEFAULT_NATS = f"nats://127.0.0.1:{DEFAULT_PORT}"


# Where results go. With --json, everything else printed to stdout while a command runs (Ray
# relays its workers' and raylet's lines there) is sent to stderr, so stdout stays one object.
_OUT: TextIO = sys.stdout


def _emit(text: str) -> None:
    print(text, file=_OUT, flush=True)


def _print_json(obj: Any) -> None:
    _emit(json.dumps(obj, indent=2, default=str))


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
    from hearth.secure import auth_for_up, start_server
    from hearth.stack import Stack

    server = None
    nats_url = args.nats
    auth = auth_for_up(args)  # users on by default (hearth/secure.py); None with --insecure
    if nats_url is None:
        server = start_server(args, auth)
        nats_url = server.url
    stack = Stack(nats_url=nats_url, ray_address=args.address,
                  replicas=_parse_replicas(args.replicas), audio=args.audio,
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
        _print_json(report)
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


# -- hearth graph / bench -------------------------------------------------------------------
def _graph(args: argparse.Namespace) -> int:
    from agents.registry import AUDIO_AGENTS, FLOW_AGENTS
    from hearth.graph import render_dot, render_text

    kinds = FLOW_AGENTS + AUDIO_AGENTS  # the whole flow, hearing included
    print(render_dot(kinds) if args.dot else render_text(kinds))
    return 0


async def _bench_bus(args: argparse.Namespace) -> int:
    from hearth.bench import bench_bus
    from hearth.progress import Reporter

    with Reporter() as progress:
        result = await bench_bus(args.n, args.throughput_n, args.nats, progress=progress)
    if args.json:
        _print_json(result)
    else:
        print(f"bus hop p50 {result['hop_ms_p50']:.3f} ms, p99 {result['hop_ms_p99']:.3f} ms; "
              f"round trip p50 {result['rtt_ms_p50']:.3f} ms; "
              f"{result['msgs_per_s']:.0f} msgs/s through an agent actor")
    return 0


async def _bench_audio(args: argparse.Namespace) -> int:
    from hearth.bench_audio import bench_asr, bench_speech, summary_line

    run = bench_asr if args.bench == "asr" else bench_speech
    result = await run(n=args.n, model=args.model, min_window_s=args.min_window,
                       nats_url=args.nats)
    _emit(json.dumps(result, indent=2) if args.json else summary_line(result))
    return 0


# -- hearth bench turns / learn turns (implementation: hearth/bench_turns.py, learn_turns.py) --
async def _bench_turns(args: argparse.Namespace) -> int:
    from hearth.bench_turns import HELD_OUT, TABLE_VARIANTS, bench_turns, scenario_files, table

    paths = [str(p) for p in scenario_files(args.paths)
             if not args.held_out or p.stem in HELD_OUT]
    chosen = frozenset([args.ablate] if args.ablate else [])
    variants = [chosen] if args.ablate or args.json else list(TABLE_VARIANTS)
    results = await bench_turns(paths, variants, policy=args.policy, nats_url=args.nats,
                                generated=args.generate, seed=args.seed)
    if args.json:
        _print_json(next(iter(results.values())))
    else:
        print(table(results))
    return 0


async def _bench_proactive(args: argparse.Namespace) -> int:  # hearth/bench_proactive.py
    from hearth.bench_proactive import bench_proactive

    result = await bench_proactive(args.paths, nats_url=args.nats, ablate=args.ablate or [])
    if args.json:
        _print_json(result)
    else:
        _emit(json.dumps(result, indent=2))
    return 0


def _bench_translate(args: argparse.Namespace) -> int:  # implementation: bench_translate.py
    from hearth.bench_translate import bench_all, bench_files, summary

    if args.all:
        if args.files:
            raise SystemExit("hearth bench translate: --all takes no SRC TGT FILE_SRC FILE_TGT")
        result = bench_all(speech=args.speech, ct2_dirs=args.ct2_dir)
    elif len(args.files) != 4:
        raise SystemExit("hearth bench translate: give SRC TGT FILE_SRC FILE_TGT, or --all")
    else:
        src, tgt, src_file, tgt_file = args.files
        result = bench_files(src, tgt, src_file, tgt_file, args.backend, args.ct2_dir)
    _emit(json.dumps(result, ensure_ascii=False) if args.json else summary(result))
    return 0


def _bench_nlu(args: argparse.Namespace) -> int:  # implementation: hearth/bench_nlu.py
    from hearth.bench_nlu import DATA, bench_default, bench_files

    if args.format is None:
        result = bench_default(Path(args.data) if args.data else DATA, args.seed)
    elif not (args.train and args.test):
        raise SystemExit("hearth bench nlu: --format needs --train FILE and --test FILE")
    else:
        result = bench_files(args.format, args.train, args.test, args.shots, args.seed,
                             [k for k in args.test_keys.split(",") if k])
    _emit(json.dumps(result, indent=2 if not args.json else None, default=str))
    return 0


async def _learn_turns(args: argparse.Namespace) -> int:
    from hearth.learn_turns import DEFAULT_OUT, learn_turns

    argv = [*args.paths, "--generate", str(args.generate), "--seed", str(args.seed),
            *(["--l2", str(args.l2)] if args.l2 != 1.0 else [])]
    result = await learn_turns(args.paths, Path(args.out) if args.out else DEFAULT_OUT,
                               l2=args.l2, include_held_out=args.include_held_out,
                               nats_url=args.nats, argv=argv, generated=args.generate,
                               seed=args.seed)
    _print_json(result)
    return 0


# -- hearth bench load (implementation: hearth/bench_load.py) --------------------------------
async def _bench_load(args: argparse.Namespace) -> int:
    from hearth.bench_load import bench_load, summary_line
    from hearth.secure import client_creds

    result = await bench_load(args.households, args.duration, args.think, args.warmup,
                              nats_url=args.nats,
                              creds=client_creds(args) if args.nats else None,
                              replicas=_parse_replicas(args.replicas))
    _emit(json.dumps(result, indent=2) if args.json else summary_line(result))
    return 0


# -- hearth watch ---------------------------------------------------------------------------
async def _watch(args: argparse.Namespace) -> int:
    from hearth.secure import client_creds
    from hearth.watch import watch

    return await watch(args.nats, args.household, as_json=args.json, out=_OUT,
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

    bench = sub.add_parser("bench", help="benchmarks that print figures or JSON")
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    bb = bench_sub.add_parser("bus", help="hop latency and throughput through NATS and Ray")
    bb.add_argument("--json", action="store_true")
    bb.add_argument("--n", type=int, default=2000, help="pings for the latency figures")
    bb.add_argument("--throughput-n", type=int, default=20000, help="pings for throughput")
    bb.add_argument("--nats", help="use this NATS server instead of an embedded one")
    bb.set_defaults(run=_bench_bus)
    for name, help_text in (("asr", "end of speech -> final transcript, ASR real-time factor"),
                            ("speech", "TTS time to first audio; end of speech -> first audio")):
        ba = bench_sub.add_parser(name, help=help_text)  # implementation: hearth/bench_audio.py
        ba.add_argument("--json", action="store_true")
        ba.add_argument("--n", type=int, default=8, help="utterances to measure")
        ba.add_argument("--model", default="tiny.en", help="tiny.en, base or a model directory")
        ba.add_argument("--min-window", type=float, default=10.0,
                        help="seconds of audio window the Whisper encoder sees at least")
        ba.add_argument("--nats", help="use this NATS server instead of an embedded one")
        ba.set_defaults(run=_bench_audio, bench=name)
    bt = bench_sub.add_parser("turns", help="addressee precision/recall/F1 and cue ablations")
    bt.add_argument("paths", nargs="*", help="scenario YAML files, folders or quoted globs")
    bt.add_argument("--ablate", choices=["vision", "linguistic", "acoustic", "dialogue"],
                    help="drop this cue family in the turn-taking agent")
    bt.add_argument("--json", action="store_true", help="one JSON object (one variant)")
    bt.add_argument("--held-out", action="store_true",
                    help="only the scenes never used to fit the weights")
    bt.add_argument("--policy", choices=["learned", "rules"], help="default: learned")
    bt.add_argument("--generate", type=int, default=0,
                    help="also replay this many generated scenes (hearth/turn_scenes.py)")
    bt.add_argument("--seed", type=int, default=1001, help="seed of the generated scenes")
    bt.add_argument("--nats", help="use this NATS server instead of an embedded one")
    bt.set_defaults(run=_bench_turns)
    bn = bench_sub.add_parser("nlu", help="intent accuracy, out-of-scope recall, latency")
    bn.add_argument("--format", choices=["hwu64", "banking77", "clinc150"],
                    help="files in this format (default: held-out splits of the shared data)")
    bn.add_argument("--train", help="training file")
    bn.add_argument("--test", help="test file (clinc150: may be the same JSON as --train)")
    bn.add_argument("--shots", type=int, help="K examples per intent (default: all)")
    bn.add_argument("--seed", type=int, default=0)
    bn.add_argument("--test-keys", default="test,oos_test", help="clinc150 test keys")
    bn.add_argument("--data", help="folder of the shared NLU data for the default run")
    bn.add_argument("--json", action="store_true", help="one JSON object on one line")
    bn.set_defaults(run=_bench_nlu)
    bl = bench_sub.add_parser("load", help="N households at once: reply latency, memory")
    bl.add_argument("--households", type=int, default=50, help="simulated households")
    bl.add_argument("--duration", type=float, default=30.0,
                    help="seconds to measure (long: a soak run, memory over time)")
    bl.add_argument("--think", type=float, default=10.0,
                    help="mean seconds each household waits between questions")
    bl.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring")
    bl.add_argument("--replicas", nargs="*", default=[], metavar="KIND=N",
                    help="agent replicas of the stack started here")
    bl.add_argument("--nats", help="load a running `hearth up` instead of starting one")
    add_creds_argument(bl)
    bl.add_argument("--json", action="store_true")
    bl.set_defaults(run=_bench_load)
    bp = bench_sub.add_parser("proactive", help="suggestions offered, accepted, declined, "
                              "and made during side conversations (anticipation)")
    bp.add_argument("paths", nargs="*", help="scenario YAML files, folders or quoted globs "
                    "(default: scenarios/library/anticipation_*.yaml)")
    bp.add_argument("--json", action="store_true", help="one JSON object")
    bp.add_argument("--nats", help="use this NATS server instead of an embedded one")
    bp.add_argument("--ablate", action="append", choices=["side-talk"],
                    help="switch a rule off to measure what it is worth")
    bp.set_defaults(run=_bench_proactive)
    btr = bench_sub.add_parser("translate", help="chrF, BLEU and sentences/s of a translator")
    btr.add_argument("files", nargs="*", metavar="SRC TGT FILE_SRC FILE_TGT",
                     help="ISO 639-1 codes (en, es, pt) and two line-aligned parallel files")
    btr.add_argument("--all", action="store_true",
                     help="every supported pair and backend on the repository's test sentences")
    btr.add_argument("--backend", help="this backend instead of the best for the pair")
    btr.add_argument("--speech", action="store_true",
                     help="with --all: also Whisper's speech translation on spoken sentences")
    btr.add_argument("--ct2-dir", action="append", default=[],
                     help="a local CTranslate2 translation model directory (repeatable)")
    btr.add_argument("--json", action="store_true", help="one JSON object on one line")
    btr.set_defaults(run=_bench_translate)

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
    add_learning_parsers(sub, learn_sub, bench_sub)  # learn list|intent, stats, bench learn
    return parser


# -- hearth learn list | learn intent | stats (implementation: hearth/learn_cli.py) -----------
def add_learning_parsers(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                         learn_sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                         bench_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from hearth.secure import add_creds_argument

    bl = bench_sub.add_parser("learn", help="few-shot intents added live; the scrubber")
    bl.add_argument("--intents", type=int, default=10, help="CLINC150 intents to add")
    bl.add_argument("--shots", type=int, default=8, help="examples per added intent")
    bl.add_argument("--seed", type=int, default=1)
    bl.add_argument("--json", action="store_true", help="one JSON object on one line")
    bl.set_defaults(run=_bench_learn)

    ll = learn_sub.add_parser("list", help="rewrites learned from feedback, with evidence")
    ll.add_argument("--household", help="only this household")
    ll.add_argument("--json", action="store_true")
    li = learn_sub.add_parser("intent", help="add an intent from 5-10 examples, live")
    li.add_argument("intent", help="<skill>.<name>, e.g. smart_home.cinema")
    li.add_argument("--example", "-e", action="append", required=True, help="an utterance")
    li.add_argument("--calls", help="the declared API it calls (default: the intent itself)")
    li.add_argument("--slot", action="append", default=[], help="NAME=VALUE it always sets")
    li.add_argument("--household", default="h1")
    li.add_argument("--all", action="store_true", help="for every household (skill author)")
    st = sub.add_parser("stats", help="aggregates across households, differentially private")
    st.add_argument("--epsilon", type=float, default=0.5, help="privacy cost of this query")
    st.add_argument("--mechanism", choices=["laplace", "gaussian"], default="laplace")
    st.add_argument("--total", type=float, default=3.0,
                    help="total epsilon budget (only when none is stored yet)")
    for p in (ll, li, st):
        p.add_argument("--nats", default=DEFAULT_NATS, help="the running Hearth's NATS")
        add_creds_argument(p)
    ll.set_defaults(run=_learn_list)
    li.set_defaults(run=_learn_intent)
    st.set_defaults(run=_stats)


def _bench_learn(args: argparse.Namespace) -> int:
    from hearth.bench_learn import bench_learn

    result = bench_learn(intents=args.intents, shots=args.shots, seed=args.seed,
                         thresholds=())
    _emit(json.dumps(result, indent=None if args.json else 2))
    return 0


async def _learn_list(args: argparse.Namespace) -> int:
    from hearth.learn_cli import learn_list, render_list
    from hearth.secure import client_creds

    listing = await learn_list(args.nats, args.household, client_creds(args))
    _emit(json.dumps(listing, indent=2) if args.json else render_list(listing))
    return 0


async def _learn_intent(args: argparse.Namespace) -> int:
    from hearth.learn_cli import learn_intent, parse_slots
    from hearth.secure import client_creds

    msg = await learn_intent(args.nats, args.household, args.intent, args.example, args.calls,
                             parse_slots(args.slot), "all" if args.all else "household",
                             client_creds(args))
    print(f"added {msg.intent} ({len(msg.examples)} examples) for "
          f"{'every household' if args.all else args.household}")
    return 0


async def _stats(args: argparse.Namespace) -> int:
    from hearth.learn_cli import stats
    from hearth.secure import client_creds

    result = await stats(args.nats, args.epsilon, args.mechanism, args.total,
                         client_creds(args))
    _print_json(result)
    return 3 if "refused" in result else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    global _OUT
    _OUT = sys.stdout
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
        sys.stdout = _OUT
    return int(result)


if __name__ == "__main__":
    sys.exit(main())
