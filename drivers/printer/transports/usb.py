"""usb://VID:PID: a USB printer through pyusb (libusb)."""

from __future__ import annotations

import errno
from typing import Any

from drivers.printer.errors import DisconnectedError, PrinterTimeoutError, PrinterUriError
from drivers.printer.transports.base import CHUNK, Transport
from drivers.printer.transports.uri import PrinterUri, _int_param


class UsbTransport(Transport):
    """A USB printer through pyusb (libusb), the way python-escpos's ``Usb`` reaches it, with
    its faults fixed: every transfer has a timeout (python-escpos writes with timeout 0, which
    libusb takes as "wait forever"), opening does not reset the device, the interface is
    claimed and released, the endpoints are found from the descriptors unless given, and a
    vanished device is reported as DisconnectedError so that the next operation finds it again.

    ``backend``: a pyusb backend (tests pass a fake one; None = pyusb's default, libusb1).
    """

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        *,
        interface: int = 0,
        in_ep: int | None = None,
        out_ep: int | None = None,
        serial_number: str | None = None,
        backend: Any = None,
        uri: str | None = None,
    ):
        super().__init__(uri or f"usb://{vendor_id:04x}:{product_id:04x}")
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.interface = interface
        self.in_ep_address = in_ep
        self.out_ep_address = out_ep
        self.serial_number = serial_number
        self.backend = backend
        self._device = None
        self._in_ep: int | None = None
        self._out_ep: int | None = None
        self._in_size = 64
        self._buffer = bytearray()
        self._detached = False

    @classmethod
    def from_uri(cls, parsed: PrinterUri, **options: Any) -> UsbTransport:
        ids = (parsed.host + parsed.path).strip("/")
        try:
            vid_text, pid_text = ids.split(":", 1)
            vid, pid = int(vid_text, 16), int(pid_text, 16)
        except ValueError:
            raise PrinterUriError(f"USB 地址应为 usb://VID:PID（十六进制）/ expected usb://VID:PID in hex, got {parsed.text!r}") from None
        p = parsed.params
        return cls(
            vid,
            pid,
            interface=_int_param(p, "interface", 0, parsed.text) or 0,
            in_ep=_int_param(p, "in_ep", None, parsed.text),
            out_ep=_int_param(p, "out_ep", None, parsed.text),
            serial_number=p.get("serial") or None,
            uri=parsed.text,
            **options,
        )

    @property
    def is_open(self) -> bool:
        return self._device is not None

    @property
    def can_read(self) -> bool:  # type: ignore[override]
        return self._device is None or self._in_ep is not None

    def open(self, timeout: float) -> None:
        import usb.core
        import usb.util

        self.close()
        where = f"{self.vendor_id:04x}:{self.product_id:04x}"
        kwargs: dict[str, Any] = {"idVendor": self.vendor_id, "idProduct": self.product_id}
        if self.backend is not None:
            kwargs["backend"] = self.backend
        if self.serial_number:
            wanted = self.serial_number
            kwargs["custom_match"] = lambda d: _usb_serial(d) == wanted
        try:
            device = usb.core.find(**kwargs)
        except usb.core.NoBackendError:
            raise DisconnectedError("no USB backend (install libusb-1.0)") from None
        except usb.core.USBError as exc:
            raise DisconnectedError(f"USB {where}: {exc}") from None
        if device is None:
            raise DisconnectedError(f"USB printer {where} not found (unplugged or switched off?)")
        try:
            try:
                if device.is_kernel_driver_active(self.interface):
                    device.detach_kernel_driver(self.interface)  # usblp holds it otherwise
                    self._detached = True
            except (NotImplementedError, usb.core.USBError):
                pass
            try:
                config = device.get_active_configuration()
            except usb.core.USBError:
                config = None
            if config is None:
                device.set_configuration()  # only when unconfigured; never reset
                config = device.get_active_configuration()
            intf = config[(self.interface, 0)]
            usb.util.claim_interface(device, self.interface)
            out_ep = self.out_ep_address
            in_ep = self.in_ep_address
            in_size = 64
            for ep in intf:
                is_in = usb.util.endpoint_direction(ep.bEndpointAddress) == usb.util.ENDPOINT_IN
                is_bulk = usb.util.endpoint_type(ep.bmAttributes) == usb.util.ENDPOINT_TYPE_BULK
                if not is_bulk:
                    continue
                if is_in and in_ep is None:
                    in_ep = ep.bEndpointAddress
                if not is_in and out_ep is None:
                    out_ep = ep.bEndpointAddress
                if is_in and ep.bEndpointAddress == in_ep:
                    in_size = ep.wMaxPacketSize or 64
            if out_ep is None:
                raise DisconnectedError(f"USB {where}: interface {self.interface} has no bulk OUT endpoint")
        except usb.core.USBError as exc:
            usb.util.dispose_resources(device)
            hint = " (no permission: install the udev rule, see docs/printers.md)" if exc.errno == errno.EACCES else ""
            raise DisconnectedError(f"USB {where}: {exc}{hint}") from None
        except (KeyError, IndexError):
            usb.util.dispose_resources(device)
            raise DisconnectedError(f"USB {where}: no interface {self.interface}") from None
        self._device = device
        self._out_ep, self._in_ep, self._in_size = out_ep, in_ep, in_size
        self._buffer.clear()

    def _dev(self):
        if self._device is None:
            raise DisconnectedError("not connected")
        return self._device

    def _lost(self, exc: Exception) -> DisconnectedError:
        self.close()
        return DisconnectedError(f"USB {self.vendor_id:04x}:{self.product_id:04x}: {exc}")

    def write(self, data: bytes, timeout: float) -> None:
        import usb.core

        device = self._dev()
        ms = max(1, int(timeout * 1000))  # never 0: libusb takes 0 as "no timeout"
        sent = 0
        while sent < len(data):
            try:
                sent += device.write(self._out_ep, data[sent : sent + CHUNK], timeout=ms)
            except usb.core.USBTimeoutError:
                raise PrinterTimeoutError(
                    f"USB printer took no data for {timeout:g} s ({sent} of {len(data)} bytes sent)"
                ) from None
            except usb.core.USBError as exc:
                raise self._lost(exc) from None

    def read(self, size: int, timeout: float) -> bytes:
        import usb.core

        if self._in_ep is None:
            return b""
        device = self._dev()
        if not self._buffer:
            ms = max(1, int(timeout * 1000))
            try:
                self._buffer += bytes(device.read(self._in_ep, max(size, self._in_size), timeout=ms))
            except usb.core.USBTimeoutError:
                return b""
            except usb.core.USBError as exc:
                raise self._lost(exc) from None
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def close(self) -> None:
        device, self._device = self._device, None
        if device is None:
            return
        import usb.util

        try:
            usb.util.release_interface(device, self.interface)
        except Exception:  # noqa: BLE001 - the device may be gone
            pass
        if self._detached:
            try:
                device.attach_kernel_driver(self.interface)
            except Exception:  # noqa: BLE001
                pass
            self._detached = False
        try:
            usb.util.dispose_resources(device)
        except Exception:  # noqa: BLE001
            pass


def _usb_serial(device) -> str | None:
    import usb.util

    try:
        return usb.util.get_string(device, device.iSerialNumber) if device.iSerialNumber else None
    except Exception:  # noqa: BLE001 - no permission to read strings
        return None
