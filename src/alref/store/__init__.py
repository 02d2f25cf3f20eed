"""Results catalogue: DuckDB (runs, studies, one row per sample) and Parquet files."""
