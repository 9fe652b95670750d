"""A browser's User-Agent string read for people: «Chrome 120, Windows 10/11» for a log.

Only what a person recognises — the browser and the system with its major version; the raw
string stays in the record (and in the cell's title) for whoever needs it.
"""

import re

# Checked in order: browsers built on Chrome name Chrome too, Chrome names Safari.
BROWSERS = [
    ("Яндекс Браузер", r"YaBrowser/(\d+)"),
    ("Edge", r"Edg(?:e|A|iOS)?/(\d+)"),
    ("Opera", r"(?:OPR|Opera)/(\d+)"),
    ("Samsung Internet", r"SamsungBrowser/(\d+)"),
    ("Firefox", r"(?:Firefox|FxiOS)/(\d+)"),
    ("Chrome", r"(?:Chrome|CriOS)/(\d+)"),
    ("Safari", r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/"),
]
WINDOWS = {"10.0": "10/11", "6.3": "8.1", "6.2": "8", "6.1": "7"}


def _system(agent: str) -> str:
    if match := re.search(r"Windows NT (\d+\.\d+)", agent):
        return f"Windows {WINDOWS.get(match.group(1), match.group(1))}"
    if match := re.search(r"Android (\d+)", agent):
        return f"Android {match.group(1)}"
    if match := re.search(r"(?:iPhone|CPU) OS (\d+)", agent):
        return f"iOS {match.group(1)}" if "iPad" not in agent else f"iPadOS {match.group(1)}"
    if "Mac OS X" in agent:
        return "macOS"
    if "CrOS" in agent:
        return "ChromeOS"
    if "Linux" in agent:
        return "Linux"
    return ""


def describe(agent: str, unknown: str = "—") -> str:
    """«Firefox 121, Windows 10/11»; `unknown` when nothing is recognised."""
    agent = agent or ""
    browser = ""
    for name, pattern in BROWSERS:
        if match := re.search(pattern, agent):
            browser = f"{name} {match.group(1)}"
            break
    parts = [part for part in (browser, _system(agent)) if part]
    return ", ".join(parts) if parts else unknown
