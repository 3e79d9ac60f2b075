"""Printer profiles: what a model of thermal receipt printer can do.

The table is documented in docs/printers.md; `kiosk printer profiles` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass


#: characters a slip in each language uses (the English catalog's punctuation included)
LANGUAGE_SAMPLES = {"zh_CN": "办事指南，【缺】（）：；。", "en": "Service guide: [missing] (1 copy); “a” · b…"}


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
    #: the model's profile in escpos-printer-db (shipped with python-escpos); where one is
    #: named, its media width and features must agree with ours (see escpos_capabilities)
    escpos_profile: str = "default"
    #: module size in dots of the QR code (native GS ( k size, or the image's module)
    qr_module_dots: int = 6
    #: longest byte sequence of one character the firmware prints (GBK: 2; GB18030: 4)
    max_bytes_per_char: int = 2
    #: whether the font holds characters beyond the Basic Multilingual Plane (𠮷 U+20BB7);
    #: GB18030 gives them four-byte codes but printer fonts do not carry them
    font_supplementary: bool = False
    #: lines fed after the last line before the cut (or before tearing off, without a cutter)
    feed_lines: int = 4
    #: the slowest paper speed of the model (mm/s; thermal printers: 50–250, slower for images
    #: on a weak power supply): how long the end of a job may take to come
    paper_speed_mm_s: float = 50.0

    def escpos_capabilities(self) -> dict[str, object]:
        """What escpos-printer-db says of the model: dots per line, QR and cutter support."""
        from escpos.capabilities import get_profile as escpos_get_profile

        data = escpos_get_profile(self.escpos_profile).profile_data
        features = data.get("features", {})
        return {
            "width_dots": data.get("media", {}).get("width", {}).get("pixels"),
            "native_qr": bool(features.get("qrCode")),
            "cutter": bool(features.get("paperFullCut") or features.get("paperPartCut")),
        }

    def prints_language(self, language: str) -> bool:
        """Whether slips in ``language`` print legibly: raster text uses our CJK font (Latin
        included); text sent as bytes needs the language's characters in the encoding (GBK and
        GB18030 hold both Chinese and ASCII English)."""
        if self.text_encoding is None:
            return True
        sample = LANGUAGE_SAMPLES.get(language)
        if sample is None:
            return False
        try:
            sample.encode(self.text_encoding)
        except (UnicodeEncodeError, LookupError):
            return False
        return True

    @property
    def answers_status(self) -> bool:
        return bool(self.realtime_status)

    @property
    def confirms_completion(self) -> bool:
        """Whether the end of a job can be confirmed: GS r 1 is answered only after the data
        before it has been processed; otherwise a real-time status read after the job."""
        return self.paper_sensor_status or self.answers_status

    @property
    def width_mm(self) -> int:
        return 80 if self.width_dots >= 512 else 58

    def summary(self) -> dict[str, object]:
        """One row of the profile table (docs/printers.md, `kiosk printer profiles`)."""
        return {
            "name": self.name,
            "paper_mm": self.width_mm,
            "width_dots": self.width_dots,
            "columns": self.columns,
            "text": (self.text_encoding.upper() + (" (FS &)" if self.chinese_mode_command else ""))
            if self.text_encoding
            else "image",
            "qr": self.qr,
            "cutter": self.cutter,
            "status": ("DLE EOT " + ",".join(str(n) for n in sorted(self.realtime_status)))
            if self.realtime_status
            else "none",
            "gs_r": self.paper_sensor_status,
            "description": self.description,
        }


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
            max_bytes_per_char=4,
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
            qr_module_dots=5,
            max_bytes_per_char=4,
            feed_lines=5,
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
            max_bytes_per_char=4,
        ),
        PrinterProfile(
            name="basic-58",
            description="58 mm budget printer, GBK, answers no status at all (write-only), QR as image",
            width_dots=384,
            columns=32,
            text_encoding="gbk",
            chinese_mode_command=True,
            qr="image",
            cutter=False,
            realtime_status=frozenset(),
            paper_sensor_status=False,
            qr_module_dots=5,
            feed_lines=5,
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
