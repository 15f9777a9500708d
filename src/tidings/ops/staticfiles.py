"""Static files with content-hashed names once collected, plain names before.

After `collectstatic` (run by `tidings serve`, `make run-scale` and the deploy steps) every URL carries the
file's hash (tidings.ee3cd54550a2.css) and whitenoise serves it with a ten-year, immutable Cache-Control. A
process started without collecting first (`tidings runserver`, a benchmark rendering pages) gets the plain
name, which whitenoise serves from the apps' folders (WHITENOISE_USE_FINDERS), instead of an error page.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not collected (no manifest entry, no file under STATIC_ROOT to hash)
            return name
