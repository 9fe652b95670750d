"""The load test's figures from its request log (bench/load/figures.py)."""

from bench.load.figures import Request, measured


def rows(*spec) -> list[Request]:
    return [Request(at, kind, 10.0, True) for at, kind in spec]


def test_a_rate_counts_the_requests_made_once_every_user_had_signed_in():
    log = rows(
        (0.5, "setup_form"),
        (0.9, "trivial"),  # a user through already, while another still signs in
        (1.0, "setup"),
        (1.5, "trivial"),
        (2.0, "other"),
        (3.0, "trivial"),
    )
    found, seconds = measured(log, ["trivial"], nominal=10)
    assert [r.at for r in found] == [1.5, 3.0]
    assert seconds == 2.0  # from the last sign-in to the last request


def test_without_sign_ins_the_span_is_that_of_the_requests():
    found, seconds = measured(rows((1.0, "trivial"), (4.0, "trivial")), ["trivial"], 10)
    assert len(found) == 2 and seconds == 3.0


def test_too_few_requests_give_the_nominal_length():
    found, seconds = measured(rows((1.0, "setup"), (2.0, "trivial")), ["trivial"], 10)
    assert len(found) == 1 and seconds == 10.0
