import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { buildSetupReport, type FixLink, type SetupCheck, type SetupReport } from '../core/doctor/report';
import type { ModelSummary } from '../core/engine/summary';
import { providerUnavailable } from '../core/hardware/providerSupport';
import { probeHardware } from '../core/hardware/probe';
import { recommendModels, type Recommendation } from '../core/hardware/recommend';
import type { HardwareProfile } from '../core/hardware/types';
import type { EngineClient } from '../engine-client/client';
import { readSettings, setting } from './settings';

/** Commands the page's links may run (the webview's enableCommandUris allows only these). */
const LINK_COMMANDS = ['workbench.action.openSettings', 'infill.selectModel', 'infill.openReadme', 'infill.checkSetup'];

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const commandUri = (id: string, args?: unknown[]) =>
  `command:${id}${args ? `?${encodeURIComponent(JSON.stringify(args))}` : ''}`;

function linkOf(link: FixLink): { href: string; text: string } {
  if (link.kind === 'setting')
    return { href: commandUri('workbench.action.openSettings', [link.id]), text: `Open ${link.id}` };
  if (link.kind === 'command') return { href: commandUri(link.id), text: `Infill: ${link.label}` };
  return { href: commandUri('infill.openReadme', [link.section]), text: `README: ${link.section}` };
}

const STATUS_TEXT: Record<SetupCheck['status'], string> = { ok: 'OK', warn: 'Warning', fail: 'Failed', info: 'Note' };

function checkRow(c: SetupCheck): string {
  const fix = c.fix
    ? `<div class="fix">${esc(c.fix.text)}${c.fix.link ? ` <a href="${esc(linkOf(c.fix.link).href)}">${esc(linkOf(c.fix.link).text)}</a>` : ''}</div>`
    : '';
  return `<tr class="${c.status}"><td class="status"><span class="badge ${c.status}">${STATUS_TEXT[c.status]}</span></td><th scope="row">${esc(c.label)}</th><td>${esc(c.detail)}${fix}</td></tr>`;
}

function recommendationRows(recs: readonly Recommendation[]): string {
  return recs
    .slice(0, 5)
    .map(
      (r) =>
        `<tr><td><span class="badge ${r.verdict === 'good' ? 'ok' : r.verdict === 'slow' || r.verdict === 'tight' ? 'warn' : 'info'}">${esc(r.verdict)}</span></td><th scope="row">${esc(r.entry.id)} <span class="dim">${esc(r.variant)}, ${r.placement.toUpperCase()}</span></th><td>${esc(r.reason)}${r.entry.verified ? '' : ' <span class="dim">(repository not verified)</span>'}</td></tr>`,
    )
    .join('');
}

/** The page: a table per section, the recommendation, and links that run the fix. Static HTML, no script. */
export function setupHtml(report: SetupReport, recs: readonly Recommendation[], cspSource: string): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const sections = [...new Set(report.checks.map((c) => c.section))];
  const worst = report.checks.filter((c) => c.status === 'warn' || c.status === 'fail').length;
  const csp = [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `img-src ${cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Infill: Setup</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 20px; max-width: 1000px; }
h1 { font-size: 1.4em; font-weight: 600; } h2 { font-size: 1.1em; margin-top: 1.6em; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-editorGroup-border)); }
th { font-weight: 600; white-space: nowrap; width: 14em; }
td.status { width: 6em; }
.badge { display: inline-block; min-width: 4.5em; text-align: center; padding: 1px 6px; border-radius: 3px; font-size: 0.9em; border: 1px solid transparent; }
.badge.ok { background: var(--vscode-testing-iconPassed, #388a34); color: var(--vscode-editor-background); }
.badge.warn { background: var(--vscode-editorWarning-foreground, #bf8803); color: var(--vscode-editor-background); }
.badge.fail { background: var(--vscode-editorError-foreground, #e51400); color: var(--vscode-editor-background); }
.badge.info { border-color: var(--vscode-descriptionForeground); color: var(--vscode-descriptionForeground); }
.fix { margin-top: 4px; color: var(--vscode-descriptionForeground); }
.dim { color: var(--vscode-descriptionForeground); font-weight: normal; }
a { color: var(--vscode-textLink-foreground); } a:focus { outline: 1px solid var(--vscode-focusBorder); }
</style></head>
<body>
<h1>Infill: Setup</h1>
<p>${worst ? `${worst} item${worst > 1 ? 's' : ''} to look at.` : 'Everything Infill uses is in place.'} <a href="${commandUri('infill.checkSetup')}">Check again</a></p>
${sections
  .map(
    (s) =>
      `<h2>${esc(s)}</h2><table aria-label="${esc(s)}"><tbody>${report.checks
        .filter((c) => c.section === s)
        .map(checkRow)
        .join('')}</tbody></table>`,
  )
  .join('\n')}
<h2>Models for this machine (completion)</h2>
<table aria-label="Recommended models"><tbody>${recommendationRows(recs)}</tbody></table>
<p><a href="${commandUri('infill.selectModel')}">Infill: Select Model</a> downloads one.</p>
</body></html>`;
}

