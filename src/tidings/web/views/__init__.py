"""Web pages, one module per page family; each view parses input, calls one function and renders."""
