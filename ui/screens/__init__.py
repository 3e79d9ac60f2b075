"""The citizen's screens, one module each. SCREEN_CLASSES is what the shell builds."""

from ui.screens.browse import BrowseScreen
from ui.screens.checklist import ChecklistScreen
from ui.screens.feedback import FeedbackScreen
from ui.screens.home import HomeScreen
from ui.screens.item import ItemScreen
from ui.screens.progress import ProgressScreen
from ui.screens.search import SearchScreen
from ui.screens.selfservice import SelfServiceScreen

SCREEN_CLASSES = (
    HomeScreen,
    BrowseScreen,
    SearchScreen,
    ItemScreen,
    ChecklistScreen,
    ProgressScreen,
    SelfServiceScreen,
    FeedbackScreen,  # attaches the rating offer (ui/rating.py)
)
