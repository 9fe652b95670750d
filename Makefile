.PHONY: demo test bench loadtest loadtest-faults lint fmt

demo:  ## install, seed the demo schools and serve on 127.0.0.1:8000
	scripts/demo

test:  ## the whole suite on PostgreSQL and Redis
	scripts/test

bench:  ## benchmarks on PostgreSQL: one line per figure, "name value unit"
	scripts/bench

loadtest:  ## gunicorn (production settings) under a Monday morning's mix: one line per figure
	scripts/loadtest

loadtest-faults:  ## the same mix while Redis stops and returns and PostgreSQL restarts (root)
	scripts/loadtest --faults

lint:
	.venv/bin/ruff check .

fmt:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
