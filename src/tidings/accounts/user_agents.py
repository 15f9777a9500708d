"""A short name for a browser from its User-Agent header ("Firefox on Linux"); pure, no parsing library."""

from __future__ import annotations

import re

# First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chromium", re.compile(r"\bChromium/")),
    ("Chrome", re.compile(r"\bChrome/|\bCriOS/|HeadlessChrome/")),
    ("Safari", re.compile(r"\bSafari/")),
)
SYSTEMS = (
    ("Android", re.compile(r"\bAndroid\b")),
    ("iOS", re.compile(r"\biPhone\b|\biPad\b|\biPod\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Linux", re.compile(r"\bLinux\b|\bX11\b")),
)


def describe_user_agent(header: str) -> str:
    """ "Firefox on Linux", "Chrome", "Unknown browser", or the first 40 characters of an unknown client's header."""
    header = header.strip()
    if not header:
        return "Unknown browser"
    browser = next((name for name, pattern in BROWSERS if pattern.search(header)), None)
    system = next((name for name, pattern in SYSTEMS if pattern.search(header)), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or f"A browser on {system}"
    return header[:40]
