"""The Qt user interface: screens and widgets. Talks to devices and the database only through kiosk/."""
