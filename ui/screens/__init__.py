"""The citizen's screens, one module each. The app (ui/app.py) registers them with the shell;
CITIZEN_SCREENS are the ones built from the shell alone (the feedback screen also gets the
rating offer)."""

from ui.screens.browse import BrowseScreen
from ui.screens.checklist import ChecklistScreen
from ui.screens.feedback import FeedbackScreen
from ui.screens.home import HomeScreen
from ui.screens.item import ItemScreen
from ui.screens.progress import ProgressScreen
from ui.screens.search import SearchScreen
from ui.screens.selfservice import SelfServiceScreen

CITIZEN_SCREENS = (
    HomeScreen,
    BrowseScreen,
    SearchScreen,
    ItemScreen,
    ChecklistScreen,
    ProgressScreen,
    SelfServiceScreen,
)

__all__ = [
    "CITIZEN_SCREENS",
    "BrowseScreen",
    "ChecklistScreen",
    "FeedbackScreen",
    "HomeScreen",
    "ItemScreen",
    "ProgressScreen",
    "SearchScreen",
    "SelfServiceScreen",
]
