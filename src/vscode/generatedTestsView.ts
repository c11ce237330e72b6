import * as vscode from 'vscode';
import {
  coverageSummary,
  type CandidateOutcome,
  type CandidateStatus,
  type GenerateTestsResult,
} from '../core/harness';

type Node =
  | { kind: 'summary'; result: GenerateTestsResult; file: string }
  | { kind: 'count'; label: string; value: number; of: number }
  | { kind: 'candidate'; c: CandidateOutcome; runs: number; language: string };

const STATUS_TEXT: Record<CandidateStatus, string> = {
  kept: 'kept',
  'does-not-build': 'does not build',
  fails: 'fails',
  flaky: 'flaky',
  duplicate: 'duplicate',
  'no-new-coverage': 'adds no coverage',
  'no-assertion': 'asserts nothing',
};
const STATUS_ICON: Record<CandidateStatus, [string, string]> = {
  kept: ['pass-filled', 'testing.iconPassed'],
  'does-not-build': ['error', 'testing.iconErrored'],
  fails: ['error', 'testing.iconFailed'],
  flaky: ['warning', 'list.warningForeground'],
  duplicate: ['copy', 'descriptionForeground'],
  'no-new-coverage': ['circle-slash', 'descriptionForeground'],
  'no-assertion': ['circle-slash', 'descriptionForeground'],
};

/** The "Generated Tests" view: the last run's counts and every candidate with why it was kept or dropped. */
export class GeneratedTestsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private last: { result: GenerateTestsResult; file: string } | undefined;
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  show(result: GenerateTestsResult, file: string): void {
    this.last = { result, file };
    this.changed.fire(undefined);
  }

  get current(): GenerateTestsResult | undefined {
    return this.last?.result;
  }

  getChildren(node?: Node): Node[] {
    if (!this.last) return [];
    const { result, file } = this.last;
    if (!node) return [{ kind: 'summary', result, file }];
    if (node.kind !== 'summary') return [];
    const counts: Node[] = [
      { kind: 'count', label: 'generated', value: result.generated, of: result.generated },
      { kind: 'count', label: 'built', value: result.built, of: result.generated },
      { kind: 'count', label: 'passed', value: result.passed, of: result.generated },
      {
        kind: 'count',
        label: `reliable (passed ${result.runs} runs in a row)`,
        value: result.reliable,
        of: result.generated,
      },
      ...(result.coverage.measured
        ? [{ kind: 'count' as const, label: 'added coverage', value: result.addsCoverage, of: result.generated }]
        : []),
      { kind: 'count', label: 'kept', value: result.kept, of: result.generated },
    ];
    return [
      ...counts,
      ...result.candidates.map((c): Node => ({ kind: 'candidate', c, runs: result.runs, language: result.language })),
    ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'summary': {
        const fn = node.result.function.className
          ? `${node.result.function.className}.${node.result.function.name}`
          : node.result.function.name;
        const item = new vscode.TreeItem(`${fn} (${node.file})`, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.result.kept} of ${node.result.generated} kept`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.tooltip =
          `${node.result.samples} samples (${node.result.promptFormat}), ${node.result.runs} runs each; ${coverageSummary(node.result)}; ` +
          `sandbox: ${node.result.sandbox.runner}${node.result.sandbox.isolationNote ? ` (${node.result.sandbox.isolationNote})` : ''}`;
        return item;
      }
      case 'count': {
        const item = new vscode.TreeItem(`${node.value} ${node.label}`);
        item.iconPath = new vscode.ThemeIcon('symbol-number');
        return item;
      }
      case 'candidate': {
        const c = node.c;
        const item = new vscode.TreeItem(`#${c.index + 1} ${c.name}`);
        const why =
          c.status === 'duplicate'
            ? `duplicate of #${(c.duplicateOf ?? 0) + 1}`
            : c.status === 'flaky'
              ? c.runsPassed < node.runs
                ? `flaky: passed ${c.runsPassed} of ${node.runs} runs`
                : 'flaky: failed when run again for coverage'
              : c.status === 'no-new-coverage'
                ? `adds no coverage (its ${c.coverage?.lines ?? 0} lines were run by kept tests)`
                : c.status === 'kept' && c.coverage
                  ? `kept: ${c.coverage.newLines} new line${c.coverage.newLines === 1 ? '' : 's'} covered`
                  : STATUS_TEXT[c.status];
        item.description = why + (c.truncated ? ' (cut at the token limit)' : '');
        const [icon, color] = STATUS_ICON[c.status];
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        const tip = new vscode.MarkdownString(`**${why}** (sample ${c.sample + 1})\n\n`);
        tip.appendCodeblock(c.code, node.language);
        if (c.detail && c.status !== 'kept') tip.appendMarkdown('\n\nOutput:\n').appendCodeblock(c.detail, 'text');
        item.tooltip = tip;
        item.accessibilityInformation = { label: `${c.name}: ${why}` };
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
