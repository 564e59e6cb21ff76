"""CLI side of authentication: the secure embedded server, ``hearth device add``, ``--creds``.

``hearth up`` is secure by default: the embedded nats-server listens on loopback only and
admits only the users in ``--auth-dir`` (bus/auth.py). ``--insecure`` turns users off (for
quick local hacking); ``--tls-cert``/``--tls-key`` switch TLS on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bus.auth import ADMIN, AuthDir, Credentials
from bus.server import NatsServer

DEFAULT_AUTH_DIR = ".hearth/auth"


def add_auth_arguments(parser: argparse.ArgumentParser) -> None:
    """The `hearth up` options for users and TLS."""
    parser.add_argument("--auth-dir", default=DEFAULT_AUTH_DIR,
                        help="where NATS users and credentials live (created on first run)")
    parser.add_argument("--insecure", action="store_true",
                        help="no NATS users: anyone on this machine may connect")
    parser.add_argument("--tls-cert", help="serve NATS over TLS with this certificate (PEM)")
    parser.add_argument("--tls-key", help="the certificate's private key (PEM)")
    parser.add_argument("--tls-ca", help="CA that clients trust (default: the certificate)")


def add_creds_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--creds", help="NATS credential file (default: the admin credential "
                        f"in {DEFAULT_AUTH_DIR} when it exists)")


def auth_for_up(args: argparse.Namespace) -> AuthDir | None:
    """The users of `hearth up` (None with --insecure); checks the TLS options."""
    if bool(args.tls_cert) != bool(args.tls_key):
        raise SystemExit("hearth up: --tls-cert and --tls-key go together")
    for path in (args.tls_cert, args.tls_key, args.tls_ca):
        if path and not Path(path).is_file():
            raise SystemExit(f"hearth up: no such file {path}")
    if args.insecure:
        if args.tls_cert:
            raise SystemExit("hearth up: TLS needs users; drop --insecure")
        return None
    return AuthDir(args.auth_dir, tls_ca=args.tls_ca or args.tls_cert)


def start_server(args: argparse.Namespace, auth: AuthDir | None) -> NatsServer:
    """The embedded nats-server of `hearth up`, with users and TLS when asked."""
    Path(args.store).mkdir(parents=True, exist_ok=True)
    config = str(auth.server_config(args.tls_cert, args.tls_key)) if auth else None
    return NatsServer(port=args.port, store_dir=args.store, config_file=config,
                      tls=bool(args.tls_cert)).start()


def client_creds(args: argparse.Namespace) -> Credentials | None:
    """--creds FILE, else the local admin credential when `hearth up` made one, else none."""
    path = getattr(args, "creds", None)
    if path:
        try:
            return Credentials.load(path)
        except ValueError as err:
            raise SystemExit(f"hearth: {err}") from None
    default = Path(DEFAULT_AUTH_DIR) / f"{ADMIN}.json"
    return Credentials.load(default) if default.exists() else None


def device_add(args: argparse.Namespace) -> int:
    """`hearth device add HOUSEHOLD DEVICE`: a credential limited to that device's subjects."""
    auth = AuthDir(args.auth_dir)
    try:
        creds, path = auth.add_device(args.household, args.device)
    except ValueError as err:
        print(f"hearth device add: {err}", file=sys.stderr)
        return 2
    auth.rewrite_config()
    reloaded = auth.reload_server()
    print(f"Credential for device {creds.device} of household {creds.household}: {path}")
    print("The running nats-server reloaded its users." if reloaded else
          "Start (or restart) `hearth up` to admit it.")
    print(f"Attach it:  hearth device sim --household {creds.household} "
          f"--device {creds.device} --creds {path}")
    return 0


def add_device_parser(dev_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    add = dev_sub.add_parser("add", help="create a NATS credential for one device")
    add.add_argument("household")
    add.add_argument("device")
    add.add_argument("--auth-dir", default=DEFAULT_AUTH_DIR)
    add.set_defaults(run=device_add)
