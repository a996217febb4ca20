"""archsearch: full-text search over a Vietnamese classified archive, scoped to each user's clearance."""

__version__ = "0.1.0"
