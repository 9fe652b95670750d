"""Running `archive_verify` in a test: (exit status, stdout, stderr)."""

from django.core.management import call_command


def run_verify(capsys, *args):
    try:
        call_command("archive_verify", *args)
        code = 0
    except SystemExit as stop:
        code = stop.code
    out = capsys.readouterr()
    return code, out.out, out.err
