"""Pure parsers: bytes or text in, frozen values out (no Django, no network)."""
