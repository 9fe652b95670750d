"""Settings of the servers a fault test starts (gunicorn, Celery): the project's, with the
fast password hasher the tests' users are made with."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files from the apps' folders, without collectstatic (the browser test loads journal.js).
WHITENOISE_USE_FINDERS = True