/** What the engine's load note says of IO binding: null when it runs, the reason when it could not, else unknown. */
function ioBindingProblemOf(m: ModelSummary | undefined): string | null | undefined {
  if (!m || m.provider !== 'cpu') return undefined;
  if (m.runtime === 'io-binding') return null;
  return /IO binding unavailable[^;)]*/.exec(m.providerNote)?.[0];
}

/** KV cache positions of an inline completion with the current settings: prefix, suffix, other files, answer. */
export function completionContextTokens(): number {
  const s = readSettings();
  return s.prefixTokens + s.suffixTokens + Math.ceil(s.otherFilesChars / 3) + s.maxTokens;
}

export const cudaUsable = () => process.platform === 'linux' && providerUnavailable('cuda') === undefined;

/** The machine, probed at most once a minute (the bandwidth measurement takes a quarter second of every core). */
let probed: { at: number; profile: Promise<HardwareProfile> } | undefined;
export function editorHardware(): Promise<HardwareProfile> {
  if (!probed || Date.now() - probed.at > 60_000) probed = { at: Date.now(), profile: probeHardware() };
  return probed.profile;
}

/** `Infill: Check Setup`: the doctor's report in an editor tab, each item with the link that fixes it. */
export class CheckSetup implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly client: EngineClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(): Promise<void> {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Infill: checking setup…' },
      async () => {
        probed = undefined;
        const hardware = await editorHardware();
        // The model's self-check runs when the engine loads; load it now if it is not yet.
        let loaded: ModelSummary | undefined = this.client.current.model;
        try {
          loaded = await this.client.ensureLoaded();
        } catch (err) {
          this.log.warn(`check setup: the model did not load: ${err instanceof Error ? err.message : String(err)}`);
        }
        const r = await buildSetupReport(hardware, {
          provider: setting('executionProvider'),
          ioBinding: setting('engine.ioBinding'),
          ioBindingProblem: ioBindingProblemOf(loaded),
          model: { name: loaded?.name ?? 'the configured model', check: loaded?.selfCheck },
        });
        if (!loaded?.selfCheck && this.client.current.state === 'error') {
          const m = r.checks.find((c) => c.section === 'Model');
          if (m) {
            m.status = 'fail';
            m.detail = `did not load: ${this.client.current.detail ?? 'see the Infill output channel'}`;
            m.fix = {
              text: 'Choose another model',
              link: { kind: 'command', id: 'infill.selectModel', label: 'Select Model' },
            };
          }
        }
        return r;
      },
    );
    const recs = recommendModels(report.hardware, {
      role: 'completion',
      contextTokens: completionContextTokens(),
      cudaUsable: cudaUsable(),
    });
    for (const c of report.checks) this.log.info(`check setup: [${c.status}] ${c.label}: ${c.detail}`);
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('infill.setup', 'Infill: Setup', vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: LINK_COMMANDS,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    }
    this.panel.webview.html = setupHtml(report, recs, this.panel.webview.cspSource);
    this.panel.reveal();
    this.lastReport = report;
  }

  /** The report shown last (for tests). */
  lastReport: SetupReport | undefined;

  dispose(): void {
    this.panel?.dispose();
  }
}
