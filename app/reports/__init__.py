"""What is read back for the county and the year: the 台账, the annual report, the first screen's
overview and the due lists.
"""
