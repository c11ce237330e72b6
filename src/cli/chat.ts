import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Conversation, DEFAULT_CHAT_SETTINGS } from '../core/chat/conversation';
import { engineBackend } from '../core/backend/engineBackend';
import type { ContextChip } from '../core/chat/types';
import { InfillError } from '../core/errors';
import { numberFlag } from './flags';
import { loadEngineFromFlags } from './loadEngine';

const FENCE_LANGUAGES: Record<string, string> = {
  '.py': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.tsx': 'tsx',
  '.jsx': 'jsx',
  '.java': 'java',
  '.c': 'c',
  '.h': 'c',
  '.cpp': 'cpp',
  '.cc': 'cpp',
  '.hpp': 'cpp',
  '.cs': 'csharp',
  '.go': 'go',
  '.rs': 'rust',
  '.rb': 'ruby',
  '.php': 'php',
  '.sh': 'bash',
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.md': 'markdown',
  '.sql': 'sql',
  '.html': 'html',
  '.css': 'css',
};

/** `infill chat "QUESTION" [--file F]...`: one question through the same conversation code as the chat panel. */
export async function runChat(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        file: { type: 'string', multiple: true },
        model: { type: 'string' },
        variant: { type: 'string' },
        provider: { type: 'string' },
        threads: { type: 'string' },
        'io-binding': { type: 'string' },
        'max-tokens': { type: 'string' },
        'context-tokens': { type: 'string' },
        temperature: { type: 'string' },
        seed: { type: 'string' },
        system: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new InfillError('bad-arguments', (err as Error).message, 'Run infill --help to see the options');
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new InfillError(
      'bad-arguments',
      'chat takes one question (quote it)',
      'Example: infill chat "What does this function do?" --file src/app.py',
    );
  }
  const chips: ContextChip[] = (values.file ?? []).map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new InfillError('file-not-found', `Cannot read ${file}`, 'Check the path given to --file');
    }
    return {
      kind: 'file',
      path: file,
      language: FENCE_LANGUAGES[path.extname(file).toLowerCase()] ?? '',
      text,
      startLine: 1,
    };
  });
  const settings = {
    ...DEFAULT_CHAT_SETTINGS,
    systemPrompt: values.system ?? DEFAULT_CHAT_SETTINGS.systemPrompt,
    maxNewTokens: numberFlag('max-tokens', values['max-tokens'], DEFAULT_CHAT_SETTINGS.maxNewTokens, 1),
    contextTokens: numberFlag('context-tokens', values['context-tokens'], DEFAULT_CHAT_SETTINGS.contextTokens, 0),
    temperature: numberFlag('temperature', values.temperature, 0, 0, false),
    seed: numberFlag('seed', values.seed, 0, 0),
  };
  const notes: string[] = [];
  const engine = await loadEngineFromFlags(values, notes);
  // Ctrl+C stops the answer (what was written so far stays); a second one ends the process.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const conversation = new Conversation(engineBackend(engine), () => settings);
    let started = false;
    const result = await conversation.ask(positionals[0]!, chips, {
      signal: controller.signal,
      onText: values.json
        ? undefined
        : (delta) => {
            const piece = started ? delta : delta.trimStart();
            if (piece) started = true;
            process.stdout.write(piece);
          },
    });
    const r = result.report;
    const contextNote = result.contextNote;
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          answer: result.answer,
          model: engine.info.name,
          executionProvider: engine.info.provider,
          promptFormat: result.prompt.format,
          promptTokens: r.promptTokens,
          generatedTokens: r.generatedTokens,
          stopReason: r.stopReason,
          droppedTurns: result.prompt.droppedTurns,
          contextCut: result.user.context.some((u) => u.cut),
          context: result.user.context,
          timeToFirstTokenMs: round(r.timeToFirstTokenMs),
          totalMs: round(r.totalMs),
          tokensPerSecond: round(r.tokensPerSecond),
        }) + '\n',
      );
    } else {
      process.stdout.write('\n');
      for (const note of notes) process.stderr.write(`# ${note}\n`);
      if (contextNote) process.stderr.write(`# ${contextNote}\n`);
      process.stderr.write(
        `# ${r.generatedTokens} tokens (${r.stopReason}), ${result.prompt.format} prompt of ${r.promptTokens} tokens; ` +
          `first token ${round(r.timeToFirstTokenMs)} ms, total ${round(r.totalMs)} ms, ${round(r.tokensPerSecond)} tokens/s on ${engine.info.provider}\n`,
      );
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await engine.dispose();
  }
}

/** One decimal; undefined stays so (JSON leaves the field out). */
const round = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 10) / 10);
