/** A multipart/form-data body with one file part (what a browser's FormData sends), for app.inject. */
export function multipartFile(
  bytes: Buffer, o: { field?: string; fileName?: string; contentType?: string } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----hoshu-test-${Math.random().toString(36).slice(2)}`;
  const name = o.fileName ?? 'file.bin';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${o.field ?? 'file'}"; filename="${name}"\r\n`
    + `Content-Type: ${o.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
