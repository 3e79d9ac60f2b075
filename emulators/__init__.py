"""Device emulators for development and tests: not part of the product, not needed on a terminal.

The kiosk (kiosk/, ui/, drivers/) never imports this package; the command line loads an
emulator on demand (`kiosk printer emulate`, `kiosk idcard emulate`) and the tests use them.

- ``emulators.escpos``: an ESC/POS receipt printer on TCP that decodes what it receives.
- ``emulators.idcard``: the ID-card reader.
"""
