"""Matrix rows of a college's specialities: read with the classes, added by their managers."""

from tests.matrix import Row, allow

from .matrix_rows import CLASS_READERS

ROWS = [
    Row("schedule:specialities", "list", expect=CLASS_READERS),
    # An empty form: 400 once the permission let the manager in; a reader who may not add: 403.
    Row(
        "schedule:specialities",
        "list",
        expect=allow({"admin": 400, "deputy": 400}),
        method="post",
    ),
]
