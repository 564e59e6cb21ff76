"""``hearth bench ...``: the parsers and the small functions that call each benchmark
(implementations: hearth/bench*.py)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hearth.cli_common import emit, parse_replicas, print_json


def add_bench_parsers(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                      ) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """``hearth bench ...``; returns the bench subparsers for other modules' benches."""
    from hearth.secure import add_creds_argument

    bench = sub.add_parser("bench", help="benchmarks that print figures or JSON")
    bench_sub: argparse._SubParsersAction = bench.add_subparsers(  # type: ignore[type-arg]
        dest="bench_command", required=True)
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
    return bench_sub


async def _bench_bus(args: argparse.Namespace) -> int:
    from hearth.bench import bench_bus
    from hearth.progress import Reporter

    with Reporter() as progress:
        result = await bench_bus(args.n, args.throughput_n, args.nats, progress=progress)
    if args.json:
        print_json(result)
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
    emit(json.dumps(result, indent=2) if args.json else summary_line(result))
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
        print_json(next(iter(results.values())))
    else:
        print(table(results))
    return 0


async def _bench_proactive(args: argparse.Namespace) -> int:  # hearth/bench_proactive.py
    from hearth.bench_proactive import bench_proactive

    result = await bench_proactive(args.paths, nats_url=args.nats, ablate=args.ablate or [])
    print_json(result)  # the figures are the JSON, with or without --json
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
    emit(json.dumps(result, ensure_ascii=False) if args.json else summary(result))
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
    emit(json.dumps(result, indent=2 if not args.json else None, default=str))
    return 0


# -- hearth bench load (implementation: hearth/bench_load.py) --------------------------------
async def _bench_load(args: argparse.Namespace) -> int:
    from hearth.bench_load import bench_load, summary_line
    from hearth.secure import client_creds

    result = await bench_load(args.households, args.duration, args.think, args.warmup,
                              nats_url=args.nats,
                              creds=client_creds(args) if args.nats else None,
                              replicas=parse_replicas(args.replicas))
    emit(json.dumps(result, indent=2) if args.json else summary_line(result))
    return 0
