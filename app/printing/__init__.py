"""What goes on paper: the sheet of a notice, board sheets and 明白纸 as PDF and DOCX, fonts, QR
codes, page images for preview and printer.
"""
