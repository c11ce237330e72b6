/**
 * Splits generated text into lines and takes the comment marker off each continuation line (` * `, `///`, `//`).
 * Where line comments are the convention, a line without the marker means the comment has ended: it and everything
 * after it are code, and dropped.
 */
export function commentLines(text: string, marker?: { re: RegExp; required: boolean }): string[] {
  const lines = text.split(/\r?\n/);
  const out = [lines[0]!];
  for (const line of lines.slice(1)) {
    if (!marker) {
      out.push(line);
      continue;
    }
    const m = marker.re.exec(line);
    if (m) out.push(line.slice(m[0].length));
    else if (marker.required) break;
    else out.push(line);
  }
  return out;
}
