"""Skills: each one an agent served by request/reply on ``hh.<household>.skill.<name>.call``."""
