"""Storage: SQLAlchemy tables, the engine and its migrations, repositories."""
