"""The USB transport through pyusb with a fake backend (usb.backend.IBackend): a printer with a
bulk OUT and a bulk IN endpoint that records writes, answers DLE EOT / GS r, and can stall
(transfers time out) or be unplugged and plugged back."""

from __future__ import annotations

import errno
import time
from collections import deque
from types import SimpleNamespace

import pytest
import usb.backend
import usb.core

from drivers.printer.device import ReceiptPrinter
from drivers.printer.document import Document
from drivers.printer.errors import DisconnectedError, PrinterTimeoutError, PrinterUriError
from drivers.printer.escpos import PAPER_SENSOR_STATUS, dle_eot
from drivers.printer.status import StatusKind
from drivers.printer.transports import UsbTransport, create_transport

VID, PID = 0x0416, 0x5011
OUT_EP, IN_EP = 0x03, 0x81


def _descriptor(**fields):
    return SimpleNamespace(bLength=0, bDescriptorType=0, extra_descriptors=b"", **fields)


class FakePrinterBackend(usb.backend.IBackend):
    """One USB printer (class 7) with one configuration and one interface."""

    def __init__(self, realtime=None):
        super().__init__()
        self.plugged = True
        self.stall = False
        self.realtime = realtime or {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
        self.paper_sensor = 0x00
        self.configuration = 0  # unconfigured until set_configuration
        self.kernel_driver = True  # usblp holds the interface at first
        self.claimed: set[int] = set()
        self.resets = 0
        self.received = bytearray()
        self.writes: list[bytes] = []
        self.timeouts_seen: list[int] = []
        self.replies: deque[int] = deque()
        self.generation = 0  # a replug makes a new device

    # enumeration and descriptors --------------------------------------------------------------

    def enumerate_devices(self):
        if self.plugged:
            yield ("printer", self.generation)

    def get_device_descriptor(self, dev):
        return _descriptor(
            bcdUSB=0x0200, bDeviceClass=0, bDeviceSubClass=0, bDeviceProtocol=0, bMaxPacketSize0=64,
            idVendor=VID, idProduct=PID, bcdDevice=0x0100, iManufacturer=0, iProduct=0, iSerialNumber=0,
            bNumConfigurations=1, address=5, bus=1, port_number=2, port_numbers=(2,), speed=usb.util.SPEED_FULL,
        )

    def get_configuration_descriptor(self, dev, config):
        return _descriptor(
            wTotalLength=32, bNumInterfaces=1, bConfigurationValue=1, iConfiguration=0, bmAttributes=0xC0, bMaxPower=50
        )

    def get_interface_descriptor(self, dev, intf, alt, config):
        if intf != 0 or alt != 0:
            raise IndexError("no such interface")
        return _descriptor(
            bInterfaceNumber=0, bAlternateSetting=0, bNumEndpoints=2, bInterfaceClass=7,
            bInterfaceSubClass=1, bInterfaceProtocol=2, iInterface=0,
        )

    def get_endpoint_descriptor(self, dev, ep, intf, alt, config):
        address = (OUT_EP, IN_EP)[ep]
        return _descriptor(bEndpointAddress=address, bmAttributes=usb.util.ENDPOINT_TYPE_BULK, wMaxPacketSize=64,
                           bInterval=0, bRefresh=0, bSynchAddress=0)

    # handles and configuration ---------------------------------------------------------------

    def _check(self, handle):
        if not self.plugged or handle[1] != self.generation:
            raise usb.core.USBError("No such device (it may have been disconnected)", errno=errno.ENODEV)

    def open_device(self, dev):
        if not self.plugged or dev[1] != self.generation:
            raise usb.core.USBError("No such device", errno=errno.ENODEV)
        return dev

    def close_device(self, handle):
        pass

    def set_configuration(self, handle, value):
        self._check(handle)
        self.configuration = value

    def get_configuration(self, handle):
        self._check(handle)
        return self.configuration

    def claim_interface(self, handle, intf):
        self._check(handle)
        if self.kernel_driver:
            raise usb.core.USBError("Resource busy", errno=errno.EBUSY)
        self.claimed.add(intf)

    def release_interface(self, handle, intf):
        self.claimed.discard(intf)

    def is_kernel_driver_active(self, handle, intf):
        self._check(handle)
        return self.kernel_driver

    def detach_kernel_driver(self, handle, intf):
        self.kernel_driver = False

    def attach_kernel_driver(self, handle, intf):
        self.kernel_driver = True

    def reset_device(self, handle):
        self.resets += 1

    # transfers --------------------------------------------------------------------------------

    def bulk_write(self, handle, ep, intf, data, timeout):
        self._check(handle)
        self.timeouts_seen.append(timeout)
        assert ep == OUT_EP and intf in self.claimed
        data = bytes(data)
        if self.stall and data not in {dle_eot(n) for n in (1, 2, 3, 4)}:
            time.sleep(timeout / 1000)
            raise usb.core.USBTimeoutError("Operation timed out", error_code=-7, errno=errno.ETIMEDOUT)
        self.writes.append(data)
        self.received += data
        for n in (1, 2, 3, 4):
            if data == dle_eot(n) and self.realtime.get(n) is not None:
                self.replies.append(self.realtime[n])
        if data == PAPER_SENSOR_STATUS:
            self.replies.append(self.paper_sensor)
        return len(data)

    def bulk_read(self, handle, ep, intf, buff, timeout):
        self._check(handle)
        self.timeouts_seen.append(timeout)
        assert ep == IN_EP
        if not self.replies:
            time.sleep(min(timeout, 50) / 1000)
            raise usb.core.USBTimeoutError("Operation timed out", error_code=-7, errno=errno.ETIMEDOUT)
        count = 0
        while self.replies and count < len(buff):
            buff[count] = self.replies.popleft()
            count += 1
        return count

    # the user -------------------------------------------------------------------------------

    def unplug(self):
        self.plugged = False

    def plug(self):
        self.plugged = True
        self.generation += 1
        self.configuration = 0
        self.kernel_driver = True
        self.claimed.clear()
        self.replies.clear()


@pytest.fixture
def backend():
    return FakePrinterBackend()


def usb_printer(backend, profile="generic-80", uri=f"usb://{VID:04x}:{PID:04x}"):
    return ReceiptPrinter(uri, profile, backend=backend, timeout=0.3, status_timeout=0.2)


def slip():
    return Document("usb").text("一次性告知单：请到A01号窗口办理。").cut()


def test_usb_uri_parsing():
    t = create_transport("usb://0416:5011?interface=0&in_ep=0x81&out_ep=0x03")
    assert isinstance(t, UsbTransport)
    assert (t.vendor_id, t.product_id, t.interface, t.in_ep_address, t.out_ep_address) == (VID, PID, 0, 0x81, 0x03)
    assert create_transport("usb://04b8:0e15").product_id == 0x0E15
    with pytest.raises(PrinterUriError):
        create_transport("usb://printer")
    with pytest.raises(PrinterUriError):
        create_transport("usb://0416:5011?in_ep=abc")


def test_usb_prints_and_reads_status(backend):
    printer = usb_printer(backend)
    status = printer.read_status()
    assert status.ok
    result = printer.print(slip())
    assert result.confirmed
    assert "一次性告知单".encode("gb18030") in bytes(backend.received)
    # Opened the python-escpos way minus its faults: the kernel driver detached, the device
    # configured because it was not, the interface claimed -- and never reset.
    assert backend.configuration == 1 and backend.claimed == {0} and backend.resets == 0
    # Every transfer had a timeout; none was 0 (libusb: wait forever).
    assert backend.timeouts_seen and all(0 < t <= 5000 for t in backend.timeouts_seen)
    printer.close()
    assert backend.claimed == set() and backend.kernel_driver  # released, usblp given back


def test_usb_endpoints_from_the_uri_are_used(backend):
    printer = usb_printer(backend, uri=f"usb://{VID:04x}:{PID:04x}?interface=0&in_ep=0x81&out_ep=0x03")
    assert printer.read_status().ok


def test_usb_faults_are_typed(backend):
    backend.realtime[2] = 0x32  # paper end
    printer = usb_printer(backend)
    status = printer.read_status()
    assert status.primary is StatusKind.PAPER_OUT


def test_usb_silence_is_a_fault_not_fine(backend):
    backend.realtime = {n: None for n in (1, 2, 3, 4)}
    printer = usb_printer(backend)
    started = time.monotonic()
    status = printer.read_status()
    assert status.primary is StatusKind.NO_RESPONSE
    assert time.monotonic() - started < 1.5


def test_usb_stalled_write_times_out(backend):
    printer = usb_printer(backend)
    backend.stall = True
    started = time.monotonic()
    with pytest.raises(PrinterTimeoutError):
        printer.print(slip())
    assert time.monotonic() - started < 2


def test_usb_unplugged_and_plugged_back_without_restart(backend):
    printer = usb_printer(backend)
    assert printer.read_status().ok
    backend.unplug()
    status = printer.read_status()
    assert status.primary is StatusKind.DISCONNECTED
    with pytest.raises(DisconnectedError):
        printer.print(slip())
    backend.plug()  # a new device on the bus: found again on the next status read
    assert printer.read_status().ok
    printer.print(slip())
    assert bytes(backend.received).count("一次性告知单".encode("gb18030")) == 1


def test_usb_not_found_is_disconnected():
    backend = FakePrinterBackend()
    backend.unplug()
    transport = UsbTransport(VID, PID, backend=backend)
    with pytest.raises(DisconnectedError, match="not found"):
        transport.open(0.5)
