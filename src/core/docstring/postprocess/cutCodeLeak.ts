/**
 * Lines that look like code rather than prose, in any of the languages Infill documents. The model writes code after
 * a comment it has finished (it was trained on files, where code follows): the comment ends before such a line.
 * Doctest lines (`>>> x = 1`) and indented examples inside a section are prose here.
 */
const CODE_LINE = new RegExp(
  [
    String.raw`^\s*(?:async\s+)?def\s+\w+\s*\(`,
    String.raw`^\s*class\s+\w+.*[:{]\s*$`,
    String.raw`^\s*(?:return|yield|raise|throw|import|package|using|#include|#define|#import|pass|continue|break)\b(?!:)`,
    String.raw`^\s*from\s+[\w.]+\s+import\b`,
    String.raw`^\s*(?:if|elif|while|for|with|try|except|else|finally)\b.*:\s*$`,
    String.raw`^\s*(?:if|while|for|switch|catch)\s*\(`,
    String.raw`^\s*(?:export\s+)?(?:const|let|var|function|func|fn|pub|public|private|protected|static|final|impl|struct|enum|interface|type)\s+[\w<(].*[({=<:]`,
    String.raw`^\s*@\w+(?:\.\w+)*\s*(?:\(.*\))?\s*$`,
    String.raw`^\s*[\w.\[\]]+\s*(?:[-+*/]?=|:=)\s*\S`,
    String.raw`[;{]\s*$`,
    String.raw`^\s*}`,
    String.raw`^\s*(?:print|console\.log|fmt\.Print\w*|println!|System\.out\.\w+)\s*\(`,
    String.raw`^\s*self\.\w+`,
    String.raw`^\s*(?:"""|'''|/\*\*?|\*/)`,
  ].join('|'),
);

/** Whether a line of generated text is code (or a comment delimiter) rather than the comment's prose. */
export function looksLikeCode(line: string): boolean {
  if (/^\s*(?:>>>|\.\.\.)\s/.test(line)) return false;
  if (/^\s*[@\\](?:param|returns?|throws|brief|see|since|deprecated|type|typedef|example|remarks|note)\b/.test(line))
    return false;
  return CODE_LINE.test(line);
}

/** Keeps the lines before the first one that looks like code. */
export function cutCodeLeak(lines: readonly string[]): string[] {
  const i = lines.findIndex(looksLikeCode);
  return i < 0 ? [...lines] : lines.slice(0, i);
}
