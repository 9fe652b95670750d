from tests.matrix import ACTORS, Row

EVERYONE = dict.fromkeys(ACTORS, 200)

# Health checks answer before any middleware: nobody is sent to sign in, nobody is refused.
# /readyz answers 503 here (no Celery worker or beat runs beside the matrix) — the same
# for every actor, signed in or not, which is what the matrix checks.
ROWS = [
    Row("healthz", "list", public=True, expect=EVERYONE),
    Row("readyz", "list", public=True, expect=dict.fromkeys(ACTORS, 503)),
]
