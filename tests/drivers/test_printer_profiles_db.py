"""Our profiles agree with escpos-printer-db (python-escpos) where they name a model in it."""

import pytest

from drivers.printer.profiles import PROFILES


@pytest.mark.parametrize("profile", [p for p in PROFILES.values() if p.escpos_profile != "default"], ids=lambda p: p.name)
def test_profile_matches_escpos_printer_db(profile):
    capabilities = profile.escpos_capabilities()
    assert capabilities["width_dots"] == profile.width_dots
    assert capabilities["cutter"] == profile.cutter
    assert capabilities["native_qr"] == (profile.qr == "native")


def test_at_least_one_profile_is_checked_against_the_database():
    assert any(p.escpos_profile != "default" for p in PROFILES.values())
