"""Hotline pages: the operator's console, the dispatcher's lists, the unit's work, the citizen's
snap-and-report and tickets, the enterprise direct line, the leader's reading. Thin: parse the
input, call one selector or service, render."""
