.PHONY: demo test bench lint fmt

demo:  ## install, seed the demo schools and serve on 127.0.0.1:8000
	scripts/demo

test:  ## the whole suite on PostgreSQL and Redis
	scripts/test

bench:  ## benchmarks on PostgreSQL: one line per figure, "name value unit"
	scripts/bench

lint:
	.venv/bin/ruff check .

fmt:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
