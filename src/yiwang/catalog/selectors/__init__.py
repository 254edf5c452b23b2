"""Catalogue reads, one module per audience: `management` (catalogue managers, the admin) and
`public` (citizens' pages and the API). Import from the module itself."""
