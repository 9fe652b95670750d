"""Models of reports/, one module per subject."""

from .digests import DigestDelivery, DigestSettings, FinalMarkNotice  # noqa: F401
