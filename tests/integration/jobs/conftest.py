from tests.db import database, db_session, secret_box  # noqa: F401
