"""Imports every feature's models so that Base.metadata knows all tables (for Alembic)."""

from kiosk.catalog import models as _catalog_models  # noqa: F401
from kiosk.progress import models as _progress_models  # noqa: F401
from kiosk.devices import models as _devices_models  # noqa: F401
from kiosk.staff import models as _staff_models  # noqa: F401
from kiosk.assistance import models as _helpers_models  # noqa: F401
from kiosk.feedback import models as _feedback_models  # noqa: F401
from kiosk.fleet import models as _fleet_models  # noqa: F401
from kiosk.db.base import Base

metadata = Base.metadata
