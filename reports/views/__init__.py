"""Pages of reports/: digests and notices, printouts, and the reports of the school."""
