"""OCR: the Tesseract engine, classification, field extraction and the searchable PDF.

Knows nothing of HTTP, databases or settings files: callers hand it plain values.
"""
