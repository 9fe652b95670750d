"""Benchmarks: each page measured against its floor, in the same run (see DESIGN.md).

`python -m bench` (via `make bench` / scripts/bench) migrates its own database, generates
data, and prints one line per figure, «name value unit». Figures come from the functions
listed in `bench.figures.FIGURES`; a new page adds its function there.
"""
