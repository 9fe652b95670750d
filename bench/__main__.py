"""python -m bench [--runs N] [--pupils N] [--lessons N] [--only NAME]: prints «name value unit»
lines."""

import argparse
import os
import sys
import warnings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=60, help="timed requests per figure")
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--lessons", type=int, default=60)
    parser.add_argument(
        "--only",
        default="",
        help="only the figures whose function's name holds one of these: control,archive",
    )
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test.utils import override_settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        print("Бенчмарк запускается на PostgreSQL (scripts/bench).", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    # The benchmark's own database: emptied and generated anew on every run.
    call_command("flush", verbosity=0, interactive=False)
    cache.clear()
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic
    from .figures import FIGURES

    with override_settings(
        ROOT_URLCONF="bench.urls",
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        wanted = {name for name in options.only.split(",") if name}
        for figure in FIGURES:
            if wanted and not any(name in figure.__name__ for name in wanted):
                continue
            for name, value, unit in figure(options):
                print(f"{name} {value} {unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
