import type { PythonStyle, PythonStyleSetting } from './types';

const MARKERS: Record<PythonStyle, RegExp> = {
  google: /^[ \t]*(?:Args|Arguments|Returns|Raises|Yields|Attributes|Examples?|Note|Keyword Args):[ \t]*$/gm,
  numpy:
    /^[ \t]*(?:Parameters|Returns|Raises|Yields|Attributes|See Also|Notes|Examples?|Other Parameters)[ \t]*\r?\n[ \t]*-{3,}[ \t]*$/gm,
  rest: /^[ \t]*:(?:param|parameter|arg|type|returns?|rtype|raises?|yields?)\b[^:\n]*:/gm,
};

/**
 * The Python docstring convention used in a file: the one whose section markers appear most (Google `Args:`, NumPy
 * `Parameters` underlined with dashes, reST `:param x:`), Google when the file has none. A setting other than auto wins.
 */
export function detectPythonStyle(text: string, setting: PythonStyleSetting = 'auto'): PythonStyle {
  if (setting !== 'auto') return setting;
  let best: PythonStyle = 'google';
  let bestCount = 0;
  for (const style of ['google', 'numpy', 'rest'] as const) {
    const count = text.match(MARKERS[style])?.length ?? 0;
    if (count > bestCount) {
      best = style;
      bestCount = count;
    }
  }
  return best;
}
