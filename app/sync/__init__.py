"""The county link: the protocol, the outbox and its batches, the HTTP client, USB bundles,
county catalog offers.
"""
