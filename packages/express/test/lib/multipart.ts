/** A multipart/form-data body built by hand, so that its exact bytes can be signed. */
export function multipartBody(
  fields: Record<string, string>,
  file: { field: string; name: string; type: string; content: string },
): { contentType: string; body: Uint8Array } {
  const boundary = '----httpsig-test-boundary';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
      `Content-Type: ${file.type}\r\n\r\n${file.content}\r\n`,
  );
  parts.push(`--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: new TextEncoder().encode(parts.join('')),
  };
}
