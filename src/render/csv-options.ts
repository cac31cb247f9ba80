/**
 * The options every CSV written with csv-stringify shares: CRLF between records (RFC 4180,
 * what Excel expects), and a field holding a lone CR or LF quoted as well. csv-stringify
 * quotes a field only when it contains the record delimiter itself, so with CRLF records
 * a description with a plain "\n" would be written bare and split its row in any
 * RFC 4180 reader.
 */
export const CSV_OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;
