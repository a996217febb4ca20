"""Ingestion: discover -> detect -> extract -> normalise -> declared metadata and classification -> the pipeline that feeds the engine."""
