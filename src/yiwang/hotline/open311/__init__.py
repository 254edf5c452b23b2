"""The Open311 GeoReport v2 server at /open311/v2/ (DOMAIN §8, docs/open311.md)."""
