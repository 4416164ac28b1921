"""Floor 7 — `spec add` as a use case: the change spec that adds a bug's roots, from their certificates."""
