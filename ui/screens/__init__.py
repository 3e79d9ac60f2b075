"""The citizen's screens, one module each. The app (ui/app.py) registers them with the shell by
name and class path, and a screen's module is imported only when the screen is first built
(ui/screen.py lazy_screen): starting the kiosk imports the home screen's module alone.
CITIZEN_SCREENS are built from the shell alone; FEEDBACK_SCREEN also gets the rating offer.
"""

#: screen name → "module:Class"
CITIZEN_SCREENS: dict[str, str] = {
    "home": "ui.screens.home:HomeScreen",
    "browse": "ui.screens.browse:BrowseScreen",
    "search": "ui.screens.search:SearchScreen",
    "item": "ui.screens.item:ItemScreen",
    "checklist": "ui.screens.checklist:ChecklistScreen",
    "progress": "ui.screens.progress:ProgressScreen",
    "selfservice": "ui.screens.selfservice:SelfServiceScreen",
}
FEEDBACK_SCREEN = ("feedback", "ui.screens.feedback:FeedbackScreen")

__all__ = ["CITIZEN_SCREENS", "FEEDBACK_SCREEN"]
