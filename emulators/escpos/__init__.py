"""An ESC/POS thermal receipt printer emulated on TCP (emulator.py; docs/printers.md)."""

from emulators.escpos.emulator import (
    EmulatedPrinter,
    PrinterState,
    ReceivedJob,
    add_emulate_arguments,
    apply_console_command,
    decode_stream,
    run_emulator_from_args,
)

__all__ = [
    "EmulatedPrinter",
    "PrinterState",
    "ReceivedJob",
    "add_emulate_arguments",
    "apply_console_command",
    "decode_stream",
    "run_emulator_from_args",
]
