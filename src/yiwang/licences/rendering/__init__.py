"""How a licence looks outside the database: its face as labelled rows, the QR code of its
verify URL (SVG for pages, a module matrix for the PDF) and the A4 PDF the holder downloads.
No HTTP: views pass in absolute URLs."""
