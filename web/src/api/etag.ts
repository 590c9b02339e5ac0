/** The server's ETag for a record version (see If-Match on PATCH). */
export const etagOf = (version: number): string => `"${version}"`;
