"""Developer tool: autogenerate the next Alembic migration from the models.

    .venv/bin/python -m kiosk.db.new_migration "what changed" 0002_feature

Upgrades a scratch SQLite database to head, compares it with the models and writes
kiosk/db/migrations/versions/<rev_id>.py. Read and tidy the result before committing.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from kiosk.db import Database, alembic_config


def main() -> None:
    message, rev_id = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as scratch:
        url = "sqlite:///" + str(Path(scratch) / "scratch.sqlite3")
        database = Database(url)
        database.upgrade()
        database.dispose()
        command.revision(alembic_config(url), message=message, autogenerate=True, rev_id=rev_id)
    for path in (Path(__file__).parent / "migrations" / "versions").glob(f"{rev_id}_*.py"):
        path.rename(path.with_name(f"{rev_id}.py"))


if __name__ == "__main__":
    main()
