"""A local ledger that speaks the Sage Intacct XML gateway protocol.

Never imports ``ledgerbridge.intacct``: the client and the sandbox meet only on the wire.
"""
