"""A notice from draft to withdrawal: revisions, text and 要素, privacy, review, boards and
postings, templates, the township's workflow settings.
"""
