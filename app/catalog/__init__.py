"""The township's disclosure catalog: items and their revisions, domains, search, 公开时限 rules,
and the county tables read and written.
"""
