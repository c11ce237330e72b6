// Browser end-to-end steps for the chat panel, run by test/host/run.ts in the real workbench: Ask About Selection
// attaches code, a question's answer streams in from the shipped model (its text grows while we watch), and Insert puts
// the answer into the editor (checked on disk after saving). Screenshots go to test-results/ (dark, then light theme).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { readmeShot } from './readmeShots';

export interface E2EContext {
  page: Page;
  step: (name: string, f: () => Promise<void>) => void;
  results: string;
  /** The workspace folder the server opened (demo.py is there). */
  workspace: string;
}

async function command(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.keyboard.type(title, { delay: 15 });
  await page.waitForTimeout(400);
  await page.keyboard.press('Enter');
}

/** The chat webview's document: VS Code's webview iframe, then its inner #active-frame. */
const chatFrame = (page: Page): FrameLocator =>
  page.frameLocator('iframe.webview').first().frameLocator('#active-frame');

// Letters and digits only: the answer's rendered text lost its markdown (`__all__` shows as a bold "all", a link as
// its label), the inserted text keeps it.
const words = (s: string) =>
  s
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
/** Whether `want` appear in `have` in the same order (other words may come between them: a link's URL). */
const inOrder = (want: string[], have: string[]) => {
  let i = 0;
  for (const w of have) if (w === want[i]) i++;
  return i === want.length;
};

