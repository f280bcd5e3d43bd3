"""ledgerbridge: approved expense reports into Sage Intacct, exactly once."""

__version__ = "0.1.0"
