"""Scan ingestion: read scanner files, clean pages, split batches, orchestrate OCR and storage."""
