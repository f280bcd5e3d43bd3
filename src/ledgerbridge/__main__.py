from ledgerbridge.cli.main import run

run()
