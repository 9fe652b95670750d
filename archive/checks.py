"""At start-up (manage.py check, migrate, runserver, the deploy's `check --deploy`): a
signing certificate that is configured but cannot be opened is an error named in Russian,
not a failure of the first archive build."""

from django.core import checks

from .services import signing


@checks.register(checks.Tags.compatibility)
def signing_certificate_opens(app_configs=None, **kwargs):
    try:
        signing.signer()
    except signing.SigningError as error:
        return [checks.Error(str(error), id="archive.E001")]
    return []
