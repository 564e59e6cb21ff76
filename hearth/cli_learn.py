"""``hearth learn list | learn intent``, ``hearth stats`` and ``hearth bench learn``: parsers
and the calls into hearth/learn_cli.py and hearth/bench_learn.py."""

from __future__ import annotations

import argparse
import json

from hearth.cli_common import DEFAULT_NATS, emit, print_json


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
    emit(json.dumps(result, indent=None if args.json else 2))
    return 0


async def _learn_list(args: argparse.Namespace) -> int:
    from hearth.learn_cli import learn_list, render_list
    from hearth.secure import client_creds

    listing = await learn_list(args.nats, args.household, client_creds(args))
    emit(json.dumps(listing, indent=2) if args.json else render_list(listing))
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
    print_json(result)
    return 3 if "refused" in result else 0
