"""Models of reports/, one module per subject."""

from .activity import ActivityReportDelivery  # noqa: F401
from .control import ControlCheck, ControlState, Shortfall  # noqa: F401
from .digests import DigestDelivery, DigestSettings, FinalMarkNotice  # noqa: F401
from .risk import ControlMail, RiskEntry  # noqa: F401
