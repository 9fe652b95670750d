"""python -m ops.probe URL [CHECK…]: exit 0 when the health endpoint at URL answers 200, or,
with CHECK names, when /readyz reports each of them "ok" (or "off"). For Docker healthchecks:
standard library only, no Django start-up, a 5-second timeout."""

import json
import sys
import urllib.error
import urllib.request


def probe(url: str, checks: list[str]) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:  # 503: read which checks failed
        status, body = error.code, error.read()
    except OSError as error:
        print(f"{url}: {error}", file=sys.stderr)
        return 1
    if not checks:
        return 0 if status == 200 else 1
    try:
        states = json.loads(body)["checks"]
    except (ValueError, KeyError):
        return 1
    failed = [name for name in checks if states.get(name) not in ("ok", "off")]
    if failed:
        print(f"{url}: {', '.join(failed)} not ok", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(probe(sys.argv[1], sys.argv[2:]))
