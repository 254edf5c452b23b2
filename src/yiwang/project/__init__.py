"""The composition root: settings, URL wiring, the one NinjaAPI, the command line."""
