import { codeGemma } from './families/codegemma';
import { codeLlama } from './families/codellama';
import { deepSeek } from './families/deepseek';
import { qwenCoder } from './families/qwen';
import { starCoder } from './families/starcoder';

/**
 * Every FIM family Infill knows, one line each. Order is detection order, for tokenizers and model names alike:
 * CodeGemma before Qwen2.5-Coder, which has the same FIM tokens without CodeGemma's marker.
 */
export const FIM_REGISTRY = [codeLlama, deepSeek, codeGemma, qwenCoder, starCoder] as const;

export type FimFamilyName = (typeof FIM_REGISTRY)[number]['name'];
export const FIM_FAMILIES: readonly FimFamilyName[] = FIM_REGISTRY.map((f) => f.name);

/** The family a served model name suggests (`Qwen/Qwen2.5-Coder-7B`, `codellama:7b-code`, `deepseek-coder-6.7b-base`...). */
export function familyFromModelName(model: string): FimFamilyName | undefined {
  const m = model.toLowerCase();
  return FIM_REGISTRY.find((f) => f.modelName.test(m))?.name;
}
