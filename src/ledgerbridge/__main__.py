"""`python -m ledgerbridge`: the same as the `ledgerbridge` command."""

from ledgerbridge.cli.main import run

if __name__ == "__main__":
    run()
