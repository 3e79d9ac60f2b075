"""Printer profiles: what a model of thermal receipt printer can do.

The table is documented in docs/printers.md; `kiosk printer profiles` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    description: str
    #: printable width in dots at 203 dpi (80 mm paper: 576, 58 mm: 384)
    width_dots: int
    #: characters per line with the standard 12×24 font (a Chinese character takes two)
    columns: int
    #: how text is sent: "gb18030" / "gbk" as bytes in Chinese mode, or None: no Chinese font,
    #: text is rendered to a raster image with our CJK font
    text_encoding: str | None
    #: send FS & (Chinese mode on) before Chinese text; FS . turns it off
    chinese_mode_command: bool
    #: "native" (GS ( k) or "image" (raster)
    qr: str
    cutter: bool
    #: which DLE EOT n requests the firmware answers (1 printer, 2 offline cause, 3 error cause, 4 paper)
    realtime_status: frozenset[int]
    #: whether GS r 1 (paper sensor status, queued behind print data) is answered
    paper_sensor_status: bool
    #: the python-escpos / escpos-printer-db profile used for everything else
    escpos_profile: str = "default"

    @property
    def answers_status(self) -> bool:
        return bool(self.realtime_status)


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        PrinterProfile(
            name="generic-80",
            description="80 mm, Chinese firmware (GB18030), native QR, cutter",
            width_dots=576,
            columns=48,
            text_encoding="gb18030",
            chinese_mode_command=True,
            qr="native",
            cutter=True,
            realtime_status=frozenset({1, 2, 3, 4}),
            paper_sensor_status=True,
        ),
        PrinterProfile(
            name="generic-58",
            description="58 mm, Chinese firmware (GB18030), native QR, tear bar",
            width_dots=384,
            columns=32,
            text_encoding="gb18030",
            chinese_mode_command=True,
            qr="native",
            cutter=False,
            realtime_status=frozenset({1, 2, 4}),
            paper_sensor_status=False,
        ),
        PrinterProfile(
            name="gbk-80",
            description="80 mm, older Chinese firmware that knows GBK only; QR as image",
            width_dots=576,
            columns=48,
            text_encoding="gbk",
            chinese_mode_command=True,
            qr="image",
            cutter=True,
            realtime_status=frozenset({1, 2, 4}),
            paper_sensor_status=False,
        ),
        PrinterProfile(
            name="raster-80",
            description="80 mm without a Chinese font: all text printed as an image",
            width_dots=576,
            columns=48,
            text_encoding=None,
            chinese_mode_command=False,
            qr="image",
            cutter=True,
            realtime_status=frozenset({1, 2, 3, 4}),
            paper_sensor_status=False,
        ),
        PrinterProfile(
            name="tm-t20ii",
            description="Epson TM-T20II-like (Simplified Chinese model): GB18030, native QR, cutter, full status",
            width_dots=576,
            columns=48,
            text_encoding="gb18030",
            chinese_mode_command=True,
            qr="native",
            cutter=True,
            realtime_status=frozenset({1, 2, 3, 4}),
            paper_sensor_status=True,
            escpos_profile="TM-T20II",
        ),
    )
}


class UnknownProfileError(ValueError):
    pass


def get_profile(name: str) -> PrinterProfile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise UnknownProfileError(f"未知的打印机型号配置 / unknown printer profile {name!r} (known: {known})") from None
