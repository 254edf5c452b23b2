"""Helpers shared by the HTTP benchmarks: the granian server as `make serve` runs it, the
machine's description, percentiles. No Django imports here: a scenario sets Django up itself."""
