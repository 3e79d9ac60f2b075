"""Device drivers: receipt printers (and later scanners, card readers). Knows nothing of the
kiosk's domain or of Qt."""
