"""The load test (`make loadtest`) and the fault runs under load (`make loadtest-faults`).

A generated school (bench/data.py and bench/diary.py) is served by gunicorn with the
production settings and the worker count the README recommends for the cores; locust
(headless, bounded in users and seconds) sends a Monday morning's mix to 127.0.0.1 only;
every request is written to a log by the locustfile, from which figures.py prints one line
per figure, «name value unit».
"""
