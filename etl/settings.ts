/** Keeps the ETL's peak memory bounded on big extracts: DuckDB spills to disk past this. */
export const ETL_MEMORY_LIMIT = '1GB';
