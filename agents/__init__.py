"""One module per agent; each agent is a plain async class that only talks through the bus."""
