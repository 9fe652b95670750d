"""E-mail backends for the digest tests.

FlakyBackend (in-process): refuses addresses containing «refused» (a permanent error), fails
once for addresses containing «flaky» (the mail server down), and stops the worker for
addresses containing «crash» (like a killed process: a BaseException nothing catches).

SlowFileBackend (the real worker): writes each message to a file in $DIGEST_MAIL_DIR after
$DIGEST_MAIL_DELAY seconds, so a test can kill the worker in the middle of a run and count
the e-mails every parent got. Before waiting it leaves a mark in $DIGEST_SENDING_DIR (the
address being sent to: the test sees which digest is in flight), and it fails once for an
address containing «flaky» (the mail server down: the task is retried), remembered there too
so that the failure happens once across worker processes.
"""

import os
import smtplib
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

FLAKY_SEEN: set[str] = set()


class Crash(BaseException):
    pass


class FlakyBackend(LocmemBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if "refused" in address:
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"No such user")})
                if "crash" in address:
                    raise Crash(address)
                if "flaky" in address and address not in FLAKY_SEEN:
                    FLAKY_SEEN.add(address)
                    raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


class SlowFileBackend(FileBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["DIGEST_MAIL_DIR"]
        super().__init__(*args, **kwargs)

    def send_messages(self, messages):
        sending = os.environ.get("DIGEST_SENDING_DIR")
        if sending:
            for message in messages:
                for address in message.to:
                    failed = os.path.join(sending, f"failed-{address}")
                    if "flaky" in address and not os.path.exists(failed):
                        open(failed, "w").close()
                        raise ConnectionRefusedError("mail server down")
                    open(os.path.join(sending, f"{time.time_ns()}-{address}"), "w").close()
        time.sleep(float(os.environ.get("DIGEST_MAIL_DELAY", "0")))
        return super().send_messages(messages)

    def _get_filename(self):
        # One file per message, named so it sorts and never collides between workers.
        if self._fname is None:
            self._fname = os.path.join(
                self.file_path, f"{time.time_ns()}-{os.getpid()}-{id(self)}.eml"
            )
        return self._fname
