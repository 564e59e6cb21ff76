"""NATS credentials and permissions: who may publish and subscribe to what.

``hearth up`` runs nats-server with an ``authorization`` block generated here. There are
three kinds of user:

- ``admin``: everything (the CLI tools: replay, watch, bench);
- ``agents``: the service subjects the agents need (``hh.>``, reply inboxes, JetStream);
- one user per device (``hearth device add HOUSEHOLD DEVICE``): it may publish only its own
  device subjects (``hh.<hh>.device.<device>.>``) and subscribe only to what is addressed to
  it (the same subjects, where ``device.say``/``device.speaker`` for it travel, and the
  household's ``speech.stop``). No ``_INBOX``: a device never makes requests, so it cannot
  snoop on replies either.

Secrets live under the auth directory (``.hearth/auth`` by default, mode 0600 files), never in
the repository. Passwords are random 32-byte tokens; the server config holds them too, so the
directory must stay private (it is created 0700).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import ssl
from dataclasses import asdict, dataclass
from pathlib import Path

from bus import subjects
from bus.messages import SpeechStop
from bus.messages.base import check_token

ADMIN = "admin"
AGENTS = "agents"
SERVER_CONFIG = "nats-server.conf"
PID_FILE = "nats-server.pid"
SAVED = "<saved>"  # AuthDir(tls_ca=SAVED): keep the TLS setting of the last server config

# What every agent may touch: household subjects, reply inboxes (requests and responses),
# and JetStream's API and KV subjects for state. Not $SYS, not other accounts.
AGENT_PUBLISH = ("hh.>", "_INBOX.>", "$JS.API.>", "$KV.>", "$JS.ACK.>")
AGENT_SUBSCRIBE = ("hh.>", "_INBOX.>")


@dataclass(frozen=True)
class Credentials:
    """What a client needs to connect: user, password and, with TLS, the CA to trust."""

    user: str
    password: str
    tls_ca: str | None = None
    household: str | None = None
    device: str | None = None

    def connect_options(self) -> dict[str, object]:
        options: dict[str, object] = {"user": self.user, "password": self.password}
        if self.tls_ca:
            options["tls"] = ssl.create_default_context(cafile=self.tls_ca)
        return options

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({k: v for k, v in asdict(self).items() if v is not None}, out, indent=2)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Credentials:
        try:
            raw = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read credentials {path}: {exc}") from None
        if not isinstance(raw, dict) or not {"user", "password"} <= raw.keys():
            raise ValueError(f"{path} is not a Hearth credential file (needs user, password)")
        def opt(key: str) -> str | None:
            value = raw.get(key)
            return str(value) if value is not None else None

        return cls(str(raw["user"]), str(raw["password"]), opt("tls_ca"), opt("household"),
                   opt("device"))


def device_user(household: str, device: str) -> str:
    return f"device.{check_token(household, 'household')}.{check_token(device, 'device')}"


def device_permissions(household: str, device: str) -> tuple[list[str], list[str]]:
    """(publish, subscribe) allow lists of one device."""
    own = f"{subjects.PREFIX}.{household}.device.{device}.>"
    return [own], [own, subjects.pattern(SpeechStop, household=household)]


class AuthDir:
    """The credentials of one Hearth installation, and the server config made from them."""

    def __init__(self, path: str | Path, tls_ca: str | None = SAVED) -> None:
        """``tls_ca``: what clients trust (None: no TLS); by default as `hearth up` last said."""
        self.path = Path(path)
        self.tls_ca = self._last().get("tls_ca") if tls_ca == SAVED else tls_ca

    def _last(self) -> dict[str, str | None]:
        try:
            last = json.loads((self.path / "server.json").read_text())
        except (OSError, json.JSONDecodeError):
            return {}
        return last if isinstance(last, dict) else {}

    def _cred_path(self, user: str) -> Path:
        if user.startswith("device."):
            return self.path / "devices" / f"{user.removeprefix('device.')}.json"
        return self.path / f"{user}.json"

    def _ensure(self, user: str, **extra: str) -> Credentials:
        path = self._cred_path(user)
        if path.exists():
            creds = Credentials.load(path)
            if creds.tls_ca != self.tls_ca:  # TLS switched on or off since: keep the password
                creds = Credentials(creds.user, creds.password, self.tls_ca, creds.household,
                                    creds.device)
                creds.save(path)
            return creds
        creds = Credentials(user, secrets.token_urlsafe(32), self.tls_ca, **extra)
        creds.save(path)
        return creds

    def admin(self) -> Credentials:
        return self._ensure(ADMIN)

    def agents(self) -> Credentials:
        return self._ensure(AGENTS)

    def add_device(self, household: str, device: str) -> tuple[Credentials, Path]:
        user = device_user(household, device)
        return self._ensure(user, household=household, device=device), self._cred_path(user)

    def devices(self) -> list[Credentials]:
        folder = self.path / "devices"
        return [Credentials.load(p) for p in sorted(folder.glob("*.json"))] if folder.exists() \
            else []

    def server_config(self, tls_cert: str | None = None, tls_key: str | None = None) -> Path:
        """Write the nats-server config (users, permissions, TLS, pid file); return its path."""
        users = [_user_block(self.admin(), None, None),
                 _user_block(self.agents(), list(AGENT_PUBLISH), list(AGENT_SUBSCRIBE))]
        for dev in self.devices():
            assert dev.household and dev.device
            pub, sub = device_permissions(dev.household, dev.device)
            users.append(_user_block(dev, pub, sub))
        lines = [f"pid_file: {json.dumps(str((self.path / PID_FILE).resolve()))}",
                 "authorization {", "  users = [", *users, "  ]", "}"]
        if tls_cert and tls_key:
            lines += ["tls {", f"  cert_file: {json.dumps(str(Path(tls_cert).resolve()))}",
                      f"  key_file: {json.dumps(str(Path(tls_key).resolve()))}", "}"]
        path = self.path / SERVER_CONFIG
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Remembered so `hearth device add` can rewrite the config with the same TLS.
        (self.path / "server.json").write_text(json.dumps(
            {"tls_cert": tls_cert, "tls_key": tls_key, "tls_ca": self.tls_ca}))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write("\n".join(lines) + "\n")
        return path

    def rewrite_config(self) -> Path:
        """The server config again (after a new device), with the TLS of the last write."""
        last = self._last()
        return self.server_config(last.get("tls_cert"), last.get("tls_key"))

    def reload_server(self) -> bool:
        """Ask a running nats-server (from our pid file) to re-read its config: new devices."""
        try:
            pid = int((self.path / PID_FILE).read_text().strip())
            os.kill(pid, signal.SIGHUP)
        except (OSError, ValueError):
            return False
        return True


def _user_block(creds: Credentials, publish: list[str] | None,
                subscribe: list[str] | None) -> str:
    # json.dumps quotes safely for the nats config syntax (and keeps "$JS..." literal).
    fields = [f"user: {json.dumps(creds.user)}", f"password: {json.dumps(creds.password)}"]
    if publish is not None and subscribe is not None:
        fields.append(f"permissions: {{publish: {{allow: {json.dumps(publish)}}}, "
                      f"subscribe: {{allow: {json.dumps(subscribe)}}}}}")
    return "    {" + ", ".join(fields) + "}"
