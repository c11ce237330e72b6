import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelSummary } from '../core/engine/summary';

/**
 * Tells once per model folder and session that the load's FIM self-check failed (the status bar keeps showing it),
 * with the way out: another model, or the setup report. Not for the shipped model, a known demo whose status bar item
 * and log say it: a first look at Infill should not open with a warning the user did not cause.
 */
export class SelfCheckWarning {
  private readonly told = new Set<string>();

  constructor(private readonly shippedModel: string) {}

  tell(model: ModelSummary | undefined): void {
    const check = model?.selfCheck;
    if (!model || !check || check.ok || this.told.has(model.dir)) return;
    if (path.resolve(model.dir) === path.resolve(this.shippedModel)) return;
    this.told.add(model.dir);
    void vscode.window
      .showWarningMessage(
        `Infill: ${model.name}: ${check.problems.join('; ')}. ${check.advice ?? ''}`,
        'Select Model',
        'Check Setup',
      )
      .then((choice) => {
        if (choice === 'Select Model') void vscode.commands.executeCommand('infill.selectModel');
        if (choice === 'Check Setup') void vscode.commands.executeCommand('infill.checkSetup');
      });
  }
}
