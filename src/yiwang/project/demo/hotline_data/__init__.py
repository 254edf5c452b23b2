"""Data of the demo 12345 hotline: the category tree and its texts, the knowledge base, and the
bulk generator of a year of tickets."""
