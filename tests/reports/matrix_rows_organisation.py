"""Matrix rows of an organisation's pages (`/o/<org_slug>/`): its own people only — the
deputy of the college reads its roll-ups; nobody else, not even the branches' own staff, and
another organisation's pages answer its deputy 404."""

from tests.matrix import ACTORS, Row

ONLY_ORG = {**dict.fromkeys(ACTORS, 404), "anonymous": 302, "org_deputy": 200}
NOBODY = {**dict.fromkeys(ACTORS, 404), "anonymous": 302}


def org(name):
    return lambda w: {"org_slug": getattr(w, name).slug}


ROWS = [
    Row(url, case, org(name), expect, public=True)
    for url in ("org:home", "org:attendance", "org:activity")
    for case, name, expect in (
        ("own", "organisation", ONLY_ORG),
        ("foreign", "other_organisation", NOBODY),
    )
]
