from tests.integration.conftest import bus, nats_server, stack

__all__ = ["bus", "nats_server", "stack"]
