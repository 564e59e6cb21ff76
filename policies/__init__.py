"""Pure decision logic: no I/O, no bus, no Ray. Only the message models may be imported."""
