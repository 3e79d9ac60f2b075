"""A terminal process: raises one help call as a citizen's tap would, on the database given.

    python raise_call.py DB_URL TERMINAL_ID TERMINAL_NAME
prints the call's number.
"""

import sys

from kiosk.db import Database
from kiosk.assistance.service import HelperService

url, terminal, name = sys.argv[1:4]
database = Database(url)
result = HelperService(database, terminal=terminal, terminal_name=name).raise_call(
    screen="item", screen_label="事项详情", item_code="411481-SCJG-001", item_name="个体工商户设立登记"
)
print(result.call.number)
database.dispose()