export function chatSteps({ page, step, results, workspace }: E2EContext): void {
  const file = path.join(workspace, 'demo.py');
  let answerText = '';

  step('Infill: Ask About Selection attaches the selected lines and opens the chat panel', async () => {
    // Select the first three lines of demo.py (the editor from the earlier steps).
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
    await command(page, 'Infill: Ask About Selection');
    await page.locator('.part.sidebar .title-label', { hasText: /chat/i }).first().waitFor({ timeout: 30000 });
    const chat = chatFrame(page);
    await chat.locator('.chip', { hasText: 'demo.py:1-3' }).waitFor({ timeout: 30000 });
    await chat.getByRole('button', { name: 'Remove demo.py:1-3' }).waitFor();
  });

  step('asks a question and the answer streams in, growing while we watch', async () => {
    const chat = chatFrame(page);
    const input = chat.getByRole('textbox', { name: 'Question for Infill' });
    await input.click();
    await page.keyboard.type('What does this function do?', { delay: 10 });
    await page.keyboard.press('Enter');
    await chat
      .locator('.message.user .question', { hasText: 'What does this function do?' })
      .waitFor({ timeout: 10000 });
    const answer = chat.locator('.message.assistant').last();
    await answer.waitFor({ timeout: 10000 });
    // Sample the answer's length while it streams (the engine may still be loading the model at first).
    const lengths: number[] = [];
    const end = Date.now() + 120000;
    for (;;) {
      const s = await answer.evaluate((el) => ({
        streaming: el.classList.contains('streaming'),
        length: el.querySelector('.markdown')?.textContent?.length ?? 0,
      }));
      if (s.streaming && s.length > 0 && s.length !== lengths[lengths.length - 1]) lengths.push(s.length);
      if (!s.streaming) break;
      if (Date.now() > end) throw new Error('the answer did not finish in 120 s');
      await page.waitForTimeout(30);
    }
    if (lengths.length < 3)
      throw new Error(`the answer did not visibly stream: lengths seen while streaming ${JSON.stringify(lengths)}`);
    // The rendered text grows; it may lose a few characters when markdown syntax resolves mid-stream (a closing `**`,
    // a fence), but never more, and never restarts.
    for (let i = 1; i < lengths.length; i++) {
      if (lengths[i]! < lengths[i - 1]! - 16) throw new Error(`the streamed text shrank: ${JSON.stringify(lengths)}`);
    }
    if (lengths[lengths.length - 1]! <= lengths[0]!)
      throw new Error(`the streamed text did not grow: ${JSON.stringify(lengths)}`);
    const error = await answer.locator('.error').count();
    if (error) throw new Error(`the answer failed: ${await answer.locator('.error').innerText()}`);
    answerText = await answer.locator('.markdown').innerText();
    if (!words(answerText).length) throw new Error('the answer is empty');
    await answer.locator('.note').waitFor();
    // The question shows the code that went with it, with the actions of a code block.
    const user = chat.locator('.message.user').last();
    await user.locator('summary', { hasText: 'Attached code' }).click();
    await user.locator('.code-block code', { hasText: 'def mean(values):' }).waitFor();
    await user.getByRole('button', { name: 'Insert code at cursor' }).waitFor();
    console.log(
      `        streamed ${lengths.length} growing lengths (${lengths.slice(0, 6).join(', ')}...), answer starts ${JSON.stringify(answerText.slice(0, 60))}`,
    );
    await page.screenshot({ path: path.join(results, 'e2e-chat.png') });
    await readmeShot(page, results, 'chat-dark', [
      page.locator('.part.sidebar').first(),
      page.locator('.part.editor').first(),
    ]);
  });

  step('Insert puts the answer into the editor at the cursor (saved file checked on disk)', async () => {
    // Cursor on a new line at the end of demo.py; save so the file on disk is the "before".
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(800);
    const before = fs.readFileSync(file, 'utf8');
    const chat = chatFrame(page);
    const answer = chat.locator('.message.assistant').last();
    // An answer's code block if the model wrote one, else the whole answer: both are the model's text.
    const block = answer.locator('.code-block').first();
    const useBlock = (await block.count()) > 0;
    const expected = useBlock ? await block.locator('code').innerText() : answerText;
    await (
      useBlock
        ? block.getByRole('button', { name: 'Insert code at cursor' })
        : answer.getByRole('button', { name: 'Insert the answer at the cursor' })
    ).click();
    await page.waitForTimeout(800);
    await page.keyboard.press('Control+S');
    let after = before;
    const end = Date.now() + 10000;
    while (after === before && Date.now() < end) {
      await page.waitForTimeout(250);
      after = fs.readFileSync(file, 'utf8');
    }
    if (!after.startsWith(before.trimEnd().split('\n').slice(0, -1).join('\n')))
      throw new Error('the text before the cursor changed');
    const inserted = after.slice(before.length - 1);
    // The first words, in order (markdown syntax is rendered away in the answer's text); a code block of symbols only
    // (a model may write a line of dashes) is compared by its characters, white space aside.
    const want = words(expected).slice(0, 4);
    const squash = (t: string) => t.replace(/\s+/g, '');
    const held = want.length
      ? inOrder(want, words(inserted))
      : useBlock && squash(expected).length > 0 && squash(inserted).includes(squash(expected).slice(0, 40));
    if (!held) {
      throw new Error(
        `the inserted text ${JSON.stringify(inserted.slice(0, 120))} does not hold the start of the answer ${JSON.stringify(want.join(' ') || expected.slice(0, 60))}`,
      );
    }
    console.log(
      `        inserted ${inserted.length} characters (${useBlock ? 'a code block' : 'the answer'}) into demo.py`,
    );
    await page.screenshot({ path: path.join(results, 'e2e-chat-insert.png') });
  });

  step('the chat panel in the light theme; New chat clears it', async () => {
    await command(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(results, 'e2e-chat-light.png') });
    await readmeShot(page, results, 'chat-light', [
      page.locator('.part.sidebar').first(),
      page.locator('.part.editor').first(),
    ]);
    await command(page, 'Preferences: Toggle between Light/Dark Themes');
    const chat = chatFrame(page);
    await chat.getByRole('button', { name: 'New chat' }).click();
    await chat.locator('.message').first().waitFor({ state: 'detached', timeout: 10000 });
    await chat.locator('.empty').waitFor();
  });
}
