"""Exports for audits: csv, jsonl and verifiable zip bundles from a scoped searcher."""
