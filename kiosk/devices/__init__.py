"""Device health: the monitor that polls every device (the printer now; a scanner or card
reader later) and the app itself, the fault log with AB-post routing and escalation, and the
service that puts them together for a terminal."""

from kiosk.devices.faults import FaultError, FaultLog, FaultView, Handover, Observation
from kiosk.devices.kinds import DEVICE_LABELS, KINDS, device_label, kind_info
from kiosk.devices.monitor import (
    DatabaseProbe,
    DeviceEvent,
    DeviceMonitor,
    DeviceReading,
    DiskProbe,
    MonitorRunner,
    PrinterProbe,
)
from kiosk.devices.service import CheckReport, DeviceService, DeviceView, TerminalInfo

__all__ = [
    "DEVICE_LABELS",
    "KINDS",
    "CheckReport",
    "DatabaseProbe",
    "DeviceEvent",
    "DeviceMonitor",
    "DeviceReading",
    "DeviceService",
    "DeviceView",
    "DiskProbe",
    "FaultError",
    "FaultLog",
    "FaultView",
    "Handover",
    "MonitorRunner",
    "Observation",
    "PrinterProbe",
    "TerminalInfo",
    "device_label",
    "kind_info",
]
